package cache

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// LayerCache is the interface the oci package defines; *Layers must satisfy
// it without this package importing oci.
type LayerCache interface {
	Get(key string) (v1.Layer, bool, error)
	Put(key string, l v1.Layer) (v1.Layer, error)
}

var _ LayerCache = (*Layers)(nil)

func openCache(t *testing.T) *Cache {
	t.Helper()
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// key returns a valid cache key derived from s.
func key(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// tarLayer returns a deterministic layer (the same bytes in every process)
// holding one file of pseudo-random data chosen by seed.
func tarLayer(t testing.TB, seed uint64, c compression.Compression) v1.Layer {
	t.Helper()
	data := make([]byte, 16<<10)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range data {
		data[i] = byte(r.IntN(16)) // half-compressible
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Name: "data", Mode: 0o644, Size: int64(len(data)), Format: tar.FormatUSTAR}
	if err := tw.WriteHeader(hdr); err != nil {
		t.Fatal(err)
	}
	tw.Write(data)
	tw.Close()
	mt := types.OCILayer
	if c == compression.ZStd {
		mt = types.OCILayerZStd
	}
	opener := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil }
	l, err := tarball.LayerFromOpener(opener, tarball.WithCompression(c), tarball.WithMediaType(mt))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// files lists every file under the cache's layers and blobs directories,
// temporary files included, relative to the cache directory.
func files(t *testing.T, c *Cache) []string {
	t.Helper()
	var out []string
	for _, d := range []string{c.layerDir(), c.blobDir()} {
		des, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, de := range des {
			rel, _ := filepath.Rel(c.Dir(), filepath.Join(d, de.Name()))
			out = append(out, rel)
		}
	}
	return out
}

func tempFiles(t *testing.T, c *Cache) []string {
	t.Helper()
	var out []string
	for _, f := range files(t, c) {
		if strings.HasPrefix(filepath.Base(f), ".") {
			out = append(out, f)
		}
	}
	return out
}

type described struct {
	Digest, DiffID v1.Hash
	Size           int64
	MediaType      types.MediaType
}

func describeLayer(t testing.TB, l v1.Layer) described {
	t.Helper()
	var d described
	var err error
	if d.Digest, err = l.Digest(); err != nil {
		t.Fatal(err)
	}
	if d.DiffID, err = l.DiffID(); err != nil {
		t.Fatal(err)
	}
	if d.Size, err = l.Size(); err != nil {
		t.Fatal(err)
	}
	if d.MediaType, err = l.MediaType(); err != nil {
		t.Fatal(err)
	}
	return d
}

// checkBytes reads l and checks its digest, size and diffID against want.
// It covers what validate.Layer does for gzip, for zstd layers too.
func checkBytes(t *testing.T, l v1.Layer, want described) {
	t.Helper()
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	digest, size, err := v1.SHA256(rc)
	rc.Close()
	if err != nil {
		t.Fatalf("read compressed: %v", err)
	}
	rc, err = l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	diffID, _, err := v1.SHA256(rc)
	rc.Close()
	if err != nil {
		t.Fatalf("read uncompressed: %v", err)
	}
	if digest != want.Digest || size != want.Size || diffID != want.DiffID {
		t.Errorf("bytes hash to digest %s, size %d, diffID %s; want %+v", digest, size, diffID, want)
	}
}
