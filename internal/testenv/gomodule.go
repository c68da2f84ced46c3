package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// DepModule is a module a test program depends on, as go.sum records it.
type DepModule struct {
	Path, Version, Sum string
}

// BuildDepProgram builds a small main module that imports
// golang.org/x/sync/errgroup, pinned at the version packager's own go.mod
// requires, so its source is in the module cache and the build needs no
// network (GOPROXY=off). It returns the static binary and the dependency
// as go.sum records it: what an SBOM of the binary must list.
func BuildDepProgram(t testing.TB) (string, DepModule) {
	t.Helper()
	goBin := RequireTool(t, "go")
	dir, dep := WriteDepModule(t)
	out := filepath.Join(dir, "syncdemo")
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("CGO_ENABLED", "0")
	Run(t, dir, goBin, "build", "-trimpath", "-o", out, ".")
	return out, dep
}

// WriteDepModule writes BuildDepProgram's module (example.com/syncdemo,
// requiring golang.org/x/sync at packager's version, with its go.sum) into
// a fresh directory, for tests that build it themselves; go needs
// GOPROXY=off and GOFLAGS=-mod=mod to build it offline.
func WriteDepModule(t testing.TB) (string, DepModule) {
	t.Helper()
	dep, goModSum := packagerSum(t, "golang.org/x/sync")
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/syncdemo\n\ngo 1.24\n\nrequire " + dep.Path + " " + dep.Version + "\n",
		"go.sum": dep.Path + " " + dep.Version + " " + dep.Sum + "\n" + dep.Path + " " + dep.Version + "/go.mod " + goModSum + "\n",
		"main.go": `package main

import (
	"fmt"

	"golang.org/x/sync/errgroup"
)

func main() {
	var g errgroup.Group
	g.Go(func() error { fmt.Println("hello from a module with a dependency"); return nil })
	_ = g.Wait()
}
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, dep
}

// packagerSum finds path's module line in packager's go.sum, and the
// go.mod hash line of the same version.
func packagerSum(t testing.TB, path string) (DepModule, string) {
	t.Helper()
	goMod := strings.TrimSpace(Run(t, "", RequireTool(t, "go"), "env", "GOMOD"))
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(goMod), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	var dep DepModule
	modSums := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != path {
			continue
		}
		if v, ok := strings.CutSuffix(f[1], "/go.mod"); ok {
			modSums[v] = f[2]
		} else {
			dep = DepModule{Path: path, Version: f[1], Sum: f[2]}
		}
	}
	if dep.Sum == "" || modSums[dep.Version] == "" {
		t.Fatalf("%s is not in packager's go.sum", path)
	}
	return dep, modSums[dep.Version]
}
