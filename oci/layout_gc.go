package oci

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// GCStats says what [GCLayout] removed.
type GCStats struct {
	Blobs int   // blobs removed
	Bytes int64 // their total size
}

// GCLayout removes the blobs of the OCI image layout at dir that no
// manifest named in its index.json reaches, and stale temporary files of
// interrupted packager runs, with the layout locked against concurrent
// packager processes. Writing to an oci:DIR output already does this; the
// function is for layouts written by older packagers or other tools.
//
// Nothing is removed when what the layout references cannot be known: a
// manifest or index that is missing or cannot be parsed, a manifest of a
// type packager does not know, or a missing blob of unknown type (it might
// be a manifest). See [reachableBlobs].
func GCLayout(ctx context.Context, dir string) (GCStats, error) {
	if !isLayout(dir) {
		return GCStats{}, fmt.Errorf("gc %s: not an OCI image layout (no oci-layout file)", dir)
	}
	unlock, err := lockOutput(ctx, dir)
	if err != nil {
		return GCStats{}, fmt.Errorf("gc %s: %w", dir, err)
	}
	defer unlock()
	if err := removeStaging(dir); err != nil {
		return GCStats{}, fmt.Errorf("gc %s: %w", dir, err)
	}
	st, err := gcLayout(dir)
	if err != nil {
		return st, fmt.Errorf("gc %s: %w", dir, err)
	}
	return st, nil
}

// gcLayout removes unreferenced blobs; dir's parent must be locked.
func gcLayout(dir string) (GCStats, error) {
	live, err := reachableBlobs(dir)
	if err != nil {
		return GCStats{}, &unknownReachError{err: err}
	}
	var st GCStats
	blobs := filepath.Join(dir, "blobs")
	algs, err := os.ReadDir(blobs)
	if err != nil {
		return st, err
	}
	var errs []error
	for _, alg := range algs {
		if !alg.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(blobs, alg.Name()))
		if err != nil {
			return st, err
		}
		for _, f := range files {
			if live[alg.Name()+":"+f.Name()] {
				continue
			}
			info, err := f.Info()
			if err == nil {
				err = os.Remove(filepath.Join(blobs, alg.Name(), f.Name()))
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			st.Blobs++
			st.Bytes += info.Size()
		}
	}
	return st, errors.Join(errs...)
}

// unknownReachError says gcLayout removed nothing because it could not
// tell which blobs index.json reaches.
type unknownReachError struct{ err error }

func (e *unknownReachError) Error() string {
	return fmt.Sprintf("find the blobs index.json uses (nothing was removed): %v", e.err)
}

func (e *unknownReachError) Unwrap() error { return e.err }
