package builder

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/vocab"
)

// resolveModule has one package for each way resolving can go.
var resolveModule = map[string]string{
	"cmd/hello/main.go": helloMain,
	"lib/lib.go":        "package lib\n",
	"bad/main.go":       "package main\n\nfunc main() {\n\tprintln(\"hi\"\n}\n",
	"cgoapp/cgo.go":     "package main\n\n// #include <stdlib.h>\nimport \"C\"\n\nfunc main() { C.free(nil) }\n",
	// A cgo file next to a pure Go main: builds without cgo, so it resolves.
	"cgomix/main.go": "package main\n\nfunc main() {}\n",
	"cgomix/cgo.go":  "package main\n\nimport \"C\"\n\nfunc viaC() {}\n",
	// Left out for GOOS, not for cgo: Go's own message must stay.
	"winonly/main_windows.go": "package main\n\nimport \"C\"\n\nfunc main() {}\n",
	"empty/README":            "no Go here\n",
	// Only part of the build with -tags=foo.
	"tagged/main.go": "//go:build foo\n\npackage main\n\nfunc main() {}\n",
	"tagcgo/cgo.go":  "//go:build foo\n\npackage main\n\nimport \"C\"\n\nfunc main() {}\n",
}

func TestResolve(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, resolveModule)
	pkg := func(rel string) Package {
		return Package{
			ImportPath: testModule + "/" + rel,
			Dir:        realPath(t, filepath.Join(dir, filepath.FromSlash(rel))),
			Module:     testModule,
		}
	}
	hello := pkg("cmd/hello")
	for _, tc := range []struct {
		name    string
		pattern string
		o       ResolveOptions
		want    Package
	}{
		{"relative path", "./cmd/hello", ResolveOptions{}, hello},
		{"import path", testModule + "/cmd/hello", ResolveOptions{}, hello},
		{"cgo file beside pure Go", "./cgomix", ResolveOptions{}, pkg("cgomix")},
		{"cgo allowed", "./cgoapp", ResolveOptions{Cgo: true}, pkg("cgoapp")},
		{"cgo forced on by build_env", "./cgoapp", ResolveOptions{UserEnv: []string{"CGO_ENABLED=1"}}, pkg("cgoapp")},
		{"build tags", "./tagged", ResolveOptions{Flags: []string{"-tags=foo"}}, pkg("tagged")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := tc.o
			o.Dir, o.Env, o.Platform = dir, os.Environ(), linux("amd64")
			got, err := Resolve(context.Background(), tc.pattern, o)
			if err != nil {
				t.Fatal(err)
			}
			got.Dir = realPath(t, got.Dir)
			if got != tc.want {
				t.Errorf("Resolve(%q) = %+v, want %+v", tc.pattern, got, tc.want)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, resolveModule)
	for _, tc := range []struct {
		name    string
		pattern string
		o       ResolveOptions
		want    []string // substrings of the error, in order
	}{
		{"missing package", "./cmd/nope", ResolveOptions{},
			[]string{"resolve ./cmd/nope: package ./cmd/nope not found in " + dir + ": ", "cmd/nope", "directory not found"}},
		{"non-main package", "./lib", ResolveOptions{},
			[]string{`resolve ./lib: example.com/m/lib is package "lib", not a main package: an image needs package main with func main`}},
		{"syntax error", "./bad", ResolveOptions{},
			[]string{"resolve ./bad: syntax error: ", filepath.Join(".", "bad", "main.go") + ":4:", "fix the source"}},
		{"cgo only", "./cgoapp", ResolveOptions{},
			[]string{`resolve ./cgoapp: ./cgoapp needs cgo (cgo.go imports "C"), but packager builds static binaries with CGO_ENABLED=0: ` +
				"remove the cgo dependency, or set cgo: true and use a base image that provides libc"}},
		{"cgo only, with its tag", "./tagcgo", ResolveOptions{Flags: []string{"-tags", "foo"}},
			[]string{`resolve ./tagcgo: ./tagcgo needs cgo (cgo.go imports "C")`}},
		{"excluded by tag, not cgo", "./tagcgo", ResolveOptions{},
			[]string{"resolve ./tagcgo: ", "build constraints exclude all Go files"}},
		{"bad build flag", "./cmd/hello", ResolveOptions{Flags: []string{"-nosuchflag"}},
			[]string{"with build flags [\"-nosuchflag\"]: ", "flag provided but not defined: -nosuchflag"}},
		{"excluded by GOOS, not cgo", "./winonly", ResolveOptions{},
			[]string{"resolve ./winonly: ", "build constraints exclude all Go files"}},
		{"several packages", "./...", ResolveOptions{},
			[]string{"resolve ./...: matched 4 packages (example.com/m/bad, example.com/m/cgomix, example.com/m/cmd/hello, example.com/m/lib), ",
				"but each image needs exactly one main package"}},
		{"no packages", "./empty/...", ResolveOptions{},
			[]string{"resolve ./empty/...: matched no packages, but each image needs exactly one main package"}},
		{"missing directory pattern", "./nothing/...", ResolveOptions{},
			[]string{"resolve ./nothing/...: package ./nothing/... not found in " + dir + ": pattern ./nothing/...: lstat ./nothing/: no such file or directory"}},
		{"files instead of a package", "./cmd/hello/main.go", ResolveOptions{},
			[]string{"./cmd/hello/main.go names files, not a package"}},
		{"unknown platform", "./cmd/hello", ResolveOptions{Platform: linux("sparc")},
			[]string{`resolve ./cmd/hello: unsupported platform linux/sparc: unknown architecture "sparc"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := tc.o
			o.Dir, o.Env = dir, os.Environ()
			if o.Platform == (vocab.Platform{}) {
				o.Platform = linux("amd64")
			}
			_, err := Resolve(context.Background(), tc.pattern, o)
			if err == nil {
				t.Fatalf("Resolve(%q) succeeded, want an error", tc.pattern)
			}
			assertContainsInOrder(t, err.Error(), tc.want)
		})
	}
}

// TestResolveCancelled checks that a cancelled context stops go list.
func TestResolveCancelled(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Resolve(ctx, ".", ResolveOptions{Dir: dir, Env: os.Environ(), Platform: linux("amd64")})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("Resolve with a cancelled context: err = %v, want context canceled", err)
	}
}

// assertContainsInOrder fails unless s contains each of want, in order.
func assertContainsInOrder(t *testing.T, s string, want []string) {
	t.Helper()
	rest := s
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("error %q\ndoes not contain %q (after the previous matches)", s, w)
		}
		rest = rest[i+len(w):]
	}
}
