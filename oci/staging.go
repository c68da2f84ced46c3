package oci

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/packager-dev/packager/internal/atomicfile"
	"github.com/packager-dev/packager/internal/flock"
)

// stagingMarker is in the name of every temporary file and directory the
// outputs create next to their destination, so that stale ones (left by a
// process that was killed) can be recognised and removed, and nothing else.
const stagingMarker = atomicfile.TempMarker

// stagingPattern is the os.MkdirTemp / os.CreateTemp pattern for staging
// target: hidden, in the same directory, named after it.
func stagingPattern(target string) string {
	return "." + filepath.Base(target) + stagingMarker + "*"
}

// isStaging reports whether a directory entry name is packager staging.
func isStaging(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, stagingMarker)
}

// lockOutput prepares the directory that will hold target: it creates it,
// locks it (internal/flock on the directory itself, so no lock file is left
// next to the output) and removes the staging that killed packager
// processes left there. While the lock is held no other packager writes
// next to target, so every staging entry found is stale.
func lockOutput(ctx context.Context, target string) (unlock func(), err error) {
	parent := filepath.Dir(filepath.Clean(target))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create directory for %s: %w", target, err)
	}
	unlock, err = flock.Lock(ctx, parent)
	if err != nil {
		return nil, err
	}
	if err := removeStaging(parent); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// removeStaging deletes the staging entries in dir. Call it only with dir
// locked.
func removeStaging(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("clean up %s: %w", dir, err)
	}
	var errs []error
	for _, e := range entries {
		if isStaging(e.Name()) {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove stale temporary files left by an interrupted packager: %w", err)
	}
	return nil
}

// stagingDir makes an empty temporary directory next to target (in its
// parent, which lockOutput created): the same file system, so the final
// rename is atomic.
func stagingDir(target string) (string, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(target)), stagingPattern(target))
	if err != nil {
		return "", fmt.Errorf("create staging directory next to %s: %w", target, err)
	}
	return tmp, nil
}

// outputModes returns the modes for output files (0644) and directories
// (0755) with this process's umask applied, as a plain `cp` would create
// them. ggcr writes blobs 0600 (os.CreateTemp) and index.json 0777&^umask,
// which hides a layout from other users or marks data executable.
//
// The umask is read by creating a directory with mode 0777 in dir (a
// staging directory) rather than with syscall.Umask, which would change it
// for every goroutine for a moment.
func outputModes(dir string) (file, dirMode fs.FileMode, err error) {
	probe, err := os.MkdirTemp(dir, ".umask"+stagingMarker+"*")
	if err != nil {
		return 0, 0, err
	}
	defer os.Remove(probe)
	// MkdirTemp uses 0700; make a child with 0777 to see what the umask keeps.
	child := filepath.Join(probe, "d")
	if err := os.Mkdir(child, 0o777); err != nil {
		return 0, 0, err
	}
	defer os.Remove(child)
	st, err := os.Stat(child)
	if err != nil {
		return 0, 0, err
	}
	allowed := st.Mode().Perm()
	return 0o644 & allowed, 0o755 & allowed, nil
}

// normalizeModes gives every file under root the output file mode and every
// directory (root included) the output directory mode.
func normalizeModes(root string) error {
	fileMode, dirMode, err := outputModes(root)
	if err != nil {
		return fmt.Errorf("read umask: %w", err)
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		// root is staging packager made itself, under the output's lock.
		case d.IsDir():
			return os.Chmod(p, dirMode) //nolint:gosec // G122: our own staging tree
		case d.Type().IsRegular():
			return os.Chmod(p, fileMode) //nolint:gosec // G122: our own staging tree
		}
		return nil
	})
}
