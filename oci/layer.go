package oci

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Entry is one file, directory or symlink in a layer.
type Entry struct {
	Path     string      // absolute and clean, in the image ("/usr/local/bin/app")
	Mode     fs.FileMode // permission bits plus fs.ModeDir / fs.ModeSymlink / fs.ModeSetuid|ModeSetgid|ModeSticky
	UID, GID int
	Data     []byte // contents for small files, or
	Source   string // a file on disk to read (for the binary; streamed, not loaded into memory)
	// SourceID, when set, names Source's contents for the layer cache key
	// instead of their sha256 (a Go build ID: its last part hashes the
	// binary), so a cache hit needs no read of a large file. The caller
	// vouches that equal IDs mean equal bytes.
	SourceID string
	Linkname string // symlink target
}

// NewLayer builds a deterministic tar layer from entries: sorted by path,
// missing parent directories added (0755, root), every ModTime = mtime,
// uid/gid as given with empty user and group names, no access or change
// times. mt is types.OCILayer or types.DockerLayer; the tar is gzipped at
// [DefaultGzipLevel]. See [NewLayerCompressed] for other compression.
//
// A zero mtime means the Unix epoch, and mtime is truncated to whole seconds:
// both keep the tar headers in the plain USTAR format, so the bytes depend
// only on the entries.
//
// Source files are read each time the layer is read (ggcr reads it twice
// here to compute the digests), so they must not change while the layer is in use.
func NewLayer(entries []Entry, mt types.MediaType, mtime time.Time) (v1.Layer, error) {
	return NewLayerCompressed(entries, mt, mtime, Compression{})
}

// NewLayerCompressed is [NewLayer] with the compression c: gzip takes mt
// types.OCILayer or types.DockerLayer, zstd takes types.OCILayerZStd.
func NewLayerCompressed(entries []Entry, mt types.MediaType, mtime time.Time, c Compression) (v1.Layer, error) {
	return cachedLayer(nil, entries, mt, mtime, c, nil)
}

// layerTime is the mtime written into tar headers: whole seconds, UTC, and
// the Unix epoch for the zero time.
func layerTime(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.Truncate(time.Second).UTC()
}

// newLayer builds the layer from complete, sorted entries, a normalized
// mtime and defaulted compression settings; eager computes its digests now
// (see compressLayer).
func newLayer(all []Entry, mt types.MediaType, mtime time.Time, c Compression, eager bool) (v1.Layer, error) {
	return compressLayer(all, mt, mtime, c, eager, nil)
}

// plainLayer hides the Descriptor method of ggcr's tarball layer. That
// descriptor carries an empty, non-nil annotations map, which the manifest
// JSON drops (omitempty): Manifest() and the parsed RawManifest() would then
// disagree and validate.Image rejects the image. Without it, ggcr builds the
// descriptor from digest, size and media type alone.
type plainLayer struct{ v1.Layer }

// completeEntries validates entries, adds the missing parent directories and
// sorts the result by path, so that parents always come before children.
func completeEntries(entries []Entry) ([]Entry, error) {
	byPath := make(map[string]Entry, len(entries))
	for _, e := range entries {
		if err := checkEntry(e); err != nil {
			return nil, err
		}
		if _, dup := byPath[e.Path]; dup {
			return nil, fmt.Errorf("layer entry %s is listed twice: keep one", e.Path)
		}
		byPath[e.Path] = e
	}
	for _, e := range entries {
		for dir := path.Dir(e.Path); dir != "/"; dir = path.Dir(dir) {
			parent, ok := byPath[dir]
			if !ok {
				byPath[dir] = Entry{Path: dir, Mode: fs.ModeDir | 0o755}
				continue
			}
			if !parent.Mode.IsDir() {
				return nil, fmt.Errorf("layer entry %s is inside %s, which is not a directory", e.Path, dir)
			}
		}
	}
	all := make([]Entry, 0, len(byPath))
	for _, e := range byPath {
		all = append(all, e)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	return all, nil
}

func checkEntry(e Entry) error {
	p := e.Path
	switch {
	case p == "/":
		return fmt.Errorf("layer entry %q: the root directory cannot be an entry", p)
	case !path.IsAbs(p):
		return fmt.Errorf("layer entry %q: path must be absolute (start with /)", p)
	case path.Clean(p) != p:
		return fmt.Errorf("layer entry %q: path must be clean (no //, /./ or trailing /), e.g. %q", p, path.Clean(p))
	case hasDotDot(p):
		return fmt.Errorf("layer entry %q: path must not contain a \"..\" element", p)
	}
	kinds := 0
	for _, set := range []bool{e.Data != nil, e.Source != "", e.Linkname != ""} {
		if set {
			kinds++
		}
	}
	switch {
	case e.Mode&fs.ModeType&^(fs.ModeDir|fs.ModeSymlink) != 0:
		return fmt.Errorf("layer entry %s: only regular files, directories and symlinks are supported (mode %v)", p, e.Mode)
	case e.Mode.IsDir() && kinds != 0:
		return fmt.Errorf("layer entry %s: a directory cannot have Data, Source or Linkname", p)
	case e.Mode&fs.ModeSymlink != 0 && (e.Linkname == "" || kinds != 1):
		return fmt.Errorf("layer entry %s: a symlink needs Linkname and nothing else", p)
	case e.Mode.IsRegular() && (e.Linkname != "" || kinds > 1):
		return fmt.Errorf("layer entry %s: a file takes either Data or Source (Linkname needs fs.ModeSymlink)", p)
	case e.UID < 0 || e.GID < 0:
		return fmt.Errorf("layer entry %s: uid and gid must not be negative", p)
	}
	return nil
}

func hasDotDot(p string) bool {
	for _, elem := range strings.Split(p, "/") {
		if elem == ".." {
			return true
		}
	}
	return false
}
