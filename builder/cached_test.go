package builder

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"
)

// helloPackage writes the hello module, resolves it for linux/arch and
// returns its directory, package and build options.
func helloPackage(t *testing.T, arch string) (string, Package, Options) {
	t.Helper()
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	pkg, err := Resolve(context.Background(), ".", ResolveOptions{Dir: dir, Env: os.Environ(), Platform: linux(arch)})
	if err != nil {
		t.Fatal(err)
	}
	return dir, pkg, Options{Dir: dir, Env: os.Environ(), Platform: linux(arch)}
}

func TestBuildCachedSkipsTheLinkWhenNothingChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, pkg, o := helloPackage(t, "amd64")
	cache := t.TempDir()

	build := func() []byte {
		t.Helper()
		out := filepath.Join(t.TempDir(), "hello")
		if err := BuildCached(ctx, pkg, out, cache, o); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := build()
	target := filepath.Join(cache, cacheKey(pkg, o), "bin")
	before, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(build(), first) {
		t.Fatal("an unchanged rebuild gave different bytes")
	}
	after, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	// go replaces the target by rename when it links, so the same file
	// means it did not link (it may touch the mtime of an up-to-date target).
	if !os.SameFile(before, after) {
		t.Error("an unchanged rebuild relinked the binary")
	}

	// Same bytes as an uncached build: the cache changes speed, not output.
	plain, err := buildHello(t, dir, Options{Platform: linux("amd64")})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(plain); !bytes.Equal(b, first) {
		t.Error("cached and uncached builds differ")
	}

	// A source change is go's to notice.
	src := strings.Replace(helloMain, `"hello"`, `"hello, changed"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if changed := build(); bytes.Equal(changed, first) || !bytes.Contains(changed, []byte("hello, changed")) {
		t.Error("a changed source did not change the binary")
	}
	// Only the stable target and the lock stay in the cache directory.
	entries, _ := os.ReadDir(filepath.Join(cache, cacheKey(pkg, o)))
	if len(entries) != 2 {
		t.Errorf("cache directory holds %d entries, want bin and .lock", len(entries))
	}
}

func TestBuildCachedConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pkg, o := helloPackage(t, "arm64")
	cache := t.TempDir()

	outs := make([][]byte, 4)
	var g errgroup.Group
	for i := range outs {
		g.Go(func() error {
			out := filepath.Join(t.TempDir(), "hello")
			if err := BuildCached(ctx, pkg, out, cache, o); err != nil {
				return err
			}
			var err error
			outs[i], err = os.ReadFile(out)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	for i := range outs {
		if !bytes.Equal(outs[i], outs[0]) {
			t.Errorf("build %d differs", i)
		}
	}
}

func TestBuildCachedFailureLeavesNoTarget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pkg, o := helloPackage(t, "amd64")
	cache := t.TempDir()
	o.Flags = []string{"-nosuchflag"}
	out := filepath.Join(t.TempDir(), "hello")
	if err := BuildCached(ctx, pkg, out, cache, o); err == nil || !strings.Contains(err.Error(), "-nosuchflag") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output exists after a failed build")
	}
	assertOnlyFile(t, filepath.Join(cache, cacheKey(pkg, o)), ".lock")
}
