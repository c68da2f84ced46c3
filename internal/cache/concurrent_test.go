package cache

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/packager-dev/packager/internal/testenv"
)

// hammer Puts and Gets keys 0..nKeys-1 for rounds rounds, keys cycling
// through nContents contents so that blobs are shared, and reads every layer
// it gets back. It returns one line per key describing the layer. It returns
// errors instead of failing t, since it runs on goroutines other than the test's.
func hammer(ls *Layers, layers []v1.Layer, start int) ([]string, error) {
	out := make([]string, nKeys)
	for r := range rounds {
		for i := range nKeys {
			k := (i + start + r) % nKeys
			var got v1.Layer
			var err error
			if r%2 == 0 {
				got, err = ls.Put(key(fmt.Sprint(k)), layers[k%len(layers)])
			} else {
				var ok bool
				got, ok, err = ls.Get(key(fmt.Sprint(k)))
				if err == nil && !ok {
					got, err = ls.Put(key(fmt.Sprint(k)), layers[k%len(layers)])
				}
			}
			if err == nil {
				out[k], err = readLayer(got)
			}
			if err != nil {
				return nil, fmt.Errorf("key %d: %w", k, err)
			}
		}
	}
	return out, nil
}

// readLayer reads all of l and describes it in one line.
func readLayer(l v1.Layer) (string, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return "", err
	}
	_, err = io.Copy(io.Discard, rc)
	if err := errors.Join(err, rc.Close()); err != nil {
		return "", err
	}
	digest, err1 := l.Digest()
	diffID, err2 := l.DiffID()
	size, err3 := l.Size()
	mt, err4 := l.MediaType()
	return fmt.Sprintf("%s %s %d %s", digest, diffID, size, mt), errors.Join(err1, err2, err3, err4)
}

func testLayers(t testing.TB) []v1.Layer {
	t.Helper()
	return []v1.Layer{
		tarLayer(t, 10, compression.GZip),
		tarLayer(t, 11, compression.ZStd),
		tarLayer(t, 12, compression.GZip),
	}
}

const nKeys, rounds = 8, 4

func TestConcurrentGoroutines(t *testing.T) {
	c := openCache(t)
	layers := testLayers(t)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		results [][]string
	)
	for g := range 8 {
		wg.Go(func() {
			c2, err := Open(c.Dir()) // half share a *Cache, half have their own
			if err != nil {
				t.Error(err)
				return
			}
			if g%2 == 0 {
				c2 = c
			}
			r, err := hammer(c2.Layers(), layers, g)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		})
	}
	wg.Wait()
	checkResults(t, c, results)
}

// TestConcurrentProcesses runs 4 copies of this test binary (see
// TestHelperProcess) against one cache directory at once.
func TestConcurrentProcesses(t *testing.T) {
	testenv.SkipShort(t, "starts 4 processes")
	c := openCache(t)
	// The helpers wait for EOF on stdin, so they all start together.
	outs := testenv.RunTogether(t, 4, "TestHelperProcess", func(i int) []string {
		return []string{helperDirEnv + "=" + c.Dir(), fmt.Sprintf("%s=%d", helperStartEnv, i)}
	})
	var results [][]string
	for i, out := range outs {
		var r []string
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), "result "); ok {
				r = append(r, line)
			}
		}
		if len(r) != nKeys {
			t.Fatalf("helper %d printed %d results, want %d:\n%s", i, len(r), nKeys, out)
		}
		results = append(results, r)
	}
	checkResults(t, c, results)
}

const (
	helperDirEnv   = "PACKAGER_CACHE_TEST_HELPER_DIR"
	helperStartEnv = "PACKAGER_CACHE_TEST_HELPER_START"
)

// TestHelperProcess is one of TestConcurrentProcesses's processes. It waits
// for its stdin to close, hammers the cache and prints its results.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		t.Skip("run by TestConcurrentProcesses")
	}
	var start int
	fmt.Sscan(os.Getenv(helperStartEnv), &start)
	layers := testLayers(t) // built before the barrier, so the processes collide
	io.Copy(io.Discard, os.Stdin)
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := hammer(c.Layers(), layers, start)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range r {
		fmt.Println("result " + line)
	}
}

// checkResults checks that every worker saw the same layers, that those are
// the layers a fresh Get returns, and that no temporary file is left.
func checkResults(t *testing.T, c *Cache, results [][]string) {
	t.Helper()
	for i, r := range results[1:] {
		if !slices.Equal(r, results[0]) {
			t.Errorf("worker %d saw\n%s\nworker 0 saw\n%s", i+1, strings.Join(r, "\n"), strings.Join(results[0], "\n"))
		}
	}
	layers := testLayers(t)
	for k := range nKeys {
		want := describeLayer(t, layers[k%len(layers)])
		got, ok, err := c.Layers().Get(key(fmt.Sprint(k)))
		if !ok || err != nil {
			t.Fatalf("key %d: Get = %v, %v", k, ok, err)
		}
		checkBytes(t, got, want)
		line := fmt.Sprintf("%s %s %d %s", want.Digest, want.DiffID, want.Size, want.MediaType)
		if results[0][k] != line {
			t.Errorf("key %d: workers saw %s, want %s", k, results[0][k], line)
		}
	}
	if tmp := tempFiles(t, c); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	if n := len(files(t, c)); n != nKeys+len(layers) {
		t.Errorf("%d files in the cache, want %d entries and %d blobs", n, nKeys, len(layers))
	}
}
