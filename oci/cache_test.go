package oci

import (
	"bytes"
	"context"
	"io"
	"os"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// memCache is a LayerCache in memory that counts hits and misses.
type memCache struct {
	mu           sync.Mutex
	layers       map[string][]byte
	mediaTypes   map[string]string
	hits, misses int
}

func newMemCache() *memCache {
	return &memCache{layers: map[string][]byte{}, mediaTypes: map[string]string{}}
}

func (c *memCache) Get(key string) (v1.Layer, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, ok := c.layers[key]
	if !ok {
		c.misses++
		return nil, false, nil
	}
	c.hits++
	l, err := c.open(key, data)
	return l, err == nil, err
}

func (c *memCache) Put(key string, l v1.Layer) (v1.Layer, error) {
	rc, err := l.Compressed()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	mt, err := l.MediaType()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.layers[key], c.mediaTypes[key] = data, string(mt)
	return c.open(key, data)
}

func (c *memCache) open(key string, data []byte) (v1.Layer, error) {
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.MediaType(c.mediaTypes[key])))
}

func TestBuildLayerCache(t *testing.T) {
	static, err := StaticBase(linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	cache := newMemCache()
	s := testSpec(t, static)
	s.Files = []File{{Src: tree(t, map[string]string{"a.conf": "a"}, nil), Dst: "/etc/app"}}
	s.Cache = cache
	uncached := s
	uncached.Cache = nil

	want := mustDigest(t, mustBuild(t, uncached))
	first := mustBuild(t, s)
	mustValidate(t, first)
	if cache.hits != 0 || cache.misses != 2 || mustDigest(t, first) != want {
		t.Fatalf("first build: %d hits, %d misses; digest %s, uncached %s", cache.hits, cache.misses, mustDigest(t, first), want)
	}
	second := mustBuild(t, s)
	mustValidate(t, second)
	if cache.hits != 2 || cache.misses != 2 || mustDigest(t, second) != want {
		t.Fatalf("second build: %d hits, %d misses; digest %s, want %s", cache.hits, cache.misses, mustDigest(t, second), want)
	}

	// One byte more in the binary: its layer misses, the files layer hits.
	if err := os.WriteFile(s.Binaries[0].Source, []byte("pretend this is an ELF binary!"), 0o755); err != nil {
		t.Fatal(err)
	}
	third := mustBuild(t, s)
	if cache.hits != 3 || cache.misses != 3 || mustDigest(t, third) == want {
		t.Errorf("changed binary: %d hits, %d misses; digest %s (old %s)", cache.hits, cache.misses, mustDigest(t, third), want)
	}

	// Another compression is another key.
	s.Compression = Compression{Level: 9}
	mustBuild(t, s)
	if cache.misses != 5 {
		t.Errorf("gzip 9: %d misses, want 5", cache.misses)
	}
}

func mustBuild(t *testing.T, s Spec) v1.Image {
	t.Helper()
	img, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// A binary's ID stands in for hashing its contents: the same ID is a hit
// even when the file is not read, another ID is a miss.
func TestBuildLayerCacheBinaryID(t *testing.T) {
	static, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	cache := newMemCache()
	bin := writeFile(t, "app", []byte("binary one"))
	s := Spec{Base: static, Platform: linuxAmd64, Binaries: []Binary{{Source: bin, Path: "/app", ID: "id-one"}}, Cache: cache}
	want := mustDigest(t, mustBuild(t, s))
	if cache.misses != 1 {
		t.Fatalf("first build: %d misses", cache.misses)
	}
	mustBuild(t, s)
	if cache.hits != 1 {
		t.Errorf("same ID: %d hits, want 1", cache.hits)
	}
	s.Binaries[0].ID = "id-two"
	if err := os.WriteFile(bin, []byte("binary two"), 0o755); err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, mustBuild(t, s)) == want || cache.misses != 2 {
		t.Errorf("new ID: %d misses, want 2", cache.misses)
	}
}
