package oci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
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
// Nothing is removed when a manifest or index the layout references is
// missing or cannot be parsed: what it would reach is then unknown.
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
		return GCStats{}, fmt.Errorf("find the blobs index.json uses (nothing was removed): %w", err)
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

// reachableBlobs walks from index.json through every index and manifest to
// configs, layers and child manifests, and returns their digests.
func reachableBlobs(dir string) (map[string]bool, error) {
	live := map[string]bool{}
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, err
	}
	var walk func(raw []byte) error
	walk = func(raw []byte) error {
		var m manifestRefs
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		for _, d := range m.descriptors() {
			key := d.Digest.String()
			if live[key] {
				continue
			}
			live[key] = true
			if !d.MediaType.IsIndex() && !d.MediaType.IsImage() {
				continue
			}
			child, err := os.ReadFile(filepath.Join(dir, "blobs", d.Digest.Algorithm, d.Digest.Hex))
			if err != nil {
				return fmt.Errorf("manifest %s: %w", d.Digest, err)
			}
			if err := walk(child); err != nil {
				return fmt.Errorf("manifest %s: %w", d.Digest, err)
			}
		}
		return nil
	}
	return live, walk(raw)
}

// manifestRefs is the part of an index or image manifest that points at
// blobs, whatever its media type.
type manifestRefs struct {
	Manifests []v1.Descriptor `json:"manifests"`
	Config    *v1.Descriptor  `json:"config"`
	Layers    []v1.Descriptor `json:"layers"`
	Blobs     []v1.Descriptor `json:"blobs"` // OCI artifact manifests
}

func (m manifestRefs) descriptors() []v1.Descriptor {
	ds := append(append([]v1.Descriptor{}, m.Manifests...), m.Layers...)
	ds = append(ds, m.Blobs...)
	if m.Config != nil {
		ds = append(ds, *m.Config)
	}
	return ds
}
