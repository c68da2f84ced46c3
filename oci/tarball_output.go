package oci

import (
	"context"
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// tarballOutput writes one `docker load`-able tarball holding every artifact.
type tarballOutput struct {
	file string
}

func (o *tarballOutput) String() string { return "tarball:" + o.file }

// Write puts every Repository:TAG of every artifact into one tarball, written
// atomically: FILE is either the complete new tarball or untouched.
func (o *tarballOutput) Write(ctx context.Context, arts []Artifact) ([]string, error) {
	if err := checkArtifacts(arts); err != nil {
		return nil, err
	}
	images := make(map[name.Reference]v1.Image)
	seen := make(map[string]bool)
	refs := make([]string, len(arts))
	for i, a := range arts {
		for _, t := range a.Tags {
			// Weak validation: "hello:latest" stays "hello:latest" in the
			// tarball, and docker load expands it as docker pull would.
			tag, err := name.NewTag(a.Repository + ":" + t)
			if err != nil {
				return nil, fmt.Errorf("tarball %s: %w", o.file, err)
			}
			if seen[tag.String()] {
				return nil, fmt.Errorf("tarball %s: two artifacts are both named %s: give them different repositories or tags", o.file, tag)
			}
			seen[tag.String()] = true
			images[tag] = a.Image
		}
		digest, err := digestOf(a.Image)
		if err != nil {
			return nil, fmt.Errorf("tarball %s: %s: %w", o.file, a.Repository, err)
		}
		refs[i] = "tarball:" + o.file + "@" + digest
	}
	err := writeFileAtomic(ctx, o.file, 0o644, func(w io.Writer) error {
		return tarball.MultiRefWrite(images, w)
	})
	if err != nil {
		return nil, fmt.Errorf("write tarball %s: %w", o.file, err)
	}
	return refs, nil
}
