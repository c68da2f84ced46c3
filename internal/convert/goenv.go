package convert

import (
	"fmt"
	"slices"
	"strings"
)

// crossPlatforms is what a Dockerfile that cross-compiles for $TARGETARCH
// becomes: the platforms are given to docker buildx build, not written in
// the Dockerfile, so these are the usual two.
var crossPlatforms = []string{"linux/amd64", "linux/arm64"}

// goEnv maps the environment of a go build: GOOS/GOARCH/GOARM/GOAMD64 to
// platforms, CGO_ENABLED to cgo, other GO* variables to build_env.
func (c *conv) goEnv(b *goBuild) {
	ref := c.ref(b.line)
	get := func(k string) (string, bool) { v, ok := b.env[k]; return v, ok }
	goos, _ := get("GOOS")
	goarch, hasArch := get("GOARCH")
	switch {
	case c.vals.isOnly(goarch, platformTemplate("TARGETARCH")) || (b.stage.cross && !hasArch):
		c.out.platforms = slices.Clone(crossPlatforms)
		c.out.notes.add("platforms", fmt.Sprintf("GOARCH=$TARGETARCH (%s): list the platforms you passed to docker buildx build --platform", ref))
	case hasArch && !strings.ContainsRune(goarch, phOpen):
		p := "linux/" + goarch
		if v, ok := get("GOARM"); ok && goarch == "arm" {
			p += "/v" + v
		}
		if v, ok := get("GOAMD64"); ok && goarch == "amd64" && v != "v1" {
			p += "/" + v
		}
		c.out.platforms = []string{p}
		c.out.notes.add("platforms", fmt.Sprintf("GOARCH=%s (%s)", goarch, ref))
	case hasArch:
		c.warn(b.line, "GOARCH=%s: set platforms: by hand", c.vals.fill(goarch))
	}
	if goos != "" && goos != "linux" && !c.vals.isOnly(goos, platformTemplate("TARGETOS")) {
		c.warn(b.line, "GOOS=%s: packager builds Linux images only", c.vals.fill(goos))
	}
	c.cgo(b)
	keys := make([]string, 0, len(b.env))
	for k := range b.env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		c.buildEnv(b, k, b.env[k])
	}
}

func (c *conv) cgo(b *goBuild) {
	img := c.img
	v, ok := b.env["CGO_ENABLED"]
	switch {
	case !ok:
		img.notes.add("main", "the Dockerfile leaves CGO_ENABLED to Go's default; packager builds with CGO_ENABLED=0 (a static binary)")
	case v == "1":
		t := true
		img.cgo = &t
		img.notes.add("cgo", "CGO_ENABLED=1 ("+c.ref(b.line)+")")
		if img.base == "static" && strings.Contains(c.fromRef, "distroless/base") {
			img.base = c.fromRef
			img.notes["base"] = []string{"FROM " + c.fromRef + ": kept, since a cgo binary needs its C library"}
		}
		if img.base == "scratch" || img.base == "static" {
			c.warn(b.line, "CGO_ENABLED=1 needs a base with a C library; packager refuses cgo on %s: set base: to one such as gcr.io/distroless/base", img.base)
		}
	case v != "0":
		c.warn(b.line, "CGO_ENABLED=%s: set cgo: by hand", c.vals.fill(v))
	}
}

// handledEnv are variables goEnv maps to other keys, or that only say where
// go keeps files in the builder.
var handledEnv = map[string]bool{
	"GOOS": true, "GOARCH": true, "GOARM": true, "GOAMD64": true, "CGO_ENABLED": true,
	"GOPATH": true, "GOCACHE": true, "GOMODCACHE": true, "GOROOT": true, "GOBIN": true, "GOTMPDIR": true,
}

func (c *conv) buildEnv(b *goBuild, k, v string) {
	switch {
	case handledEnv[k]:
	case strings.HasPrefix(k, "GO") || strings.HasPrefix(k, "CGO_"):
		if strings.ContainsRune(v, phOpen) && (strings.Contains(c.vals.fill(v), "{{.Env.TARGET") || strings.Contains(c.vals.fill(v), "{{.Env.BUILD")) {
			c.warn(b.line, "%s=%s: a platform argument cannot be part of build_env; set it by hand", k, c.vals.fill(v))
			return
		}
		c.img.buildEnv.set(k, c.vals.fill(v))
		c.img.notes.add("build_env", fmt.Sprintf("%s (%s)", k, c.ref(b.line)))
	}
}
