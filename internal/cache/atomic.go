package cache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// createTemp creates a uniquely named file in the directory of dst. Its name
// starts with "." so nothing mistakes it for a finished file.
func createTemp(dst string) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create temporary file next to %s: %w", dst, err)
	}
	return f, nil
}

// commit flushes tmp to disk, closes it and renames it to dst, so dst is
// either its old self or the whole new file, even after a crash. On error
// tmp is removed.
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

// discard closes and removes a temporary file that will not be committed.
func discard(tmp *os.File) {
	tmp.Close()
	os.Remove(tmp.Name())
}

// writeFileAtomic replaces dst with data through a temporary file.
func writeFileAtomic(dst string, data []byte) error {
	tmp, err := createTemp(dst)
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		discard(tmp)
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return commit(tmp, dst)
}
