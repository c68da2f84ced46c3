package cache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/packager-dev/packager/internal/flock"
)

// DefaultMaxAge is how long a layer or binary may go unused before the
// automatic trim removes it.
const DefaultMaxAge = 7 * 24 * time.Hour

// trimEvery is how often TrimIfDue actually trims.
const trimEvery = 24 * time.Hour

// TrimStats says what a trim removed.
type TrimStats struct {
	Entries, Blobs, Bins int   // layer entries, layer blobs, binary directories
	Bytes                int64 // blob bytes freed
}

// Trim removes what was not used within maxAge before now: layer entries
// (Get marks an entry used), the blobs no remaining entry names, and the
// binary link-target directories under bin/ that builder has not used
// (it marks them). A binary directory another process holds is kept.
// Removal is best effort: what cannot be removed is left for next time.
func (c *Cache) Trim(maxAge time.Duration, now time.Time) (TrimStats, error) {
	var st TrimStats
	cutoff := now.Add(-maxAge)
	kept := map[string]bool{} // blob hex names still referenced
	ents, err := os.ReadDir(c.layerDir())
	if err != nil {
		return st, err
	}
	for _, de := range ents {
		key, ok := strings.CutSuffix(de.Name(), ".json")
		if !ok || checkKey(key) != nil {
			continue
		}
		e, rerr := c.layers.readEntry(key)
		if fi, err := de.Info(); err == nil && fi.ModTime().Before(cutoff) || rerr != nil {
			if os.Remove(c.layers.entryPath(key)) == nil {
				st.Entries++
			}
			continue
		}
		kept[e.Digest.Hex] = true
	}
	st.Blobs, st.Bytes = removeUnlisted(c.blobDir(), kept, cutoff)
	st.Bins = removeUnusedBins(c.binRoot(), cutoff)
	return st, nil
}

// removeUnlisted removes the files in dir that kept does not name and
// that are older than cutoff (a newer one may be a Put whose entry is
// still being written).
func removeUnlisted(dir string, kept map[string]bool, cutoff time.Time) (n int, bytes int64) {
	ents, _ := os.ReadDir(dir)
	for _, de := range ents {
		fi, err := de.Info()
		if err != nil || kept[de.Name()] || !fi.Mode().IsRegular() || !fi.ModTime().Before(cutoff) {
			continue
		}
		if os.Remove(filepath.Join(dir, de.Name())) == nil {
			n, bytes = n+1, bytes+fi.Size()
		}
	}
	return n, bytes
}

// removeUnusedBins removes the binary directories not used since cutoff
// whose lock no one holds.
func removeUnusedBins(root string, cutoff time.Time) int {
	ents, _ := os.ReadDir(root)
	n := 0
	for _, de := range ents {
		dir := filepath.Join(root, de.Name())
		fi, err := de.Info()
		if err != nil || !de.IsDir() || !fi.ModTime().Before(cutoff) {
			continue
		}
		if removeBinDir(dir) {
			n++
		}
	}
	return n
}

// removeBinDir removes a binary directory unless another process holds
// its lock (a directory without one is nobody's).
func removeBinDir(dir string) bool {
	unlock, ok, err := flock.TryLock(filepath.Join(dir, ".lock"))
	if errors.Is(err, fs.ErrNotExist) {
		unlock, ok, err = func() {}, true, nil
	}
	if !ok || err != nil {
		return false
	}
	defer unlock()
	return os.RemoveAll(dir) == nil
}

// TrimIfDue runs Trim with maxAge at most once a day per cache directory,
// so the cache stops growing without bound without costing every build.
func (c *Cache) TrimIfDue(maxAge time.Duration, now time.Time) (TrimStats, bool, error) {
	stamp := filepath.Join(c.dir, "last-trim")
	if fi, err := os.Stat(stamp); err == nil && now.Sub(fi.ModTime()) < trimEvery {
		return TrimStats{}, false, nil
	}
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		return TrimStats{}, false, err
	}
	st, err := c.Trim(maxAge, now)
	return st, true, err
}
