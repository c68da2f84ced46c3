package builder

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestImportPathMatchesGo(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain, "cmd/tool/main.go": helloMain})
	for _, pattern := range []string{".", "./cmd/tool", filepath.Join(dir, "cmd", "tool")} {
		got, ok := ImportPath(dir, pattern)
		if !ok {
			t.Fatalf("%s: not known", pattern)
		}
		pkg, err := Resolve(context.Background(), pattern, ResolveOptions{Dir: dir, Env: os.Environ(), Platform: linux("amd64")})
		if err != nil {
			t.Fatal(err)
		}
		if got != pkg.ImportPath {
			t.Errorf("%s: ImportPath %q, go says %q", pattern, got, pkg.ImportPath)
		}
	}
	if got, ok := ImportPath(dir, "example.com/x/cmd/y"); !ok || got != "example.com/x/cmd/y" {
		t.Errorf("import path pattern: %q %v", got, ok)
	}
	for _, p := range []string{"./...", ""} {
		if _, ok := ImportPath(dir, p); ok {
			t.Errorf("%q: claimed to know", p)
		}
	}
	if _, ok := ImportPath(t.TempDir(), "."); ok {
		t.Error("no go.mod: claimed to know")
	}
}
