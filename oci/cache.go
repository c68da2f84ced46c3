package oci

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// LayerCache keeps compressed layers by a key naming their content, so a rebuild
// with the same inputs neither re-tars nor recompresses.
type LayerCache interface {
	Get(key string) (v1.Layer, bool, error)
	Put(key string, l v1.Layer) (v1.Layer, error) // stores l's compressed bytes; returns a layer read from the store
}

// layerKeyVersion changes whenever the tar or key encoding changes, so a
// cache filled by an older packager is not trusted.
const layerKeyVersion = "packager-layer-key-v2" // v2: gzip by pgzip, 1 MB blocks

// compressorVersions names the code that produces the compressed bytes. A
// new Go (compress/gzip) or klauspost/compress may compress differently;
// a cache hit must give the bytes a fresh build would.
var compressorVersions = sync.OnceValue(func() string {
	v := runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			switch m.Path {
			case "github.com/klauspost/compress", "github.com/klauspost/pgzip", "github.com/google/go-containerregistry":
				v += " " + m.Path + "@" + m.Version
			}
		}
	}
	return v
})

// layerKey is the hex sha256 of everything that determines a layer's
// compressed bytes: complete, sorted entries (path, mode, owner, link
// target, sha256 of the contents), media type, mtime and compression.
// Source files are read to hash them, which is far cheaper than compressing.
func layerKey(all []Entry, mt types.MediaType, mtime time.Time, c Compression) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%q\n%d\n%s %d\n%d\n", layerKeyVersion, compressorVersions(), mt, mtime.Unix(), c.Algorithm, c.Level, len(all))
	for _, e := range all {
		sum, err := contentSum(e)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%q %d %d %d %q %s\n", e.Path, uint32(e.Mode), e.UID, e.GID, e.Linkname, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// contentSum is the hex sha256 of a file entry's contents, "-" for
// directories and symlinks.
func contentSum(e Entry) (string, error) {
	if e.Mode&(fs.ModeDir|fs.ModeSymlink) != 0 {
		return "-", nil
	}
	if e.Source != "" && e.SourceID != "" {
		return "id:" + e.SourceID, nil
	}
	h := sha256.New()
	if e.Source == "" {
		h.Write(e.Data)
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	if err := hashFile(h, e.Source); err != nil {
		return "", fmt.Errorf("layer entry %s: %w", e.Path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h hash.Hash, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(h, f)
	return err
}

// cachedLayer builds the layer of entries, through cache when it is not nil.
//
// early, when not nil and the layer is not in the cache, gets the layer as
// it is being compressed into the cache, for an upload alongside (see
// Spec.EarlyUpload).
func cachedLayer(cache LayerCache, entries []Entry, mt types.MediaType, mtime time.Time, c Compression, early func(v1.Layer)) (v1.Layer, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	all, err := completeEntries(entries)
	if err != nil {
		return nil, err
	}
	mtime = layerTime(mtime)
	if cache == nil {
		return newLayer(all, mt, mtime, c, true)
	}
	key, err := layerKey(all, mt, mtime, c)
	if err != nil {
		return nil, err
	}
	l, ok, err := cache.Get(key)
	if err != nil {
		return nil, fmt.Errorf("layer cache: get %s: %w", key, err)
	}
	if !ok {
		// Put reads the layer once, streaming it into the cache.
		var tap *layerTap
		if early != nil {
			tap = newLayerTap(mt)
			// Whatever happens, the early upload is not left waiting.
			defer tap.finish(layerSums{}, errTapDropped)
		}
		if l, err = compressLayer(all, mt, mtime, c, false, tap); err != nil {
			return nil, err
		}
		if tap != nil {
			early(tap.layer())
		}
		if l, err = cache.Put(key, l); err != nil {
			return nil, fmt.Errorf("layer cache: put %s: %w", key, err)
		}
	}
	// A cache that mixes up media types would make an image no runtime can
	// unpack; catch it here rather than at pull time.
	got, err := l.MediaType()
	if err != nil {
		return nil, fmt.Errorf("layer cache: %s: %w", key, err)
	}
	if got != mt {
		return nil, fmt.Errorf("layer cache: %s holds a %s layer, want %s; the cache is inconsistent, clear it", key, got, mt)
	}
	return plainLayer{l}, nil
}
