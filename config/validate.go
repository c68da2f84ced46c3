package config

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
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
	if s := suggest(base, bases); s != "" && !strings.ContainsAny(base, "/:@.") {
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
