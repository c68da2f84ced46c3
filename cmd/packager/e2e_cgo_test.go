package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

const cgoMain = `package main

// int answer(void) { return 42; }
import "C"

import "fmt"

func main() { fmt.Println("answer from C:", C.answer()) }
`

// TestCgoOptIn: a cgo program is refused by default; with cgo: true and a
// base that provides glibc (here: the host's, packed into an OCI layout the
// way a distroless/base image would ship it) it builds dynamically linked
// and runs.
func TestCgoOptIn(t *testing.T) {
	testenv.RequireTool(t, "gcc")
	libc := map[string]string{ // path in the image -> file on this host
		"/lib64/ld-linux-x86-64.so.2":     "/lib64/ld-linux-x86-64.so.2",
		"/lib/x86_64-linux-gnu/libc.so.6": "/lib/x86_64-linux-gnu/libc.so.6",
	}
	if runtime.GOARCH != "amd64" {
		testenv.Unavailable(t, "the glibc base is assembled from an x86-64 host's files")
	}
	var extra []oci.Entry
	for dst, src := range libc {
		real, err := filepath.EvalSymlinks(src)
		if err != nil {
			testenv.Unavailable(t, "host glibc file %s: %v", src, err)
		}
		extra = append(extra, oci.Entry{Path: dst, Mode: 0o755, Source: real})
	}

	dir := writeModule(t, map[string]string{"main.go": cgoMain})
	if err := os.Rename(writeBaseIndex(t, "glibc", extra), filepath.Join(dir, "base")); err != nil {
		t.Fatal(err)
	}
	write := func(yaml string) {
		if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	write("base: oci:base:glibc\nimages:\n  - main: .\n")
	if r := packager(t, dir, nil, "build", "--oci-layout", "out"); r.code != 1 || !strings.Contains(r.stderr, "needs cgo") {
		t.Errorf("without cgo: true: exit %d, want 1 with 'needs cgo':\n%s", r.code, r.stderr)
	}
	write("base: static\nimages:\n  - main: .\n    cgo: true\n")
	if r := packager(t, dir, nil, "build", "--oci-layout", "out"); r.code != 2 || !strings.Contains(r.stderr, "packager.yaml:4:") {
		t.Errorf("cgo: true on static: exit %d, want 2 pointing at line 4:\n%s", r.code, r.stderr)
	}
	write("base: oci:base:glibc\nimages:\n  - main: .\n    cgo: true\n")
	mustPackager(t, dir, nil, "build", "--oci-layout", "out")
	out := runBundle(t, testenv.Unpack(t, filepath.Join(dir, "out")+":app:latest"))
	if !strings.Contains(out, "answer from C: 42") {
		t.Errorf("output %q", out)
	}
}
