package cache

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
)

func TestOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "packager")
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Dir() != dir {
		t.Errorf("Dir() = %s, want %s", c.Dir(), dir)
	}
	for _, sub := range []string{"blobs/sha256", "layers", "bin"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err != nil || !fi.IsDir() {
			t.Errorf("%s: not a directory: %v", sub, err)
		}
	}
	if _, err := Open(dir); err != nil {
		t.Errorf("second Open: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir, want string
	}{
		{"empty", "", "pass a directory"},
		{"under a file", filepath.Join(file, "cache"), "pass a directory you can write to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open(%q) = %v, want an error containing %q", tc.dir, err, tc.want)
			}
		})
	}
}

func TestBinDir(t *testing.T) {
	c := openCache(t)
	k := key("bin")
	d1, err := c.BinDir(k)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(d1); err != nil || !fi.IsDir() {
		t.Fatalf("BinDir did not create %s: %v", d1, err)
	}
	d2, err := c.BinDir(k)
	if err != nil || d2 != d1 {
		t.Errorf("BinDir again = %s, %v; want %s", d2, err, d1)
	}
	if d3, _ := c.BinDir(key("other")); d3 == d1 {
		t.Errorf("two keys share %s", d1)
	}
}

func TestBadKeys(t *testing.T) {
	c := openCache(t)
	l := tarLayer(t, 1, compression.GZip)
	for _, k := range []string{
		"",
		"abc",
		"../../../../etc/passwd",
		strings.ToUpper(key("x")),
		key("x")[:63] + "g",
		key("x") + "0",
	} {
		if _, err := c.BinDir(k); err == nil || !strings.Contains(err.Error(), "64 lowercase hex digits") {
			t.Errorf("BinDir(%q) error = %v", k, err)
		}
		if _, _, err := c.Layers().Get(k); err == nil {
			t.Errorf("Get(%q) succeeded", k)
		}
		if _, err := c.Layers().Put(k, l); err == nil {
			t.Errorf("Put(%q) succeeded", k)
		}
	}
	if got := files(t, c); len(got) != 0 {
		t.Errorf("bad keys left files: %v", got)
	}
}
