package convert

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// binaries turns the builds whose output the final stage copies (or, for a
// single-stage build, runs) into main:/path: or binaries:, and the settings
// of the first build into the image's build settings.
func (c *conv) binaries(fs *finalState) {
	img := c.img
	copied := fs.copied
	if fs.singleStage {
		for _, b := range fs.st.builds {
			copied = append(copied, copiedBinary{build: b, path: b.binaryPath(), line: b.line})
		}
	}
	if len(copied) == 0 {
		copied = c.guessBinary(fs)
	}
	if len(copied) == 0 {
		img.main = "."
		img.notes.add("main", "no go build found in the Dockerfile: write the main package here")
		c.warn(0, "no go build whose binary reaches the final stage; set main: in packager.yaml by hand")
		return
	}
	first := copied[0]
	img.name = imageName(path.Base(first.path))
	for _, cb := range copied {
		main := c.mainPackage(cb.build)
		if len(copied) == 1 {
			img.main, img.path = main, cb.path
		} else {
			img.binaries = append(img.binaries, binary{main: main, path: cb.path})
		}
		img.notes.add(keyFor(len(copied)), fmt.Sprintf("go %s (%s), copied to %s (%s)", cb.build.verb, c.ref(cb.build.line), cb.path, c.ref(cb.line)))
	}
	c.buildSettings(copied)
}

func keyFor(n int) string {
	if n == 1 {
		return "main"
	}
	return "binaries"
}

// guessBinary: no COPY names a build's output, but there is exactly one
// build; its binary is presumably what ENTRYPOINT runs.
func (c *conv) guessBinary(fs *finalState) []copiedBinary {
	builds := c.allBuilds()
	if len(builds) != 1 {
		return nil
	}
	b := builds[0]
	p := b.binaryPath()
	if len(fs.entrypoint) > 0 && path.IsAbs(fs.entrypoint[0]) && !fs.entryShell {
		p = fs.entrypoint[0]
	}
	c.warn(b.line, "no COPY in the final stage takes the binary of this go build; it is put at %s", p)
	return []copiedBinary{{build: b, path: p, line: b.line}}
}

// mainPackage is the build's package relative to the build context, which
// is where packager.yaml goes.
func (c *conv) mainPackage(b *goBuild) string {
	pkg := b.pkgs[0]
	if len(b.pkgs) > 1 {
		c.warn(b.line, "go %s builds %d packages; only %s is converted", b.verb, len(b.pkgs), pkg)
	}
	if !strings.HasPrefix(pkg, ".") && !strings.HasPrefix(pkg, "/") {
		return pkg // an import path
	}
	root := b.stage.ctxRoot
	if root == "" {
		root = b.dir
		c.img.notes.add("main", "the Dockerfile copies no `.` into the builder; main: assumes go ran at the top of the build context")
	}
	abs := join(b.dir, pkg)
	rel, ok := under(abs, root)
	switch {
	case abs == root:
		return "."
	case ok:
		return "./" + rel
	}
	c.warn(b.line, "go %s %s runs outside the build context copied to %s; set main: by hand", b.verb, pkg, root)
	return pkg
}

var notName = regexp.MustCompile(`[^a-z0-9._-]+`)

func imageName(bin string) string {
	n := notName.ReplaceAllString(strings.ToLower(bin), "-")
	n = strings.Trim(n, ".-_")
	if n == "" {
		return "app"
	}
	return n
}

// buildSettings sets ldflags, flags, cgo, build_env and platforms from the
// builds. packager.yaml has one set per image, so builds that differ are a
// warning.
func (c *conv) buildSettings(copied []copiedBinary) {
	first := copied[0].build
	for _, cb := range copied[1:] {
		b := cb.build
		if b.ldflags != first.ldflags || !slices.Equal(b.flags, first.flags) {
			c.warn(b.line, "this go %s has other flags than the one at %s; packager.yaml has one set per image, the first is used", b.verb, c.ref(first.line))
		}
	}
	c.ldflags(first)
	c.flags(first)
	c.goEnv(first)
}

func (c *conv) ldflags(b *goBuild) {
	img := c.img
	keep, dropped := splitLdflags(b.ldflags)
	for _, f := range keep {
		img.ldflags = append(img.ldflags, c.vals.fill(f))
	}
	if len(keep) > 0 {
		img.notes.add("ldflags", "-ldflags ("+c.ref(b.line)+")")
	}
	if len(dropped) > 0 {
		img.notes.add("ldflags", fmt.Sprintf("%s dropped: packager always links with -s -w", strings.Join(dropped, " ")))
	}
	if strings.Contains(strings.Join(img.ldflags, " "), "{{.Env.TARGET") || strings.Contains(strings.Join(img.ldflags, " "), "{{.Env.BUILD") {
		c.warn(b.line, "-ldflags uses a platform argument (TARGETARCH, ...); packager passes the same ldflags to every platform, so it became {{.Env.NAME}}")
	}
}

func (c *conv) flags(b *goBuild) {
	img := c.img
	for _, f := range b.flags {
		img.flags = append(img.flags, c.vals.fill(f))
	}
	if len(b.flags) > 0 {
		img.notes.add("flags", "go build flags ("+c.ref(b.line)+")")
	}
	if len(b.dropped) > 0 {
		img.notes.add("flags", fmt.Sprintf("%s dropped: packager always builds with -trimpath; the others change only what go prints", strings.Join(b.dropped, " ")))
	}
}
