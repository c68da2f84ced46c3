package oci

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Artifact is a built image or index and the names it should be published under.
type Artifact struct {
	Repository string        // full repository ("127.0.0.1:5000/team/hello"), or just "hello" when no repo is configured
	Tags       []string      // at least one
	Image      v1.Image      // a single-platform image, or
	Index      v1.ImageIndex // a multi-platform index (see [NewIndex]); exactly one of Image and Index is set
}

// manifest is what an artifact publishes: an image or an index. It satisfies
// both remote.Taggable and mutate.Appendable.
type manifest interface {
	Digest() (v1.Hash, error)
	MediaType() (types.MediaType, error)
	Size() (int64, error)
	RawManifest() ([]byte, error)
}

// taggable is what gets pushed or written: the image or the index.
func (a Artifact) taggable() manifest {
	if a.Index != nil {
		return a.Index
	}
	return a.Image
}

// image returns the single image of a, or the child of its index for p.
func (a Artifact) image(p v1.Platform) (v1.Image, error) {
	if a.Image != nil {
		return a.Image, nil
	}
	return imageFor(a.Index, p)
}

// Output publishes artifacts. Each destination is one implementation, chosen
// by [ParseOutput], in the style of ggcr's remote, layout and tarball packages.
type Output interface {
	// Write publishes every artifact and returns one printable reference per artifact, in order.
	Write(ctx context.Context, arts []Artifact) ([]string, error)
	String() string // e.g. "registry", "oci:dist/oci", "tarball:app.tar"
}

// ParseOutput picks the destination from a string:
//
//   - "registry": push each artifact to Repository:TAG for every tag; the
//     result is "REPOSITORY:FIRSTTAG@sha256:...". Repository must name a
//     registry host.
//   - "oci:DIR": an OCI image layout at DIR; each tag gets a manifest
//     descriptor annotated org.opencontainers.image.ref.name =
//     "<last element of Repository>:<tag>", replacing one with the same name;
//     the result is "oci:DIR@sha256:...".
//   - "tarball:FILE": one tarball holding every Repository:TAG that is both an
//     OCI image layout (skopeo's oci-archive:, docker load 25+) and a
//     `docker save` archive (every docker load); the result is
//     "tarball:FILE@sha256:...".
//   - "docker": load into the local Docker daemon; an index loads its image
//     for the host platform; the result is "docker:REPOSITORY:TAG@sha256:...".
//
// opts matter only for "registry".
func ParseOutput(dest string, opts ...Option) (Output, error) {
	switch {
	case dest == "registry":
		return &registryOutput{opts: makeOptions(opts)}, nil
	case strings.HasPrefix(dest, "oci:"):
		dir := strings.TrimPrefix(dest, "oci:")
		if dir == "" {
			return nil, fmt.Errorf("output %q has no directory: write oci:DIR", dest)
		}
		return &layoutOutput{dir: dir}, nil
	case dest == "docker":
		return daemonOutput{}, nil
	case strings.HasPrefix(dest, "tarball:"):
		file := strings.TrimPrefix(dest, "tarball:")
		if file == "" {
			return nil, fmt.Errorf("output %q has no file name: write tarball:FILE", dest)
		}
		return &tarballOutput{file: file}, nil
	}
	return nil, fmt.Errorf("unknown output %q: use registry, oci:DIR, tarball:FILE or docker", dest)
}

// checkArtifacts catches what every output would trip over, before anything is written.
func checkArtifacts(arts []Artifact) error {
	if len(arts) == 0 {
		return fmt.Errorf("nothing to publish: no artifacts")
	}
	for i, a := range arts {
		switch {
		case a.Repository == "":
			return fmt.Errorf("artifact %d has no repository", i)
		case len(a.Tags) == 0:
			return fmt.Errorf("artifact %s has no tags: give it at least one (e.g. latest)", a.Repository)
		case a.Image == nil && a.Index == nil:
			return fmt.Errorf("artifact %s has no image", a.Repository)
		case a.Image != nil && a.Index != nil:
			return fmt.Errorf("artifact %s has both an image and an index; set one", a.Repository)
		}
		for _, t := range a.Tags {
			if _, err := name.NewTag(a.Repository + ":" + t); err != nil {
				return fmt.Errorf("artifact %s: tag %q is not valid (letters, digits, _ . - only, at most 128): %w", a.Repository, t, err)
			}
		}
	}
	return nil
}

// digestOf returns "sha256:..." of an image or index, the part of every printed reference after '@'.
func digestOf(img interface{ Digest() (v1.Hash, error) }) (string, error) {
	h, err := img.Digest()
	if err != nil {
		return "", fmt.Errorf("compute image digest: %w", err)
	}
	return h.String(), nil
}
