package convert

import (
	"fmt"
	"strconv"
	"strings"
)

// Values from ARGs, $(git ...) and the like become packager templates. While
// a line is being taken apart (split into words, ldflags split into
// entries) each template stands in the text as a placeholder, so the spaces
// and quotes inside {{ ... | default "x" }} cannot split or end a word; fill
// puts the templates in at the end.

const (
	phOpen  = '\uE000'
	phClose = '\uE001'
)

// values holds the templates the placeholders stand for.
type values struct {
	tmpl []string
}

// placeholder returns text standing for the template t.
func (v *values) placeholder(t string) string {
	v.tmpl = append(v.tmpl, t)
	return fmt.Sprintf("%c%d%c", phOpen, len(v.tmpl)-1, phClose)
}

// fill replaces every placeholder in s by its template.
func (v *values) fill(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexRune(s, phOpen)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexRune(s[i:], phClose)
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		n, err := strconv.Atoi(s[i+len(string(phOpen)) : i+j])
		b.WriteString(s[:i])
		if err == nil && n < len(v.tmpl) {
			b.WriteString(v.tmpl[n])
		}
		s = s[i+j+len(string(phClose)):]
	}
}

// isOnly reports whether s is exactly one placeholder standing for t.
func (v *values) isOnly(s, t string) bool {
	return strings.HasPrefix(s, string(phOpen)) && strings.HasSuffix(s, string(phClose)) &&
		strings.Count(s, string(phOpen)) == 1 && v.fill(s) == t
}

// argTemplate is what a build argument becomes: the environment variable of
// the same name, as `docker build --build-arg NAME=...` would set it, else the
// ARG's default.
func argTemplate(name string, def *string) string {
	if def == nil {
		return fmt.Sprintf("{{.Env.%s}}", name)
	}
	return fmt.Sprintf("{{.Env.%s | default %s}}", name, strconv.Quote(*def))
}

// platformArgs are the build arguments BuildKit sets from --platform. Builds
// that use them cross-compile, which packager does for every platform in
// platforms:.
var platformArgs = map[string]bool{
	"TARGETPLATFORM": true, "TARGETOS": true, "TARGETARCH": true, "TARGETVARIANT": true,
	"BUILDPLATFORM": true, "BUILDOS": true, "BUILDARCH": true, "BUILDVARIANT": true,
}

// platformTemplate marks a platform argument; it is turned into platforms:
// where it sets GOOS/GOARCH, and is a warning anywhere else.
func platformTemplate(name string) string { return "{{.Env." + name + "}}" }

// commandTemplate is the template for the output of a shell command in
// $(...), or "" when there is none. note says how the two differ.
func commandTemplate(cmd string) (tmpl, note string) {
	f := strings.Fields(cmd)
	has := func(flags ...string) bool {
		for _, w := range f {
			for _, fl := range flags {
				if w == fl || strings.HasPrefix(w, fl+"=") {
					return true
				}
			}
		}
		return false
	}
	switch {
	case len(f) >= 2 && f[0] == "git" && f[1] == "describe":
		if has("--always", "--dirty") {
			return "{{.Version}}", "{{.Version}} is `git describe --tags --always --dirty` without a leading v"
		}
		return "{{.Git.Tag}}", "{{.Git.Tag}} is the tag at HEAD; git describe also names commits after a tag (v1.2-3-gabc1234)"
	case len(f) >= 2 && f[0] == "git" && f[1] == "rev-parse" && has("--short"):
		return "{{.Git.ShortCommit}}", ""
	case len(f) >= 2 && f[0] == "git" && f[1] == "rev-parse" && f[len(f)-1] == "HEAD" && !has("--abbrev-ref"):
		return "{{.Git.Commit}}", ""
	case len(f) >= 2 && f[0] == "git" && f[1] == "log" && (strings.Contains(cmd, "%H")):
		return "{{.Git.Commit}}", ""
	case len(f) >= 2 && f[0] == "git" && f[1] == "log" && (strings.Contains(cmd, "%h")):
		return "{{.Git.ShortCommit}}", ""
	case len(f) >= 1 && f[0] == "date":
		return "{{.Date}}", "{{.Date}} is SOURCE_DATE_EPOCH (else 1970-01-01) in RFC 3339, not the wall clock, so builds stay reproducible"
	}
	return "", ""
}
