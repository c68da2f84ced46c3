package builder

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// countingGo writes a go command that logs each of its invocations to a
// file, then runs the real go, and returns it with the log's path.
func countingGo(t *testing.T) (goBin, log string) {
	t.Helper()
	dir := t.TempDir()
	log = filepath.Join(dir, "calls")
	goBin = filepath.Join(dir, "go")
	script := "#!/bin/sh\necho \"$*\" >> " + log + "\nexec go \"$@\"\n"
	if err := os.WriteFile(goBin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return goBin, log
}

func goCalls(t *testing.T, log string) []string {
	t.Helper()
	b, err := os.ReadFile(log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func mainPrinting(s string) string {
	return "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"" + s + "\") }\n"
}

// manyModule has four programs, two of them named server.
func manyModule(t *testing.T) (string, []Package) {
	t.Helper()
	dir := writeModule(t, map[string]string{
		"cmd/a/main.go":        mainPrinting("a"),
		"cmd/b/main.go":        mainPrinting("b"),
		"cmd/x/server/main.go": mainPrinting("x server"),
		"cmd/y/server/main.go": mainPrinting("y server"),
	})
	var pkgs []Package
	for _, p := range []string{"./cmd/a", "./cmd/b", "./cmd/x/server", "./cmd/y/server", "./cmd/a"} {
		pkgs = append(pkgs, Package{ImportPath: p, Dir: filepath.Join(dir, p)})
	}
	return dir, pkgs
}

func outputsIn(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	outs := make([]string, n)
	for i := range outs {
		outs[i] = filepath.Join(dir, "bin"+string(rune('0'+i)))
	}
	return outs
}

// Each output holds the program it was asked for, byte for byte what Build
// makes; two programs named server need a second go command, the package
// asked for twice does not.
func TestBuildManyMatchesBuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, pkgs := manyModule(t)
	goBin, log := countingGo(t)
	for _, cached := range []bool{false, true} {
		o := Options{Dir: dir, Env: os.Environ(), Platform: linux("amd64"), GoBin: goBin}
		outs := outputsIn(t, len(pkgs))
		os.Remove(log)
		var errs []error
		if cached {
			errs = BuildManyCached(ctx, pkgs, outs, t.TempDir(), o)
		} else {
			errs = BuildMany(ctx, pkgs, outs, o)
		}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("cached=%v: %s: %v", cached, pkgs[i].ImportPath, err)
			}
		}
		if calls := goCalls(t, log); len(calls) != 2 {
			t.Errorf("cached=%v: %d go commands, want 2 (one for a, b and one server; one for the other server): %q", cached, len(calls), calls)
		}
		for i, p := range pkgs {
			want := filepath.Join(t.TempDir(), "want")
			if err := Build(ctx, p, want, Options{Dir: dir, Env: os.Environ(), Platform: linux("amd64")}); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(outs[i])
			if w, _ := os.ReadFile(want); !bytes.Equal(got, w) {
				t.Errorf("cached=%v: %s: output differs from Build's", cached, p.ImportPath)
			}
		}
	}
}

// A warm BuildManyCached relinks nothing, and it shares its link targets
// with BuildCached: one package built alone is not relinked in a batch.
func TestBuildManyCachedSkipsUnchangedLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, pkgs := manyModule(t)
	pkgs = pkgs[:3]
	cache := t.TempDir()
	o := Options{Dir: dir, Env: os.Environ(), Platform: linux("arm64")}
	if err := BuildCached(ctx, pkgs[0], filepath.Join(t.TempDir(), "a"), cache, o); err != nil {
		t.Fatal(err)
	}
	targets := func() []os.FileInfo {
		var fis []os.FileInfo
		for _, p := range pkgs {
			fi, err := os.Stat(filepath.Join(cache, cacheKey(p, o), "bin"))
			if err != nil {
				t.Fatal(err)
			}
			fis = append(fis, fi)
		}
		return fis
	}
	build := func() {
		t.Helper()
		for i, err := range BuildManyCached(ctx, pkgs, outputsIn(t, len(pkgs)), cache, o) {
			if err != nil {
				t.Fatalf("%s: %v", pkgs[i].ImportPath, err)
			}
		}
	}
	alone, err := os.Stat(filepath.Join(cache, cacheKey(pkgs[0], o), "bin"))
	if err != nil {
		t.Fatal(err)
	}
	build()
	first := targets()
	if !os.SameFile(alone, first[0]) {
		t.Error("the batch relinked a program BuildCached had linked")
	}
	if err := os.WriteFile(filepath.Join(dir, "cmd/b/main.go"), []byte(mainPrinting("b changed")), 0o644); err != nil {
		t.Fatal(err)
	}
	build()
	second := targets()
	for i, p := range pkgs {
		if changed := !os.SameFile(first[i], second[i]); changed != (i == 1) {
			t.Errorf("%s: relinked = %v after a change to cmd/b only", p.ImportPath, changed)
		}
	}
}

// When one program does not compile, its error is its own (with its
// file and command), and the others are still built.
func TestBuildManyNamesTheFailingPackage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, pkgs := manyModule(t)
	pkgs = pkgs[:3]
	if err := os.WriteFile(filepath.Join(dir, "cmd/b/main.go"), []byte("package main\n\nfunc main() { undefinedThing() }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cache := range []string{"", t.TempDir()} {
		o := Options{Dir: dir, Env: os.Environ(), Platform: linux("amd64")}
		outs := outputsIn(t, len(pkgs))
		errs := BuildManyCached(ctx, pkgs, outs, cache, o)
		if cache == "" {
			errs = BuildMany(ctx, pkgs, outs, o)
		}
		for i, err := range errs {
			if i == 1 {
				if err == nil || !strings.Contains(err.Error(), "undefinedThing") || !strings.Contains(err.Error(), "-o "+outs[1]+" ./cmd/b") {
					t.Errorf("cache %q: cmd/b: err = %v, want its compile error and its own command", cache, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("cache %q: %s: %v", cache, pkgs[i].ImportPath, err)
			} else if _, err := os.Stat(outs[i]); err != nil {
				t.Errorf("cache %q: %s: %v", cache, pkgs[i].ImportPath, err)
			}
		}
	}
}

func TestExecName(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, nil)
	for _, tc := range []struct {
		pattern, want string
		ok            bool
	}{
		{"./cmd/app", "app", true},
		{".", "m", true},
		{"example.com/tool/v2", "tool", true},
		{"example.com/tool/v1", "v1", true},
		{"example.com/tool/v0", "v0", true},
		{"example.com/tool/v02", "v02", true},
		{"v2", "v2", true},
		{"./cmd/...", "", false},
	} {
		got, ok := execName(dir, Package{ImportPath: tc.pattern})
		if got != tc.want || ok != tc.ok {
			t.Errorf("execName(%q) = %q, %v; want %q, %v", tc.pattern, got, ok, tc.want, tc.ok)
		}
	}
}
