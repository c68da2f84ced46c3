package oci

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/types"
)

// BenchmarkLayerCompression builds the layer of a real, stripped Go binary
// (crane, ~10 MB, from the module cache) at several compression settings
// and reports the compressed size, which is what a push and a pull pay for.
//
//	go test -run '^$' -bench LayerCompression -benchtime 5x ./oci
func BenchmarkLayerCompression(b *testing.B) {
	bin, size0 := craneBinary(b)
	entries := []Entry{{Path: "/ko-app/crane", Mode: 0o755, Source: bin}}
	cases := []struct {
		name string
		c    Compression
		mt   types.MediaType
	}{
		{"gzip-1", Compression{Algorithm: "gzip", Level: 1}, types.OCILayer},
		{"gzip-2", Compression{Algorithm: "gzip", Level: 2}, types.OCILayer},
		{"gzip-3", Compression{Algorithm: "gzip", Level: 3}, types.OCILayer},
		{"gzip-4", Compression{Algorithm: "gzip", Level: 4}, types.OCILayer},
		{"gzip-5", Compression{Algorithm: "gzip", Level: 5}, types.OCILayer},
		{"gzip-6", Compression{Algorithm: "gzip", Level: 6}, types.OCILayer},
		{"gzip-9", Compression{Algorithm: "gzip", Level: 9}, types.OCILayer},
		{"zstd-default", Compression{Algorithm: "zstd"}, types.OCILayerZStd},
		{"zstd-best", Compression{Algorithm: "zstd", Level: 19}, types.OCILayerZStd},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(size0)
			var size int64
			for b.Loop() {
				// NewLayer tars twice and compresses once (digest and diffID),
				// as Build does on a cache miss.
				l, err := NewLayerCompressed(entries, tc.mt, time.Unix(0, 0), tc.c)
				if err != nil {
					b.Fatal(err)
				}
				if size, err = l.Size(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "compressed-bytes")
			b.ReportMetric(100*float64(size)/float64(size0), "%-of-binary")
		})
	}
}

// BenchmarkLayerToFile is the path a new layer takes on a cache miss: read
// once through Compressed and copied to a file, as the layer cache stores
// it (gzip level 6, the default).
//
//	go test -run '^$' -bench LayerToFile -benchtime 10x ./oci
func BenchmarkLayerToFile(b *testing.B) {
	bin, size := craneBinary(b)
	entries := []Entry{{Path: "/ko-app/crane", Mode: 0o755, Source: bin}}
	dst := filepath.Join(b.TempDir(), "blob")
	b.SetBytes(size)
	for b.Loop() {
		l, err := compressLayer(entries, types.OCILayer, time.Unix(0, 0), Compression{Algorithm: "gzip", Level: 6}, false, nil)
		if err != nil {
			b.Fatal(err)
		}
		rc, err := l.Compressed()
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(dst)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(f, rc)
		if err = errors.Join(err, rc.Close(), f.Close()); err != nil {
			b.Fatal(err)
		}
	}
}

// craneBinary builds a real, stripped Go binary (crane, ~12 MB, from the
// module cache) and returns its path and size.
func craneBinary(b *testing.B) (string, int64) {
	bin := filepath.Join(b.TempDir(), "crane")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin,
		"github.com/google/go-containerregistry/cmd/crane")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Skipf("cannot build crane for the benchmark: %v\n%s", err, out)
	}
	st, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	return bin, st.Size()
}
