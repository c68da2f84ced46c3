package config

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/packager-dev/packager/vocab"
)

// The validators below return "" for a valid value, or a message that says what
// is wrong and what to write instead. Callers attach source and position.

var (
	// nameRE is the OCI distribution rule for one repository path component.
	nameRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)
	// userRE accepts what the OCI config's User field means: uid, uid:gid, name, name:group.
	userRE = regexp.MustCompile(`^([a-z_][a-z0-9_-]*|[0-9]+)(:([a-z_][a-z0-9_-]*|[0-9]+))?$`)
	envRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

func checkRepo(repo string) string {
	if strings.ContainsAny(repo, "@") || strings.Contains(path.Base(repo), ":") {
		return fmt.Sprintf("repo %q must not include a tag or digest; write the registry and path only, e.g. ghcr.io/you/project, and set tags with tags:", repo)
	}
	if _, err := name.NewRepository(repo); err != nil {
		return fmt.Sprintf("invalid repo %q: %v; write a registry and lowercase path, e.g. ghcr.io/you/project or 127.0.0.1:5000/team", repo, err)
	}
	return ""
}

func checkTag(tag string) string {
	const fix = "tags use letters, digits, '_', '.' and '-', start with a letter, digit or '_', and are at most 128 characters, e.g. v1.2.3"
	if tag == "" {
		return "empty tag; " + fix
	}
	t, err := name.NewTag("x:" + tag)
	if err != nil || t.TagStr() != tag || strings.HasPrefix(tag, ".") || strings.HasPrefix(tag, "-") {
		return fmt.Sprintf("invalid tag %q; %s", tag, fix)
	}
	return ""
}

// bases are the built-in base names, for did-you-mean on typos like "statik".
var bases = []string{"static", "scratch"}

func checkBase(base string) string {
	switch {
	case base == "static" || base == "scratch":
		return ""
	case base == "oci" || strings.HasPrefix(base, "oci:"):
		dir, tag, hasTag := splitOCI(strings.TrimPrefix(base, "oci"))
		if dir == "" {
			return fmt.Sprintf("base %q names no directory; write oci:DIR or oci:DIR:TAG, e.g. base: oci:./base-layout", base)
		}
		if hasTag {
			if msg := checkTag(tag); msg != "" {
				return fmt.Sprintf("base %q: %s", base, msg)
			}
		}
		return ""
	}
	// A bare word close to a built-in is a typo, even though it would parse as a
	// Docker Hub image ("statik" = docker.io/library/statik).
	if s := vocab.Suggest(base, bases); s != "" && !strings.ContainsAny(base, "/:@.") {
		return fmt.Sprintf("unknown base %q;%s (to really use the Docker Hub image, write docker.io/library/%s)", base, s, base)
	}
	if _, err := name.ParseReference(base); err != nil {
		return fmt.Sprintf("invalid base %q: %v; write static, scratch, oci:DIR[:TAG] or an image reference such as gcr.io/distroless/static:nonroot", base, err)
	}
	return ""
}

// splitOCI splits the part after "oci" into a directory and an optional tag. The
// tag is after the last colon, unless that colon is part of the path.
func splitOCI(rest string) (dir, tag string, hasTag bool) {
	rest = strings.TrimPrefix(rest, ":")
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.ContainsAny(rest[i+1:], `/\`) {
		return rest[:i], rest[i+1:], true
	}
	return rest, "", false
}

// builtinBase reports whether base is one packager makes itself; those have no
// C library, so they cannot run a cgo binary.
func builtinBase(base string) bool { return base == "static" || base == "scratch" }

func checkName(n string) string {
	if !nameRE.MatchString(n) {
		return fmt.Sprintf("invalid image name %q; use lowercase letters and digits separated by '.', '_' or '-', e.g. name: my-app", n)
	}
	return ""
}

func checkMain(main string) string {
	switch {
	case strings.TrimSpace(main) == "":
		return "main is required: the package to build, e.g. main: ./cmd/app"
	case strings.Contains(main, "..."):
		return fmt.Sprintf("main %q is a pattern; name one main package, e.g. main: ./cmd/app", main)
	}
	return ""
}

func checkPath(p string) string {
	if !path.IsAbs(p) || path.Clean(p) != p || p == "/" {
		return fmt.Sprintf("invalid path %q; write an absolute, clean file path such as /usr/local/bin/app", p)
	}
	return ""
}

func checkUser(u string) string {
	if u == "" {
		return `user is empty; remove it to use the default "65532:65532", or write user: root to run as root`
	}
	if !userRE.MatchString(u) {
		return fmt.Sprintf(`invalid user %q; write a uid, uid:gid, name or name:group, e.g. user: "65532:65532"`, u)
	}
	return ""
}

func checkEnvKey(k string) string {
	if !envRE.MatchString(k) {
		return fmt.Sprintf("invalid variable name %q; use letters, digits and '_', not starting with a digit, e.g. MY_VAR", k)
	}
	return ""
}

// templated reports whether s holds a Go template, which the caller renders at
// build time; format checks on it would only reject "{{".
func templated(s string) bool { return strings.Contains(s, "{{") }

// checkAbs checks an absolute, clean path in the image (workdir:, volumes:).
func checkAbs(key, p, example string) string {
	if !path.IsAbs(p) || path.Clean(p) != p {
		return fmt.Sprintf("invalid %s %q; write an absolute, clean path, e.g. %s", key, p, example)
	}
	return ""
}

// parseDuration parses a healthcheck duration, which must be positive.
func parseDuration(key, s string) (time.Duration, string) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, fmt.Sprintf("invalid duration %q; write a number with a unit, e.g. %s: 10s", s, key)
	case d <= 0:
		return 0, fmt.Sprintf("%s must be more than 0, e.g. %s: 10s", key, key)
	}
	return d, ""
}

// checkTest validates a healthcheck test after CMD has been added.
func checkTest(test []string) string {
	const fix = "write the command, e.g. test: [/usr/local/bin/app, -healthcheck]"
	switch {
	case len(test) == 0:
		return "healthcheck.test is empty; " + fix
	case test[0] == "NONE" && len(test) > 1:
		return "NONE disables the healthcheck and takes no command; write test: [NONE] or drop NONE"
	case test[0] == "CMD" && len(test) == 1:
		return "CMD needs a command after it; " + fix
	case test[0] == "CMD-SHELL" && len(test) != 2:
		return `CMD-SHELL takes exactly one shell command; write e.g. test: [CMD-SHELL, "wget -q -O- localhost:8080/health"]`
	case slices.Contains(test, ""):
		return "the command has an empty element; " + fix
	}
	return ""
}

// healthTest prepends CMD unless the test already says how to run it.
func healthTest(test []string) []string {
	if len(test) > 0 && (test[0] == "CMD" || test[0] == "CMD-SHELL" || test[0] == "NONE") {
		return slices.Clone(test)
	}
	return append([]string{"CMD"}, test...)
}

// parseMode reads an octal mode: "0644", "0o644" or "0" (YAML 0644 arrives as
// its text). Digits without a leading 0 are refused: YAML reads 644 as the
// decimal number, and chmod users mean octal, so neither reading is safe.
func parseMode(s string) (fs.FileMode, string) {
	const fix = "write it in octal with a leading 0, up to 07777, e.g. mode: 0644"
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "0o"), "0O")
	if digits == s {
		if !strings.HasPrefix(s, "0") {
			if _, err := strconv.Atoi(s); err == nil {
				return 0, fmt.Sprintf("mode %s is not octal (YAML reads it as a decimal number); %s", s, fix)
			}
			return 0, fmt.Sprintf("invalid mode %q; %s", s, fix)
		}
		digits = s
	}
	m, err := strconv.ParseUint(digits, 8, 32)
	if err != nil || digits == "" {
		return 0, fmt.Sprintf("invalid mode %q; %s", s, fix)
	}
	if m > 0o7777 {
		return 0, fmt.Sprintf("mode %s is larger than 07777; %s", s, fix)
	}
	return fs.FileMode(m&0o777) | specialBits(m), ""
}

// specialBits converts the setuid, setgid and sticky bits of a Unix mode to
// their fs.FileMode flags.
func specialBits(m uint64) fs.FileMode {
	var out fs.FileMode
	if m&0o4000 != 0 {
		out |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		out |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		out |= fs.ModeSticky
	}
	return out
}

func checkID(key string, id int) string {
	if id < 0 || id > math.MaxInt32 {
		return fmt.Sprintf("%s %d is out of range; use 0-2147483647, e.g. %s: 65532", key, id, key)
	}
	return ""
}

// checkDst checks where a file goes in the image.
func checkDst(dst string) string {
	if !path.IsAbs(dst) || slices.Contains(strings.Split(dst, "/"), "..") {
		return fmt.Sprintf("dst %q must be an absolute path inside the image, e.g. /etc/app", dst)
	}
	return ""
}
