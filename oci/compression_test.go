package oci

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

func TestCompressionDefaults(t *testing.T) {
	tests := []struct {
		in   Compression
		want Compression
	}{
		{Compression{}, Compression{"gzip", DefaultGzipLevel}},
		{Compression{Level: 1}, Compression{"gzip", 1}},
		{Compression{Algorithm: "zstd"}, Compression{"zstd", DefaultZstdLevel}},
		{Compression{Algorithm: "zstd", Level: 19}, Compression{"zstd", 19}},
	}
	for _, tt := range tests {
		if got, err := tt.in.withDefaults(); err != nil || got != tt.want {
			t.Errorf("%+v: got %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []Compression{{Algorithm: "xz"}, {Level: 10}, {Level: -1}, {Algorithm: "zstd", Level: 23}} {
		if _, err := bad.withDefaults(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestNewLayerZstd(t *testing.T) {
	src := writeFile(t, "app", []byte("binary binary binary binary"))
	entries := []Entry{{Path: "/app", Mode: 0o755, Source: src}}
	zstd := Compression{Algorithm: "zstd"}
	l, err := NewLayerCompressed(entries, types.OCILayerZStd, time.Time{}, zstd)
	if err != nil {
		t.Fatal(err)
	}
	mustValidateZstdLayer(t, l)
	if _, files := readLayer(t, l); string(files["app"].data) != "binary binary binary binary" {
		t.Errorf("layer holds %v", files)
	}
	// The encoders run on up to GOMAXPROCS cores; the bytes must not depend
	// on how many. Several MB, so that many blocks are in flight.
	big := []Entry{{Path: "/big", Mode: 0o644, Source: writeFile(t, "big", compressible(6<<20))}}
	digests := map[string]v1.Hash{} // by algorithm
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, maxGzipBlocks} {
		runtime.GOMAXPROCS(procs)
		for _, c := range []Compression{zstd, {}} {
			mt := types.OCILayer
			if c.Algorithm == "zstd" {
				mt = types.OCILayerZStd
			}
			l, err := NewLayerCompressed(big, mt, time.Time{}, c)
			if err != nil {
				t.Fatal(err)
			}
			d := mustDigest(t, l)
			if first, ok := digests[c.Algorithm]; ok && first != d {
				t.Errorf("%q output with GOMAXPROCS=%d differs from GOMAXPROCS=1", c.Algorithm, procs)
			}
			digests[c.Algorithm] = d
		}
	}
	for _, mt := range []types.MediaType{types.OCILayer, types.DockerLayer} {
		if _, err := NewLayerCompressed(entries, mt, time.Time{}, zstd); err == nil {
			t.Errorf("zstd with %s accepted", mt)
		}
	}
	if _, err := NewLayerCompressed(entries, types.OCILayerZStd, time.Time{}, Compression{}); err == nil {
		t.Error("gzip with the zstd media type accepted")
	}
}

func TestBuildCompression(t *testing.T) {
	scratch, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	s := testSpec(t, scratch)
	s.Compression = Compression{Algorithm: "zstd"}
	img := mustBuild(t, s)
	// validate.Image reads every layer as gzip; check the manifest and
	// config with it, and the zstd layers here.
	if err := validate.Image(img, validate.Fast); err != nil {
		t.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		mustValidateZstdLayer(t, l)
	}
	if mt, _ := lastLayer(t, img).MediaType(); mt != types.OCILayerZStd {
		t.Errorf("layer media type %s", mt)
	}

	docker := mutate.ConfigMediaType(mutate.MediaType(scratch, types.DockerManifestSchema2), types.DockerConfigJSON)
	s.Base = docker
	_, err = Build(context.Background(), s)
	wantErrContains(t, err, "zstd needs an OCI base")

	s.Base, s.Compression = scratch, Compression{Level: 1}
	fast := mustBuild(t, s)
	s.Compression = Compression{}
	def := mustBuild(t, s)
	s.Compression = Compression{Level: DefaultGzipLevel}
	explicit := mustBuild(t, s)
	if mustDigest(t, fast) == mustDigest(t, def) || mustDigest(t, def) != mustDigest(t, explicit) {
		t.Errorf("gzip 1 %s, default %s, explicit default %s", mustDigest(t, fast), mustDigest(t, def), mustDigest(t, explicit))
	}
}

// mustValidateZstdLayer does for a zstd layer what validate.Layer does for
// gzip (which is all it knows): the digest and size are those of the
// compressed bytes, and the DiffID that of both the decompressed bytes and
// Uncompressed(). ggcr's tarball package decompresses zstd for us.
func mustValidateZstdLayer(t *testing.T, l v1.Layer) {
	t.Helper()
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	compressed, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	digest, size, err := v1.SHA256(bytes.NewReader(compressed))
	if err != nil {
		t.Fatal(err)
	}
	if d := mustDigest(t, l); d != digest {
		t.Errorf("Digest() %s, sha256 of Compressed() %s", d, digest)
	}
	if s, err := l.Size(); err != nil || s != size {
		t.Errorf("Size() %d (%v), len(Compressed()) %d", s, err, size)
	}
	if mt, _ := l.MediaType(); mt != types.OCILayerZStd {
		t.Errorf("media type %s", mt)
	}
	decoded, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(compressed)), nil
	}, tarball.WithMediaType(types.OCILayerZStd), tarball.WithCompression(compression.ZStd))
	if err != nil {
		t.Fatal(err)
	}
	diffID, err := l.DiffID()
	if err != nil {
		t.Fatal(err)
	}
	if d, err := decoded.DiffID(); err != nil || d != diffID {
		t.Errorf("DiffID() %s, sha256 of the decompressed bytes %s (%v)", diffID, d, err)
	}
	urc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer urc.Close()
	if d, _, err := v1.SHA256(urc); err != nil || d != diffID {
		t.Errorf("DiffID() %s, sha256 of Uncompressed() %s (%v)", diffID, d, err)
	}
}

// The gzip bytes do not depend on how many cores compress them or on how
// the input is cut into writes, and they decompress to the input.
func TestGzipParallelIsDeterministic(t *testing.T) {
	data := make([]byte, 3*gzipBlockSize+12345)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.IntN(16)) // compressible, with structure across blocks
	}
	compress := func(procs, chunk int) []byte {
		t.Helper()
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var buf bytes.Buffer
		zw, err := Compression{Algorithm: "gzip", Level: DefaultGzipLevel}.writer(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for rest := data; len(rest) > 0; {
			n := min(chunk, len(rest))
			if _, err := zw.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	want := compress(1, len(data))
	for _, tc := range []struct{ procs, chunk int }{{2, 4096}, {4, 1 << 20}, {8, 777}} {
		if got := compress(tc.procs, tc.chunk); !bytes.Equal(got, want) {
			t.Errorf("GOMAXPROCS=%d, writes of %d bytes: %d compressed bytes differ from one core's %d", tc.procs, tc.chunk, len(got), len(want))
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("decompressed %d bytes (err %v), want the %d written", len(got), err, len(data))
	}
}

// compressible returns n bytes of words picked by a fixed-seed generator:
// the same bytes every run, compressible about as well as a binary.
func compressible(n int) []byte {
	words := []string{"runtime.", "main.", "net/http", "\x00\x00\x00\x00", "go.", "type:", "sync.(*Mutex).Lock", "\xff\x48\x8b"}
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 0, n+32)
	for len(b) < n {
		if r.IntN(4) == 0 {
			b = append(b, byte(r.IntN(256)))
			continue
		}
		b = append(b, words[r.IntN(len(words))]...)
	}
	return b[:n]
}
