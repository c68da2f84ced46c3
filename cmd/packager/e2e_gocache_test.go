package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/gocache"
	"github.com/packager-dev/packager/internal/testenv"
)

// goBuildWithCache runs `go build` of examples/hello from the repository root
// with an empty GOCACHE and `packager gocacheprog` as GOCACHEPROG, and returns
// the binary and go's stderr (where gocacheprog's summary and warnings go).
func goBuildWithCache(t *testing.T, prog gocache.ProgConfig) ([]byte, string) {
	t.Helper()
	gocacheprog, err := gocache.ProgEnv(packagerBin, prog)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "hello")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./examples/hello")
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "GOCACHE="+t.TempDir(), "CGO_ENABLED=0", gocacheprog)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build with %s: %v\n%s", gocacheprog, err, stderr.String())
	}
	bin, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return bin, stderr.String()
}

var summaryRE = regexp.MustCompile(`(\d+) local hits, (\d+) remote hits, (\d+) misses; (\d+) puts`)

// counts returns local hits, remote hits, misses and puts from the summary.
func counts(t *testing.T, stderr string) [4]int {
	t.Helper()
	m := summaryRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no gocache summary in go's stderr:\n%s", stderr)
	}
	var c [4]int
	for i := range c {
		c[i], _ = strconv.Atoi(m[i+1])
	}
	return c
}

func TestGoBuildWithRemoteCache(t *testing.T) {
	testenv.SkipShort(t, "compiles the standard library twice")
	reg := testenv.StartRegistry(t)
	repo := reg.Host + "/team/gocache"

	coldDir := t.TempDir()
	cold, stderr := goBuildWithCache(t, gocache.ProgConfig{Repo: repo, CacheDir: coldDir, Verbose: true})
	c := counts(t, stderr)
	if c[1] != 0 || c[3] < 50 {
		t.Fatalf("cold build: %v (local, remote hits, misses, puts), want no hits and many puts\n%s", c, stderr)
	}

	// A fresh runner: empty GOCACHE, empty packager cache, warm registry.
	warm, stderr := goBuildWithCache(t, gocache.ProgConfig{Repo: repo, CacheDir: t.TempDir(), Verbose: true})
	w := counts(t, stderr)
	if w[1] < c[3]/2 || w[2] > 2 {
		t.Errorf("fresh runner: %v (local, remote hits, misses, puts), want remote hits for what the cold build put\n%s", w, stderr)
	}
	if !bytes.Equal(cold, warm) {
		t.Error("the binary built from the remote cache differs from the cold build")
	}
	if strings.Contains(stderr, "warning") {
		t.Errorf("warnings:\n%s", stderr)
	}

	// The registry dies: the cold runner builds again from its local level,
	// with one warning and success.
	reg.Stop()
	again, stderr := goBuildWithCache(t, gocache.ProgConfig{Repo: repo, CacheDir: coldDir, Verbose: true})
	if n := strings.Count(stderr, "packager gocache: warning"); n != 1 {
		t.Errorf("%d warnings about the dead registry, want 1:\n%s", n, stderr)
	}
	if a := counts(t, stderr); a[0] < c[3]/2 || !bytes.Equal(again, cold) {
		t.Errorf("with the registry dead: %v (local, remote hits, misses, puts), want local hits and the same binary", a)
	}
}

// TestBuildWithRemoteCache: `packager build --remote-cache` fills the
// registry's Go build cache from a cold runner, and a fresh runner (empty
// GOCACHE and packager cache) builds the same digest from it.
func TestBuildWithRemoteCache(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	dir := copyExample(t, "hello")
	repo := reg.Host + "/team/gocache"
	build := func(extra ...string) string {
		env := []string{"GOCACHE=" + t.TempDir(), "PACKAGER_CACHE_DIR=" + t.TempDir(), "GOFLAGS=-buildvcs=false"}
		r := mustPackager(t, dir, env, append([]string{"build", "--oci-layout", t.TempDir(), "."}, extra...)...)
		_, digests := r.refs(t)
		return digests[0]
	}
	plain := build()
	cold := build("--remote-cache", repo)
	if tags := strings.Fields(testenv.Run(t, "", crane, "ls", repo)); len(tags) == 0 {
		t.Fatal("the cold build wrote nothing to the remote cache")
	}
	warm := build("--remote-cache", repo, "--remote-cache-readonly")
	if cold != plain || warm != plain {
		t.Errorf("digests: plain %s, cold %s, fresh runner %s; want one", plain, cold, warm)
	}
	// remote_cache: in packager.yaml does the same as the flag.
	yaml := "remote_cache: " + reg.Host + "/team/gocache-file\nimages:\n  - main: .\n"
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if fromFile := build(); fromFile != plain {
		t.Errorf("with remote_cache: in packager.yaml: digest %s, want %s", fromFile, plain)
	}
	if tags := strings.Fields(testenv.Run(t, "", crane, "ls", reg.Host+"/team/gocache-file")); len(tags) == 0 {
		t.Error("remote_cache: in packager.yaml wrote nothing to that repository")
	}
}

// TestCachePruneLocal: `packager cache prune --max-age` removes the layers
// and linked binaries of packager's cache that were not used within it.
func TestCachePruneLocal(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	cache := t.TempDir()
	env := []string{"PACKAGER_CACHE_DIR=" + cache}
	mustPackager(t, dir, env, "build", "--oci-layout", t.TempDir(), ".")
	long := time.Now().Add(-30 * 24 * time.Hour)
	_ = filepath.WalkDir(cache, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			_ = os.Chtimes(p, long, long)
		}
		return err
	})
	r := mustPackager(t, dir, env, "cache", "prune", "--max-age", "24h")
	if !regexp.MustCompile(`removed [1-9][0-9]* layers .* and [1-9][0-9]* binaries`).MatchString(r.stdout) {
		t.Errorf("prune printed %q, want layers and binaries removed", r.stdout)
	}
	for _, sub := range []string{"layers", "bin", "blobs/sha256"} {
		if ents, _ := os.ReadDir(filepath.Join(cache, sub)); len(ents) != 0 {
			t.Errorf("%s still holds %d entries after prune", sub, len(ents))
		}
	}

	// --max-size alone: what does not fit goes, least recently used first;
	// what was used in the last minutes stays whatever its size.
	mustPackager(t, dir, env, "build", "--oci-layout", t.TempDir(), ".")
	if r := mustPackager(t, dir, env, "cache", "prune", "--max-age", "0s", "--max-size", "1KB"); !strings.Contains(r.stdout, "removed 0 layers") {
		t.Errorf("prune right after a build printed %q, want nothing removed: the build may still use it", r.stdout)
	}
	hourAgo := time.Now().Add(-time.Hour)
	_ = filepath.WalkDir(cache, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			_ = os.Chtimes(p, hourAgo, hourAgo)
		}
		return err
	})
	r = mustPackager(t, dir, env, "cache", "prune", "--max-age", "0s", "--max-size", "1KB")
	if !regexp.MustCompile(`removed [1-9][0-9]* layers .* and [1-9][0-9]* binaries`).MatchString(r.stdout) {
		t.Errorf("prune --max-size 1KB printed %q, want layers and binaries removed", r.stdout)
	}
	for _, sub := range []string{"layers", "bin", "blobs/sha256"} {
		if ents, _ := os.ReadDir(filepath.Join(cache, sub)); len(ents) != 0 {
			t.Errorf("%s still holds %d entries after prune --max-size", sub, len(ents))
		}
	}
}
