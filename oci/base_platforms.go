package oci

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// BasePlatforms lists the platforms a base offers, in the order of its
// index, for `platforms: all`. Entries that are not images for an os and
// architecture (attestations, "unknown/unknown") are left out; arm64/v8 is
// written as arm64.
func BasePlatforms(ctx context.Context, ref string, opts ...Option) ([]v1.Platform, error) {
	switch {
	case ref == "static" || ref == "scratch":
		return builtinPlatforms(), nil
	case strings.HasPrefix(ref, "oci:"):
		return layoutPlatforms(strings.TrimPrefix(ref, "oci:"))
	}
	o := makeOptions(opts)
	r, err := name.ParseReference(ref, o.nameOptions()...)
	if err != nil {
		return nil, fmt.Errorf("base %q is not a valid image reference: %w", ref, err)
	}
	desc, err := remote.Get(r, o.remoteOptions(ctx)...)
	if err != nil {
		return nil, o.registryError("fetch base "+ref, r.Context().RegistryStr(), err)
	}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, err
		}
		return indexPlatforms("base "+ref, idx)
	}
	img, err := desc.Image()
	if err != nil {
		return nil, err
	}
	p, err := platformOf(img)
	if err != nil {
		return nil, fmt.Errorf("base %s: %w", ref, err)
	}
	return []v1.Platform{p}, nil
}

func layoutPlatforms(spec string) ([]v1.Platform, error) {
	what := "base oci:" + spec
	idx, d, err := layoutManifest(spec)
	if err != nil {
		return nil, err
	}
	if d.MediaType.IsIndex() {
		child, err := idx.ImageIndex(d.Digest)
		if err != nil {
			return nil, err
		}
		return indexPlatforms(what, child)
	}
	img, err := idx.Image(d.Digest)
	if err != nil {
		return nil, err
	}
	p, err := platformOf(img)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return []v1.Platform{p}, nil
}

func indexPlatforms(what string, idx v1.ImageIndex) ([]v1.Platform, error) {
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	var out []v1.Platform
	for _, d := range im.Manifests {
		if d.Platform == nil || !d.MediaType.IsImage() || d.Platform.OS == "unknown" || d.Platform.OS == "" {
			continue
		}
		p := ociPlatform(vocabPlatform(*d.Platform).Canonical())
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s names no platforms: list the platforms to build instead of all", what)
	}
	return out, nil
}
