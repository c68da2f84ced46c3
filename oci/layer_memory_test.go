package oci

import (
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/internal/cache"
	"github.com/packager-dev/packager/internal/testenv"
)

const (
	layerMemoryFileEnv  = "PACKAGER_OCI_TEST_LAYER_FILE"
	layerMemoryCacheEnv = "PACKAGER_OCI_TEST_LAYER_CACHE"
	layerMemorySize     = 256 << 20
)

// TestLayerMemoryBounded builds a layer of a 256 MiB incompressible file
// in a child process, reads its digest and its compressed bytes (as a push
// does) and checks the child's peak RSS stays under a quarter of the
// file's size (under the file's size with the race detector):
// with --no-cache (digests computed in a first pass, compressed again on
// read) and through the layer cache, packager's default (compressed once,
// streaming into the cache, then read from it).
func TestLayerMemoryBounded(t *testing.T) {
	testenv.SkipShort(t, "compresses 256 MiB twice")
	file := filepath.Join(t.TempDir(), "big")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.NewChaCha8([32]byte{1})
	if _, err := io.CopyN(f, rnd, layerMemorySize); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		cache bool
	}{{"no cache", false}, {"cache", true}} {
		t.Run(tc.name, func(t *testing.T) {
			env := []string{layerMemoryFileEnv + "=" + file}
			var cacheDir string
			if tc.cache {
				cacheDir = t.TempDir()
				env = append(env, layerMemoryCacheEnv+"="+cacheDir)
			}
			rss := layerHelperRSS(t, env)
			t.Logf("peak RSS %d MiB for a layer of a %d MiB file", rss>>20, layerMemorySize>>20)
			// Holding the compressed bytes of incompressible data takes at
			// least the file's size (it took 303 MiB for 128 MiB). Streaming
			// takes the same whatever the file's size (gzip's 1 MiB blocks,
			// at most 4 at once, and their compressors): 27-48 MiB, and
			// 115-180 MiB under the race detector.
			limit := int64(layerMemorySize / 4)
			if testenv.RaceEnabled {
				limit = layerMemorySize
			}
			if rss >= limit {
				t.Errorf("peak RSS %d MiB, want under %d MiB: the layer is held in memory", rss>>20, limit>>20)
			}
			if tc.cache && cachedBytes(t, cacheDir) < layerMemorySize {
				t.Errorf("the cache holds under %d MiB: the layer did not go through it", layerMemorySize>>20)
			}
		})
	}
}

// layerHelperRSS runs TestLayerMemoryHelper with env and returns its peak
// RSS in bytes, as the child reports it (VmHWM). Not the child's rusage:
// its ru_maxrss counts from the fork, when the child still shares the
// parent's memory, so a test binary grown by earlier tests would report
// its own size (170 MiB in a full run) whatever the child did.
func layerHelperRSS(t *testing.T, env []string) int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLayerMemoryHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^VmHWM:\s+(\d+) kB$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("helper reported no VmHWM:\n%s", out)
	}
	kb, err := strconv.ParseInt(string(m[1]), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return kb << 10
}

// cachedBytes is the size of the files under dir.
func cachedBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		n += fi.Size()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLayerMemoryHelper is TestLayerMemoryBounded's child.
func TestLayerMemoryHelper(t *testing.T) {
	file := os.Getenv(layerMemoryFileEnv)
	if file == "" {
		t.Skip("run by TestLayerMemoryBounded")
	}
	var lc LayerCache
	if dir := os.Getenv(layerMemoryCacheEnv); dir != "" {
		c, err := cache.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		lc = c.Layers()
	}
	l, err := cachedLayer(lc, []Entry{{Path: "/big", Mode: 0o644, Source: file}}, types.OCILayer, time.Time{}, Compression{Level: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	readLayerAsPush(t, l)
	// The peak of this process's memory since its exec, for the parent.
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Println(line)
		}
	}
}

// readLayerAsPush reads l as a push does: its digest, then its compressed bytes.
func readLayerAsPush(t *testing.T, l v1.Layer) {
	t.Helper()
	if _, err := l.Digest(); err != nil {
		t.Fatal(err)
	}
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("read", n)
}
