package cache

import (
	"fmt"
	"os"
	"path/filepath"
)

// Cache is an on-disk cache rooted at one directory. It holds no open files
// and no locks, so any number of Cache values, in any number of processes,
// may share a directory.
type Cache struct {
	dir    string
	layers *Layers
}

// Open returns the cache in dir, creating dir and its subdirectories (mode
// 0700) if needed. dir is chosen by the caller, typically
// $XDG_CACHE_HOME/packager; a relative dir is made absolute now.
func Open(dir string) (*Cache, error) {
	if dir == "" {
		return nil, fmt.Errorf("cache directory is empty: pass a directory such as $XDG_CACHE_HOME/packager")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("cache directory %s: %w", dir, err)
	}
	c := &Cache{dir: abs}
	for _, sub := range []string{c.blobDir(), c.layerDir(), c.binRoot()} {
		if err := os.MkdirAll(sub, 0o700); err != nil {
			return nil, fmt.Errorf("create cache directory: %w; pass a directory you can write to", err)
		}
	}
	c.layers = &Layers{c: c, open: os.Open}
	return c, nil
}

// Dir returns the absolute path of the cache directory.
func (c *Cache) Dir() string { return c.dir }

// Layers returns the cache of compressed image layers.
func (c *Cache) Layers() *Layers { return c.layers }

// BinDir returns DIR/bin/<key>, creating it if needed: a stable directory
// for the outputs of `go build -o BinDir(key)/NAME`.
//
// The directory is shared by every process that uses the same key. `go build
// -o` does not replace its output atomically, so a caller that may race
// with another process should build to a unique name in this directory and
// rename it to NAME.
func (c *Cache) BinDir(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	d := filepath.Join(c.binRoot(), key)
	if err := os.MkdirAll(d, 0o700); err != nil {
		return "", fmt.Errorf("create binary cache directory: %w", err)
	}
	return d, nil
}

func (c *Cache) blobDir() string  { return filepath.Join(c.dir, "blobs", "sha256") }
func (c *Cache) layerDir() string { return filepath.Join(c.dir, "layers") }
func (c *Cache) binRoot() string  { return filepath.Join(c.dir, "bin") }

// checkKey accepts only a hex SHA-256, so a key can never name a path
// outside the cache and two spellings never name one entry.
func checkKey(key string) error {
	ok := len(key) == 64
	for i := 0; ok && i < len(key); i++ {
		ch := key[i]
		ok = '0' <= ch && ch <= '9' || 'a' <= ch && ch <= 'f'
	}
	if !ok {
		return fmt.Errorf("cache key %q is not a hex SHA-256: pass 64 lowercase hex digits, the sha256 of what determines the content", key)
	}
	return nil
}
