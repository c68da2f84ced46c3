package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes Parse or Targets panic, and that a
// failed Parse always explains itself with *Error values.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		fullFile,
		selectFile,
		"",
		"images:\n  - main: .\n",
		"defaults: {tags: &x [v1]}\nimages: [{main: ./a, tags: *x}]\n",
		"images:\n\t- main: ./a\n",
		"platforms: [linux/amd46]\nbase: statik\nimages: [{main: ./a, cgo: true}]\n",
		"repo: a\n---\nrepo: b\n",
		runtimeFile,
		"platforms: [all]\nimages: [{binaries: [{main: ./a}, {main: ./b, path: /x}], ports: [70000], files: [{src: ., dst: ../etc, mode: 0644, uid: 1}]}]\n",
		"defaults: {healthcheck: {test: [], interval: x, retries: -1}, labels: {v: '{{.Git.Tag}}'}}\n",
		// Hostile input: NUL, host files, a file over the binary, alias bombs.
		"images: [{main: ./a, env: {A: \"x\\0y\"}, args: [\"\\0\"], user: \"\\0\"}]\n",
		"images: [{main: ./a, files: [{src: /etc/shadow, dst: /etc/x}, {src: ../.., dst: /usr/local/bin/a}]}]\n",
		"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nimages: [{main: ./a, tags: *c}]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("packager.yaml", "/src", data)
		if err != nil {
			problems(t, err) // fails unless every problem is an *Error
			return
		}
		_, err = file.Targets(Overrides{Packages: []string{"./cmd/x"}})
		problems(t, err)
		_, err = file.Targets(Overrides{})
		problems(t, err)
	})
}

// FuzzFileSrc checks the containment of files: sources: whatever src: says
// (absolute, "..", through symlinks in or out of the project), a source
// Targets accepts resolves inside the project.
func FuzzFileSrc(f *testing.F) {
	for _, seed := range []string{
		"static", "../static", "/etc/passwd", "out", "rel", "in", "secret", ".", "..", "deploy/../static",
		"in/../../outside", "in/index.html", "./in/./", "/", "//etc", "static/../../outside/secret",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if strings.ContainsAny(src, "\x00\n\r\"\\") || src == "" {
			return // not a YAML scalar this test writes; NUL is TestNUL's
		}
		root, outside := module(t)
		deploy := filepath.Join(root, "deploy")
		yaml := "images:\n  - main: ./a\n    files: [{src: \"" + src + "\", dst: /x}]\n"
		file, err := Parse("packager.yaml", deploy, []byte(yaml))
		if err != nil {
			return
		}
		targets, err := file.Targets(Overrides{})
		if err != nil {
			problems(t, err)
			return
		}
		real, err := filepath.EvalSymlinks(targets[0].Files[0].Src)
		if err != nil {
			t.Fatalf("src %q accepted but does not resolve: %v", src, err)
		}
		if !within(root, real) || within(outside, real) {
			t.Errorf("src %q accepted but resolves to %s, outside %s", src, real, root)
		}
		if targets[0].Files[0].Root != root {
			t.Errorf("Root = %q, want %q", targets[0].Files[0].Root, root)
		}
	})
}
