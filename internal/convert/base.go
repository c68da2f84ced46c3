package convert

import (
	"fmt"
	"strings"
)

// setBase maps the final stage's FROM to a packager base, and writes down
// the user (and working directory) that base gave the Dockerfile's image, so
// the converted image runs as the same user: packager's own default is
// 65532:65532.
func (c *conv) setBase(st *stage) {
	img := c.img
	l := stageLine(st)
	ref := st.inst.BaseName
	if v, _, err := c.lex.ProcessWord(ref, metaEnv(c.meta)); err == nil {
		ref = v
	}
	if parent := c.stageByName(ref); parent != nil {
		c.warn(l, "FROM %s: the final stage builds on another stage; only the final stage's instructions and that stage's go builds are converted", ref)
		ref = rootBase(c, parent)
	}
	c.fromRef = ref
	root := "0"
	switch b := baseKind(ref); {
	case b == "scratch":
		img.base = "scratch"
		img.user = &root
		img.notes.add("user", "the Dockerfile sets no USER, so it runs as root; delete this line for packager's default 65532:65532")
		img.env.set("PATH", dockerPath)
		img.notes.add("env", "PATH: docker build writes this default into every image's config")
	case b == "static" || b == "static-nonroot":
		img.base = "static"
		img.notes.add("base", fmt.Sprintf("FROM %s (%s): packager's built-in static base is the same idea, built without the network", ref, c.ref(l)))
		if b == "static-nonroot" {
			u := "65532"
			img.user, img.workdir = &u, "/home/nonroot"
			img.notes.add("user", "as "+ref+" sets it")
			img.notes.add("workdir", "as "+ref+" sets it")
		} else {
			img.user = &root
			img.notes.add("user", "as "+ref+" runs: as root; delete this line for packager's default 65532:65532")
		}
	case isGoImage(ref):
		img.base = "static"
		img.user = &root
		img.notes.add("base", fmt.Sprintf("FROM %s (%s): a single-stage build; packager's image has only the binary", ref, c.ref(l)))
		c.warn(l, "FROM %s: a single-stage build; the Go toolchain and the source were in the image, packager's image has only the binary on the static base", ref)
	default:
		img.base = ref
		img.notes.add("base", fmt.Sprintf("FROM %s (%s): a registry base, pulled at build time; if the program needs nothing from it, base: static is smaller and needs no network", ref, c.ref(l)))
		img.notes.add("base", "packager runs as 65532:65532 unless user: says otherwise; the Dockerfile ran as this base's user")
	}
}

// dockerPath is the PATH docker build (legacy and BuildKit) writes into an
// image whose base sets none.
const dockerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// baseKind sorts a base reference: "scratch", "static" (distroless static or
// base, Chainguard static: a root filesystem for static binaries),
// "static-nonroot" (their nonroot variants), or "" for any other image.
func baseKind(ref string) string {
	r := strings.ToLower(ref)
	if r == "scratch" {
		return "scratch"
	}
	name, tag, _ := strings.Cut(r[strings.LastIndex(r, "/")+1:], ":")
	tag, _, _ = strings.Cut(tag, "@")
	distroless := strings.Contains(r, "distroless/") && (strings.HasPrefix(name, "static") || strings.HasPrefix(name, "base"))
	chainguard := strings.Contains(r, "chainguard/static")
	switch {
	case chainguard:
		return "static-nonroot"
	case distroless && strings.Contains(tag, "nonroot"):
		return "static-nonroot"
	case distroless:
		return "static"
	}
	return ""
}

// rootBase follows FROM <stage> back to an image reference.
func rootBase(c *conv, s *stage) string {
	for i := 0; i < len(c.stages); i++ {
		parent := c.stageByName(s.inst.BaseName)
		if parent == nil || parent == s {
			break
		}
		s = parent
	}
	return s.inst.BaseName
}

// metaEnv expands ARGs declared before FROM to their defaults: a base
// cannot be a template.
type metaEnv map[string]*string

func (m metaEnv) Get(key string) (string, bool) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", ok
	}
	return *v, true
}

func (m metaEnv) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func stageLine(st *stage) int {
	if len(st.inst.Location) > 0 {
		return st.inst.Location[0].Start.Line
	}
	return 0
}
