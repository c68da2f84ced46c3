package oci

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// layoutOutput writes artifacts into an OCI image layout directory.
type layoutOutput struct {
	dir string
}

func (o *layoutOutput) String() string { return "oci:" + o.dir }

// Write adds one index.json entry per tag, named "<repository base>:<tag>"
// (so `skopeo copy oci:DIR:hello:latest ...` finds it), replacing any entry
// with the same name. A new layout is built next to DIR and renamed into
// place; an existing one gets its new blobs first and index.json last, so a
// failure never leaves an index pointing at missing blobs.
func (o *layoutOutput) Write(ctx context.Context, arts []Artifact) ([]string, error) {
	if err := checkArtifacts(arts); err != nil {
		return nil, err
	}
	adds, err := layoutAddenda(arts)
	if err != nil {
		return nil, fmt.Errorf("oci:%s: %w", o.dir, err)
	}
	refs := make([]string, len(arts))
	for i, a := range arts {
		digest, err := digestOf(a.taggable())
		if err != nil {
			return nil, fmt.Errorf("oci:%s: %s: %w", o.dir, a.Repository, err)
		}
		refs[i] = "oci:" + o.dir + "@" + digest
	}

	if err := o.write(ctx, arts, adds); err != nil {
		return nil, fmt.Errorf("write oci:%s: %w", o.dir, err)
	}
	return refs, nil
}

// write creates or updates the layout with DIR's parent locked: the read of
// index.json, its rewrite and the removal of blobs no longer referenced
// happen as one step with respect to other packager processes.
func (o *layoutOutput) write(ctx context.Context, arts []Artifact, adds []mutate.IndexAddendum) error {
	unlock, err := lockOutput(ctx, o.dir)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := os.Stat(o.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return o.create(ctx, adds)
	case err == nil && st.IsDir() && emptyDir(o.dir):
		// `mkdir out` first is fine: the staged layout takes its place
		// (os.Remove removes only an empty directory).
		if err := os.Remove(o.dir); err != nil {
			return err
		}
		return o.create(ctx, adds)
	case err != nil:
		return err
	case !st.IsDir() || !isLayout(o.dir):
		return fmt.Errorf("%s exists and is not an OCI image layout: choose another directory or remove it", o.dir)
	}
	if err := removeStaging(o.dir); err != nil {
		return err
	}
	return o.update(ctx, arts, adds)
}

// layoutAddenda makes one index entry per tag, carrying the image's platform
// so tools can pick from the layout as they would from a registry index.
func layoutAddenda(arts []Artifact) ([]mutate.IndexAddendum, error) {
	var adds []mutate.IndexAddendum
	seen := make(map[string]string)
	for _, a := range arts {
		// An image's descriptor carries its platform; an index's does not
		// (its children carry theirs).
		var platform *v1.Platform
		if a.Image != nil {
			cf, err := a.Image.ConfigFile()
			if err != nil {
				return nil, fmt.Errorf("%s: read config: %w", a.Repository, err)
			}
			if cf.OS != "" && cf.Architecture != "" {
				platform = &v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}
			}
		}
		for _, t := range a.Tags {
			ref := path.Base(a.Repository) + ":" + t
			if other, dup := seen[ref]; dup {
				return nil, fmt.Errorf("%s and %s would both be named %s in the layout: give them different tags or last path elements", other, a.Repository, ref)
			}
			seen[ref] = a.Repository
			adds = append(adds, mutate.IndexAddendum{
				Add: a.taggable(),
				Descriptor: v1.Descriptor{
					Annotations: map[string]string{refNameAnnotation: ref},
					Platform:    platform,
				},
			})
		}
	}
	return adds, nil
}

func isLayout(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "oci-layout"))
	return err == nil && st.Mode().IsRegular()
}

// create writes a complete layout into a temporary directory next to DIR and
// renames it to DIR, so DIR appears whole or not at all.
func (o *layoutOutput) create(ctx context.Context, adds []mutate.IndexAddendum) error {
	tmp, err := stagingDir(o.dir)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// ggcr's layout writer takes no context; ctx is checked before the rename,
	// which is the step that makes the result visible.
	if _, err := layout.Write(tmp, mutate.AppendManifests(empty.Index, adds...)); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// ggcr wrote blobs 0600 and MkdirTemp made the directory 0700; a layout
	// is ordinary shareable output.
	if err := normalizeModes(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, o.dir)
}

// emptyDir reports whether dir has no entries.
func emptyDir(dir string) bool {
	ents, err := os.ReadDir(dir)
	return err == nil && len(ents) == 0
}
