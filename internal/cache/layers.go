package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/packager-dev/packager/internal/atomicfile"
)

// Layers caches compressed image layers by key. Blobs are shared between
// keys with the same bytes. It is safe for concurrent use by goroutines and
// by processes sharing the directory.
type Layers struct {
	c    *Cache
	open func(string) (*os.File, error) // os.Open; tests count calls
}

// Get returns the layer stored under key. A missing entry, or one whose blob
// is missing or has the wrong size, is a miss (false, nil); errors are only
// for a cache that cannot be read at all. The blob is not read: the layer's
// digests, size and media type come from the index entry.
func (ls *Layers) Get(key string) (v1.Layer, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	e, err := ls.readEntry(key)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, false, nil
	case errors.Is(err, errStale):
		ls.forget(key, entry{})
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("read layer cache entry: %w", err)
	}
	fi, err := os.Stat(ls.blobPath(e.Digest))
	if errors.Is(err, fs.ErrNotExist) || err == nil && (!fi.Mode().IsRegular() || fi.Size() != e.Size) {
		ls.forget(key, entry{})
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read layer cache blob: %w", err)
	}
	// Mark the entry used, for Trim; a failure only makes it older.
	now := time.Now()
	_ = os.Chtimes(ls.entryPath(key), now, now)
	return ls.layer(key, e), true, nil
}

// Put stores l's compressed bytes under key and returns a layer read from
// the store, so the caller can drop l. The bytes are hashed as they are
// written and must match l.Digest(); if reading l fails, nothing is kept.
func (ls *Layers) Put(key string, l v1.Layer) (v1.Layer, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	e, err := ls.storeBlob(l)
	if err != nil {
		return nil, fmt.Errorf("cache layer %s: %w", key, err)
	}
	if err := ls.writeEntry(key, e); err != nil {
		return nil, fmt.Errorf("cache layer %s: %w", key, err)
	}
	return ls.layer(key, e), nil
}

// storeBlob streams l's compressed bytes to DIR/blobs/sha256/<hex> and
// returns the entry describing them. The digest is checked after streaming
// because some layers (ggcr's stream.Layer) only know it then.
func (ls *Layers) storeBlob(l v1.Layer) (entry, error) {
	tmp, err := atomicfile.Create(filepath.Join(ls.c.blobDir(), "blob"))
	if err != nil {
		return entry{}, err
	}
	h := sha256.New()
	n, err := copyCompressed(io.MultiWriter(tmp, h), l)
	if err != nil {
		tmp.Abort()
		return entry{}, err
	}
	e, err := describe(l, v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}, n)
	if err != nil {
		tmp.Abort()
		return entry{}, err
	}
	dst := ls.blobPath(e.Digest)
	if intact(dst, e.Digest, n) {
		tmp.Abort() // another Put stored the same bytes first: keep them
		return e, nil
	}
	if err := tmp.CommitTo(dst, 0o644); err != nil && !intact(dst, e.Digest, n) {
		return entry{}, err
	}
	return e, nil
}

func copyCompressed(w io.Writer, l v1.Layer) (int64, error) {
	rc, err := l.Compressed()
	if err != nil {
		return 0, fmt.Errorf("read compressed layer: %w", err)
	}
	n, err := io.Copy(w, rc)
	if err = errors.Join(err, rc.Close()); err != nil {
		return 0, fmt.Errorf("read compressed layer: %w", err)
	}
	return n, nil
}

// describe builds the entry for l, whose compressed bytes hash to got.
func describe(l v1.Layer, got v1.Hash, size int64) (entry, error) {
	want, err := l.Digest()
	if err != nil {
		return entry{}, fmt.Errorf("layer digest: %w", err)
	}
	if want != got {
		return entry{}, fmt.Errorf("layer reports digest %s but its compressed bytes hash to %s: the layer must give the same bytes every time it is read", want, got)
	}
	diffID, err := l.DiffID()
	if err != nil {
		return entry{}, fmt.Errorf("layer diffID: %w", err)
	}
	mt, err := l.MediaType()
	if err != nil {
		return entry{}, fmt.Errorf("layer media type: %w", err)
	}
	return entry{Version: entryVersion, Digest: got, DiffID: diffID, Size: size, MediaType: mt}, nil
}

// intact reports whether file holds exactly size bytes hashing to want.
func intact(file string, want v1.Hash, size int64) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	got, n, err := v1.SHA256(f)
	return err == nil && n == size && got == want
}

// forget removes key's entry and, if blob is set, the blob too, after they
// turned out unusable. Failures are ignored: the next Put overwrites both.
func (ls *Layers) forget(key string, e entry) {
	os.Remove(ls.entryPath(key))
	if e.Digest.Hex != "" {
		os.Remove(ls.blobPath(e.Digest))
	}
}

// entryPath and blobPath name files by hex digests (oci's layer keys, and
// v1.Hash values, which parse only as hex), so they stay inside the cache.
func (ls *Layers) entryPath(key string) string {
	return filepath.Join(ls.c.layerDir(), key+".json")
}

func (ls *Layers) blobPath(h v1.Hash) string {
	return filepath.Join(ls.c.blobDir(), h.Hex)
}

// Empty reports whether the cache holds no layer at all: a new cache, as
// on a fresh CI runner. A directory that cannot be read counts as empty.
func (ls *Layers) Empty() bool {
	d, err := os.Open(ls.c.layerDir())
	if err != nil {
		return true
	}
	defer d.Close()
	names, _ := d.Readdirnames(1)
	return len(names) == 0
}
