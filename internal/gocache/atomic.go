package gocache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// commit flushes tmp to disk, closes it and renames it to dst, so dst is
// its old self or the whole new file even after a crash. On error tmp is
// removed.
func commit(tmp *os.File, dst string) error {
	err := tmp.Sync()
	err = errors.Join(err, tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return nil
}

// writeFileAtomic replaces dst with data through a temporary file.
func writeFileAtomic(dst string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file next to %s: %w", dst, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return commit(tmp, dst)
}
