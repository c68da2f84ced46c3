package oci

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// compressLayer writes the tar of all and compresses it in one pass,
// hashing the tar (diffID) and the compressed bytes (digest) on the way.
// ggcr's tarball layers compress once to learn the digest and again each
// time the bytes are read; here the work is done once and kept in memory
// (a few MB for a Go binary) until the layer is cached or published.
func compressLayer(all []Entry, mt types.MediaType, mtime time.Time, c Compression) (v1.Layer, error) {
	if _, err := c.layerOptions(mt); err != nil {
		return nil, err
	}
	var (
		out        bytes.Buffer
		compressed = sha256.New()
		tarSum     = sha256.New()
	)
	zw, err := c.writer(io.MultiWriter(&out, compressed))
	if err != nil {
		return nil, err
	}
	if err := writeTar(io.MultiWriter(zw, tarSum), all, mtime); err != nil {
		return nil, fmt.Errorf("build layer: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("build layer: %w", err)
	}
	l := &memLayer{
		data:   out.Bytes(),
		digest: sumOf(compressed),
		diffID: sumOf(tarSum),
		mt:     mt,
	}
	return partial.CompressedToLayer(l)
}

// writer returns the compressor for c (already defaulted). Both encoders
// are deterministic: the same input and level give the same bytes.
func (c Compression) writer(w io.Writer) (io.WriteCloser, error) {
	if c.Algorithm == "zstd" {
		return zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(c.Level)), zstd.WithEncoderConcurrency(1))
	}
	return gzip.NewWriterLevel(w, c.Level)
}

func sumOf(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", h.Sum(nil))}
}

// memLayer is a compressed layer held in memory with its digests known.
// partial.CompressedToLayer derives Uncompressed from it.
type memLayer struct {
	data           []byte
	digest, diffID v1.Hash
	mt             types.MediaType
}

func (l *memLayer) Digest() (v1.Hash, error)            { return l.digest, nil }
func (l *memLayer) DiffID() (v1.Hash, error)            { return l.diffID, nil }
func (l *memLayer) Size() (int64, error)                { return int64(len(l.data)), nil }
func (l *memLayer) MediaType() (types.MediaType, error) { return l.mt, nil }
func (l *memLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.data)), nil
}
