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
