package oci

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/internal/testenv"
)

const layerMemoryFileEnv = "PACKAGER_OCI_TEST_LAYER_FILE"

// TestLayerMemoryBounded builds a layer of a 256 MiB incompressible file
// in a child process, reads its digest and its compressed bytes (as a push
// does) and checks the child's peak RSS stays under the file's size.
func TestLayerMemoryBounded(t *testing.T) {
	testenv.SkipShort(t, "compresses 256 MiB")
	const size = 256 << 20
	file := filepath.Join(t.TempDir(), "big")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.NewChaCha8([32]byte{1})
	if _, err := io.CopyN(f, rnd, size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLayerMemoryHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), layerMemoryFileEnv+"="+file)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("peak RSS %d MiB for a layer of a %d MiB file", rss>>20, size>>20)
	// Holding the compressed bytes of incompressible data takes at least
	// the file's size (it took 303 MiB for 128 MiB); streaming takes about
	// 40 MiB (gzip's per-core 1 MiB blocks and their compressors), and
	// 115-180 MiB under the race detector, whatever the file's size: the
	// file is bigger than that, so the test can tell the two apart.
	if rss >= size {
		t.Errorf("peak RSS %d MiB, want under %d MiB: the layer is held in memory", rss>>20, size>>20)
	}
}

// TestLayerMemoryHelper is TestLayerMemoryBounded's child.
func TestLayerMemoryHelper(t *testing.T) {
	file := os.Getenv(layerMemoryFileEnv)
	if file == "" {
		t.Skip("run by TestLayerMemoryBounded")
	}
	l, err := NewLayerCompressed([]Entry{{Path: "/big", Mode: 0o644, Source: file}}, types.OCILayer, time.Time{}, Compression{Level: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Digest(); err != nil {
		t.Fatal(err)
	}
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, rc)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("read", n)
}
