package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/compression"
)

// Trim removes what was not used within maxAge (entries, then the blobs
// no entry names, and idle binary directories), keeps what was, and a Get
// counts as a use.
func TestTrim(t *testing.T) {
	c := openCache(t)
	old, used, fresh := key("old"), key("used"), key("fresh")
	for i, k := range []string{old, used, fresh} {
		if _, err := c.Layers().Put(k, tarLayer(t, uint64(i+1), compression.GZip)); err != nil {
			t.Fatal(err)
		}
	}
	week := 7 * 24 * time.Hour
	long := time.Now().Add(-2 * week)
	age(t, c, old, long)
	age(t, c, used, long)
	if _, ok, err := c.Layers().Get(used); !ok || err != nil { // marks it used
		t.Fatalf("Get(used) = %v, %v", ok, err)
	}
	idleBin := filepath.Join(c.binRoot(), key("idle-bin"))
	liveBin := filepath.Join(c.binRoot(), key("live-bin"))
	for _, d := range []string{idleBin, liveBin} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	os.Chtimes(idleBin, long, long)

	st, err := c.Trim(week, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.Entries != 1 || st.Blobs != 1 || st.Bins != 1 || st.Bytes == 0 {
		t.Errorf("trim stats %+v, want one entry, its blob and one binary directory", st)
	}
	for k, want := range map[string]bool{old: false, used: true, fresh: true} {
		if _, ok, _ := c.Layers().Get(k); ok != want {
			t.Errorf("after trim, entry %s present = %v, want %v", k[:8], ok, want)
		}
	}
	if _, err := os.Stat(idleBin); !os.IsNotExist(err) {
		t.Error("the idle binary directory is still there")
	}
	if _, err := os.Stat(liveBin); err != nil {
		t.Error("a binary directory in use was removed")
	}
	if _, ran, _ := c.TrimIfDue(week, time.Now()); !ran {
		t.Error("TrimIfDue did not run on a cache never trimmed")
	}
	if _, ran, _ := c.TrimIfDue(week, time.Now()); ran {
		t.Error("TrimIfDue ran twice within a day")
	}
}

// age sets the mtime of key's entry and blob to t.
func age(t *testing.T, c *Cache, key string, when time.Time) {
	t.Helper()
	e, err := c.layers.readEntry(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{c.layers.entryPath(key), c.layers.blobPath(e.Digest)} {
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
}

// TrimToSize keeps the most recently used layers and binaries that fit in
// the size, removes the rest (entries, blobs, binary directories), and
// keeps whatever was used in the last minutes, a build may be using it.
func TestTrimToSize(t *testing.T) {
	c := openCache(t)
	now := time.Now()
	keys := []string{key("newest"), key("middle"), key("oldest"), key("just-used")}
	var size int64
	for i, k := range keys {
		l, err := c.Layers().Put(k, tarLayer(t, uint64(i+1), compression.GZip))
		if err != nil {
			t.Fatal(err)
		}
		if size, err = l.Size(); err != nil {
			t.Fatal(err)
		}
	}
	age(t, c, keys[0], now.Add(-1*time.Hour))
	age(t, c, keys[1], now.Add(-2*time.Hour))
	age(t, c, keys[2], now.Add(-3*time.Hour))
	oldBin := filepath.Join(c.binRoot(), key("old-bin"))
	if err := os.MkdirAll(oldBin, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(oldBin, "bin"), make([]byte, size), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(oldBin, now.Add(-4*time.Hour), now.Add(-4*time.Hour))

	// Room for two layers: the one used just now is kept regardless and
	// counts, so of the others only the newest fits.
	st, err := c.TrimToSize(2*size+size/2, now)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entries != 2 || st.Blobs != 2 || st.Bins != 1 || st.Bytes == 0 {
		t.Errorf("trim stats %+v, want two entries, their blobs and the binary directory", st)
	}
	for k, want := range map[string]bool{keys[0]: true, keys[1]: false, keys[2]: false, keys[3]: true} {
		if _, ok, _ := c.Layers().Get(k); ok != want {
			t.Errorf("after TrimToSize, %s present = %v, want %v", k[:8], ok, want)
		}
	}
	if _, err := os.Stat(oldBin); !os.IsNotExist(err) {
		t.Error("the least recently used binary directory is still there")
	}
}
