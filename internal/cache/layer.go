package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// layer returns the v1.Layer for an entry. ggcr's partial fills in
// Uncompressed (gzip or zstd, detected from the bytes). There is no
// Descriptor method on purpose: ggcr then derives the descriptor from
// digest, size and media type, with no empty annotations to trip
// validate.Image.
func (ls *Layers) layer(key string, e entry) v1.Layer {
	l, _ := partial.CompressedToLayer(&blobLayer{ls: ls, key: key, e: e}) // never fails
	return l
}

// blobLayer is a partial.CompressedLayer (plus DiffID) backed by a blob file.
type blobLayer struct {
	ls  *Layers
	key string
	e   entry
}

func (b *blobLayer) Digest() (v1.Hash, error)            { return b.e.Digest, nil }
func (b *blobLayer) DiffID() (v1.Hash, error)            { return b.e.DiffID, nil }
func (b *blobLayer) Size() (int64, error)                { return b.e.Size, nil }
func (b *blobLayer) MediaType() (types.MediaType, error) { return b.e.MediaType, nil }

// Compressed opens the blob. The bytes are hashed as they are read, and a
// read that reaches the end of a corrupted blob fails instead of ending.
func (b *blobLayer) Compressed() (io.ReadCloser, error) {
	f, err := b.ls.open(b.ls.blobPath(b.e.Digest))
	if err != nil {
		return nil, fmt.Errorf("open cached layer %s: %w; the cache at %s changed underneath: run again", b.e.Digest, err, b.ls.c.dir)
	}
	return &verifier{b: b, f: f, h: sha256.New()}, nil
}

type verifier struct {
	b *blobLayer
	f *os.File
	h hash.Hash
	n int64
}

func (v *verifier) Read(p []byte) (int, error) {
	n, err := v.f.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if err == io.EOF || v.n > v.b.e.Size {
		got := hex.EncodeToString(v.h.Sum(nil))
		if v.n != v.b.e.Size || got != v.b.e.Digest.Hex {
			v.b.ls.forget(v.b.key, v.b.e)
			return n, fmt.Errorf("cached layer %s is corrupt (read %d bytes hashing to sha256:%s); it was removed from the cache at %s: run again", v.b.e.Digest, v.n, got, v.b.ls.c.dir)
		}
	}
	return n, err
}

func (v *verifier) Close() error { return v.f.Close() }
