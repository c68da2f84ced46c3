package cache

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// inUse is how recently an item must have been used for TrimToSize to keep
// it whatever its size: a build running now may be reading it, or may
// have written a blob whose entry is not there yet.
const inUse = 10 * time.Minute

// usage is one thing TrimToSize may remove: a layer blob with every entry
// that names it, or a binary directory.
type usage struct {
	used    time.Time
	size    int64
	blob    string   // the blob's file, for a layer
	entries []string // the entries naming it
	binDir  string   // or a binary directory
}

// TrimToSize removes the least recently used layers (entries with their
// blob) and binary directories until the rest take at most maxBytes.
// What was used within the last ten minutes is kept whatever the size, and
// so is a binary directory another process holds. Best effort, as Trim.
func (c *Cache) TrimToSize(maxBytes int64, now time.Time) (TrimStats, error) {
	var st TrimStats
	items, err := c.usages()
	if err != nil {
		return st, err
	}
	slices.SortFunc(items, func(a, b usage) int { return b.used.Compare(a.used) }) // newest first
	var kept int64
	for _, it := range items {
		if kept+it.size <= maxBytes || it.used.After(now.Add(-inUse)) {
			kept += it.size
			continue
		}
		if it.binDir != "" {
			if removeBinDir(it.binDir) {
				st.Bins++
			}
			continue
		}
		for _, e := range it.entries {
			if os.Remove(e) == nil {
				st.Entries++
			}
		}
		if os.Remove(it.blob) == nil {
			st.Blobs, st.Bytes = st.Blobs+1, st.Bytes+it.size
		}
	}
	return st, nil
}

// usages lists the cache's layers, by blob, and binary directories, each
// with when it was last used and its size on disk.
func (c *Cache) usages() ([]usage, error) {
	ents, err := os.ReadDir(c.layerDir())
	if err != nil {
		return nil, err
	}
	byBlob := map[string]*usage{}
	for _, de := range ents {
		key, ok := strings.CutSuffix(de.Name(), ".json")
		if !ok || checkKey(key) != nil {
			continue
		}
		e, err := c.layers.readEntry(key)
		fi, ierr := de.Info()
		if err != nil || ierr != nil {
			continue // Get or Trim deal with it
		}
		blob := c.layers.blobPath(e.Digest)
		u := byBlob[blob]
		if u == nil {
			u = &usage{blob: blob}
			if bi, err := os.Stat(blob); err == nil {
				u.size = bi.Size()
			}
			byBlob[blob] = u
		}
		u.entries = append(u.entries, c.layers.entryPath(key))
		if fi.ModTime().After(u.used) {
			u.used = fi.ModTime()
		}
	}
	var out []usage
	for _, u := range byBlob {
		out = append(out, *u)
	}
	bins, _ := os.ReadDir(c.binRoot())
	for _, de := range bins {
		fi, err := de.Info()
		if err != nil || !de.IsDir() {
			continue
		}
		dir := filepath.Join(c.binRoot(), de.Name())
		out = append(out, usage{used: fi.ModTime(), size: dirSize(dir), binDir: dir})
	}
	return out, nil
}

// dirSize is the size of the regular files directly in dir.
func dirSize(dir string) int64 {
	ents, _ := os.ReadDir(dir)
	var n int64
	for _, de := range ents {
		if fi, err := de.Info(); err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
	}
	return n
}
