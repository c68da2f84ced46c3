package builder

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/packager-dev/packager/vocab"
)

// testModule is the module path of every module the tests write.
const testModule = "example.com/m"

// writeModule writes files (slash-separated path -> content) into a new
// temporary module and returns its directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	all := map[string]string{"go.mod": "module " + testModule + "\n\ngo 1.26\n"}
	for name, content := range files {
		all[name] = content
	}
	for name, content := range all {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// linux is the Linux platform for a Go architecture.
func linux(arch string) vocab.Platform { return vocab.Platform{OS: "linux", Architecture: arch} }

// realPath resolves symlinks so paths from go list and t.TempDir compare.
func realPath(t *testing.T, path string) string {
	t.Helper()
	p, err := filepath.EvalSymlinks(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const helloMain = `package main

import "fmt"

var version = "dev"

func main() { fmt.Println("hello", version) }
`
