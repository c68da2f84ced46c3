package oci

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"
	"github.com/packager-dev/packager/internal/testenv"
)

const (
	layoutHelperDirEnv = "PACKAGER_OCI_TEST_LAYOUT_DIR"
	layoutHelperIDEnv  = "PACKAGER_OCI_TEST_LAYOUT_ID"
	layoutProcs        = 8
	layoutTagsPerProc  = 3
)

// TestLayoutConcurrentProcesses runs 8 copies of this test binary (see
// TestLayoutHelperProcess), each adding 3 tags to one layout that does not
// exist yet, all released at once. Every tag must survive, every blob the
// index reaches must be there, and nothing else.
func TestLayoutConcurrentProcesses(t *testing.T) {
	testenv.SkipShort(t, "starts 8 processes")
	dir := filepath.Join(t.TempDir(), "dist", "oci")
	// The helpers wait for EOF on stdin, so they all write together.
	testenv.RunTogether(t, layoutProcs, "TestLayoutHelperProcess", func(i int) []string {
		return []string{layoutHelperDirEnv + "=" + dir, fmt.Sprintf("%s=%d", layoutHelperIDEnv, i)}
	})
	refs := refsByName(t, dir)
	for i := range layoutProcs {
		for j := range layoutTagsPerProc {
			if _, ok := refs[fmt.Sprintf("hello:p%d-t%d", i, j)]; !ok {
				t.Errorf("tag p%d-t%d is missing", i, j)
			}
		}
	}
	if len(refs) != layoutProcs*layoutTagsPerProc {
		t.Errorf("%d tags, want %d", len(refs), layoutProcs*layoutTagsPerProc)
	}
	checkLayoutComplete(t, dir)
	noStaging(t, dir)
}

// TestLayoutHelperProcess is one of TestLayoutConcurrentProcesses's writers.
func TestLayoutHelperProcess(t *testing.T) {
	dir := os.Getenv(layoutHelperDirEnv)
	if dir == "" {
		t.Skip("run by TestLayoutConcurrentProcesses")
	}
	id := os.Getenv(layoutHelperIDEnv)
	var arts []Artifact
	for j := range layoutTagsPerProc {
		img := testImage(t, linuxAmd64, "process "+id+fmt.Sprint(j))
		arts = append(arts, Artifact{Repository: "hello", Tags: []string{fmt.Sprintf("p%s-t%d", id, j)}, Image: img})
	}
	out, err := ParseOutput("oci:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, os.Stdin) // built before the barrier, so the writes collide
	// One Write per tag: more read-modify-write cycles to collide.
	for _, a := range arts {
		if _, err := out.Write(context.Background(), []Artifact{a}); err != nil {
			t.Fatal(err)
		}
	}
}

// checkLayoutComplete validates every manifest index.json names and checks
// that the layout holds no blob they do not reach.
func checkLayoutComplete(t *testing.T, dir string) {
	t.Helper()
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Index(idx); err != nil {
		t.Errorf("validate.Index: %v", err)
	}
	live, err := reachableBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(blobFiles(t, dir)); n != len(live) {
		t.Errorf("%d blobs in the layout, %d reachable from index.json", n, len(live))
	}
}

// blobFiles maps each blob file of the layout to its mode.
func blobFiles(t *testing.T, dir string) map[string]fs.FileMode {
	t.Helper()
	files := map[string]fs.FileMode{}
	err := filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		files[p] = info.Mode()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestLayoutRemovesReplacedBlobs rebuilds one tag with new content again
// and again: the layout must not grow with every build.
func TestLayoutRemovesReplacedBlobs(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "oci")
	out, err := ParseOutput("oci:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	keep := testImage(t, linuxAmd64, "kept")
	if _, err := out.Write(ctx, []Artifact{{Repository: "other", Tags: []string{"v1"}, Image: keep}}); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for i := range 3 {
		img := testImage(t, linuxAmd64, fmt.Sprint("build ", i))
		if _, err := out.Write(ctx, []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: img}}); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(blobFiles(t, dir)))
		checkLayoutComplete(t, dir)
	}
	if sizes[1] != sizes[0] || sizes[2] != sizes[0] {
		t.Errorf("blob count after each rebuild: %v; replaced images' blobs are kept", sizes)
	}
	if _, ok := refsByName(t, dir)["other:v1"]; !ok {
		t.Error("the other tag is gone")
	}

	// GCLayout on a layout with an orphan blob (as an older packager left).
	orphan := filepath.Join(dir, "blobs", "sha256", "0000000000000000000000000000000000000000000000000000000000000000")
	if err := os.WriteFile(orphan, []byte("orphan"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := GCLayout(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Blobs != 1 || st.Bytes != int64(len("orphan")) {
		t.Errorf("GCLayout = %+v, want 1 blob of %d bytes", st, len("orphan"))
	}
	checkLayoutComplete(t, dir)
}

// TestOutputModes checks that layouts and tarballs can be read by other
// users: 0644 files and 0755 directories under umask 022.
func TestOutputModes(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	parent := t.TempDir()
	arts := []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "modes")}}
	for _, dest := range []string{"oci:" + filepath.Join(parent, "oci"), "tarball:" + filepath.Join(parent, "app.tar")} {
		out, err := ParseOutput(dest)
		if err != nil {
			t.Fatal(err)
		}
		// Twice: the first write creates the layout, the second updates it.
		for range 2 {
			if _, err := out.Write(ctx, arts); err != nil {
				t.Fatal(err)
			}
			arts[0].Tags = []string{"v2"}
		}
	}
	err := filepath.WalkDir(parent, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == parent {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o644)
		if d.IsDir() {
			want = fs.ModeDir | 0o755
		}
		if info.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStaleStagingRemoved plants what a SIGKILLed packager leaves (a
// staging layout next to the output, a temporary index.json in it, a
// temporary tarball) and checks the next write removes it.
func TestStaleStagingRemoved(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "oci")
	arts := []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "stale")}}
	out, err := ParseOutput("oci:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write(ctx, arts); err != nil {
		t.Fatal(err)
	}
	stale := []string{
		filepath.Join(parent, ".oci"+stagingMarker+"123", "blobs", "sha256", "abc"),
		filepath.Join(dir, ".index.json"+stagingMarker+"456"),
		filepath.Join(parent, ".app.tar"+stagingMarker+"789"),
	}
	for _, f := range stale {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("left by a killed run"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mine := filepath.Join(parent, "notes.txt") // not packager's: kept
	if err := os.WriteFile(mine, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write(ctx, arts); err != nil {
		t.Fatal(err)
	}
	for _, f := range stale {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s is still there", f)
		}
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file that is not packager's was removed: %v", err)
	}
	checkLayoutComplete(t, dir)
}
