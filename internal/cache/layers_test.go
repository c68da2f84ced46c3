package cache

import (
	"errors"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/stream"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

func TestRoundTrip(t *testing.T) {
	for _, comp := range []compression.Compression{compression.GZip, compression.ZStd} {
		t.Run(string(comp), func(t *testing.T) {
			c := openCache(t)
			var opens atomic.Int32
			c.Layers().open = func(p string) (*os.File, error) { opens.Add(1); return os.Open(p) }
			src := tarLayer(t, 1, comp)
			want := describeLayer(t, src)
			k := key("round trip")

			if _, ok, err := c.Layers().Get(k); ok || err != nil {
				t.Fatalf("Get on an empty cache = %v, %v; want a miss", ok, err)
			}
			put, err := c.Layers().Put(k, src)
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := c.Layers().Get(k)
			if !ok || err != nil {
				t.Fatalf("Get after Put = %v, %v; want a hit", ok, err)
			}
			for name, l := range map[string]v1.Layer{"Put": put, "Get": got} {
				if d := describeLayer(t, l); d != want {
					t.Errorf("%s layer = %+v, want %+v", name, d, want)
				}
			}
			if n := opens.Load(); n != 0 {
				t.Errorf("Get, Digest, DiffID, Size and MediaType opened the blob %d times; want 0", n)
			}
			checkBytes(t, got, want)
			if opens.Load() == 0 {
				t.Error("the layer was read without opening the blob")
			}
			if comp != compression.GZip {
				return // ggcr's validate package only reads gzip layers
			}
			if err := validate.Layer(got); err != nil {
				t.Errorf("validate.Layer: %v", err)
			}
			img, err := mutate.AppendLayers(empty.Image, got)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate.Image(img); err != nil {
				t.Errorf("validate.Image with the cached layer: %v", err)
			}
		})
	}
}

func TestSharedBlob(t *testing.T) {
	c := openCache(t)
	src := tarLayer(t, 2, compression.GZip)
	for _, k := range []string{key("a"), key("b"), key("a")} {
		if _, err := c.Layers().Put(k, src); err != nil {
			t.Fatal(err)
		}
	}
	d := describeLayer(t, src)
	want := []string{"layers/" + key("a") + ".json", "layers/" + key("b") + ".json", "blobs/sha256/" + d.Digest.Hex}
	if got := files(t, c); strings.Join(got, " ") != strings.Join(want, " ") &&
		strings.Join(got, " ") != strings.Join([]string{want[1], want[0], want[2]}, " ") {
		t.Errorf("files = %v, want %v", got, want)
	}
}

func TestDamagedBlob(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(string) error
	}{
		{"missing", os.Remove},
		{"truncated", func(p string) error { return os.Truncate(p, 10) }},
		{"extended", func(p string) error {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			f.Write([]byte("junk"))
			return f.Close()
		}},
		{"replaced by a directory", func(p string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Mkdir(p, 0o700)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openCache(t)
			k := key(tc.name)
			src := tarLayer(t, 3, compression.GZip)
			if _, err := c.Layers().Put(k, src); err != nil {
				t.Fatal(err)
			}
			if err := tc.damage(c.Layers().blobPath(describeLayer(t, src).Digest)); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := c.Layers().Get(k); ok || err != nil {
				t.Fatalf("Get = %v, %v; want a miss", ok, err)
			}
			if _, err := os.Stat(c.Layers().entryPath(k)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("stale entry was kept: %v", err)
			}
			if tc.name == "replaced by a directory" {
				return // Put cannot replace a directory; a person made this mess
			}
			if _, err := c.Layers().Put(k, src); err != nil {
				t.Fatalf("Put after the damage: %v", err)
			}
			got, ok, err := c.Layers().Get(k)
			if !ok || err != nil {
				t.Fatalf("Get after repair = %v, %v; want a hit", ok, err)
			}
			if err := validate.Layer(got); err != nil {
				t.Errorf("validate.Layer after repair: %v", err)
			}
		})
	}
}

// A blob changed without changing its size passes Get's stat, so the
// damage must surface when the layer is read, and the next Put must repair.
func TestCorruptBlobSameSize(t *testing.T) {
	c := openCache(t)
	k := key("flip")
	src := tarLayer(t, 4, compression.GZip)
	if _, err := c.Layers().Put(k, src); err != nil {
		t.Fatal(err)
	}
	blob := c.Layers().blobPath(describeLayer(t, src).Digest)
	data, err := os.ReadFile(blob)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(blob, data, 0o600); err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.Layers().Get(k)
	if !ok || err != nil {
		t.Fatalf("Get = %v, %v; want a hit (Get does not read blobs)", ok, err)
	}
	rc, err := got.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(io.Discard, rc)
	rc.Close()
	if err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("reading a corrupt blob: err = %v, want it to say corrupt", err)
	}
	if _, ok, _ := c.Layers().Get(k); ok {
		t.Error("Get after a corrupt read still hits")
	}
	// Even if the blob stayed behind, Put must not keep corrupt bytes.
	if err := os.WriteFile(blob, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Layers().Put(k, src); err != nil {
		t.Fatal(err)
	}
	got, _, _ = c.Layers().Get(k)
	if err := validate.Layer(got); err != nil {
		t.Errorf("validate.Layer after Put repaired the blob: %v", err)
	}
}

// failing is a layer whose compressed stream breaks after a few bytes, or
// whose reported digest is wrong.
type failing struct {
	v1.Layer
	breakAfter int64   // 0: never
	digest     v1.Hash // zero: the real one
}

var errBroken = errors.New("stream broke")

func (f failing) Compressed() (io.ReadCloser, error) {
	rc, err := f.Layer.Compressed()
	if err != nil || f.breakAfter == 0 {
		return rc, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(io.LimitReader(rc, f.breakAfter), iotestErr{}), rc}, nil
}

func (f failing) Digest() (v1.Hash, error) {
	if f.digest != (v1.Hash{}) {
		return f.digest, nil
	}
	return f.Layer.Digest()
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errBroken }

func TestPutFailureLeavesNothing(t *testing.T) {
	real := tarLayer(t, 5, compression.GZip)
	for _, tc := range []struct {
		name string
		l    v1.Layer
		want string
	}{
		{"stream breaks", failing{Layer: real, breakAfter: 1000}, errBroken.Error()},
		{"wrong digest", failing{Layer: real, digest: v1.Hash{Algorithm: "sha256", Hex: key("lie")}}, "same bytes every time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openCache(t)
			k := key(tc.name)
			_, err := c.Layers().Put(k, tc.l)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Put = %v, want an error containing %q", err, tc.want)
			}
			if got := files(t, c); len(got) != 0 {
				t.Errorf("failed Put left %v", got)
			}
			if _, ok, err := c.Layers().Get(k); ok || err != nil {
				t.Errorf("Get after a failed Put = %v, %v; want a miss", ok, err)
			}
		})
	}
}

func TestStaleEntry(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"not json", "{"},
		{"other version", `{"version":99,"digest":"sha256:` + key("x") + `","diffID":"sha256:` + key("y") + `","size":1,"mediaType":"m"}`},
		{"no media type", `{"version":1,"digest":"sha256:` + key("x") + `","diffID":"sha256:` + key("y") + `","size":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openCache(t)
			k := key(tc.name)
			if err := os.WriteFile(c.Layers().entryPath(k), []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := c.Layers().Get(k); ok || err != nil {
				t.Fatalf("Get = %v, %v; want a miss", ok, err)
			}
			if got := files(t, c); len(got) != 0 {
				t.Errorf("stale entry kept: %v", got)
			}
		})
	}
}

// ggcr's stream.Layer knows its digest only after it has been read once:
// Put must read first and ask after.
func TestPutStreamLayer(t *testing.T) {
	c := openCache(t)
	src := tarLayer(t, 6, compression.GZip)
	rc, err := src.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	k := key("stream")
	put, err := c.Layers().Put(k, stream.NewLayer(rc))
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.Layers().Get(k)
	if !ok || err != nil {
		t.Fatalf("Get = %v, %v; want a hit", ok, err)
	}
	if a, b := describeLayer(t, put), describeLayer(t, got); a != b {
		t.Errorf("Put returned %+v, Get %+v", a, b)
	}
	if err := validate.Layer(got); err != nil {
		t.Errorf("validate.Layer: %v", err)
	}
}

// A new cache is empty; one layer put makes it not.
func TestLayersEmpty(t *testing.T) {
	c := openCache(t)
	if !c.Layers().Empty() {
		t.Error("a new cache is not empty")
	}
	if _, err := c.Layers().Put(key("one"), tarLayer(t, 1, compression.GZip)); err != nil {
		t.Fatal(err)
	}
	if c.Layers().Empty() {
		t.Error("a cache holding a layer is empty")
	}
}
