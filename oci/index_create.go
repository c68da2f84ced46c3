package oci

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// MergeIndex makes one image index from images already in registries and
// pushes it as target (REPOSITORY:TAG), without rebuilding anything: the
// fan-in step of a CI that builds each platform on its own runner. Each
// source is an image (its platform is read from its config) or an index
// (its images are taken over with their platforms). Two images for the same
// platform are an error. Images that live in another repository are copied
// (mounted, within one registry) into target's repository by ggcr. It
// returns "target@sha256:...".
func MergeIndex(ctx context.Context, target string, sources []string, opts ...Option) (string, error) {
	o := makeOptions(opts)
	tag, err := name.NewTag(target, o.nameOptions(name.StrictValidation)...)
	if err != nil {
		return "", fmt.Errorf("index %s: want REPOSITORY:TAG, e.g. ghcr.io/org/app:v1: %w", target, err)
	}
	if len(sources) == 0 {
		return "", fmt.Errorf("index %s: no sources: add --from REF for each platform's image", target)
	}
	var (
		adds  []mutate.IndexAddendum
		kinds = map[types.MediaType]bool{}
		from  = map[string]string{} // platform -> source that gave it
	)
	for _, src := range sources {
		ref, err := name.ParseReference(src, o.nameOptions()...)
		if err != nil {
			return "", fmt.Errorf("index %s: source %q: %w", target, src, err)
		}
		desc, err := remote.Get(ref, o.remoteOptions(ctx)...)
		if err != nil {
			return "", o.registryError("fetch "+src, ref.Context().RegistryStr(), err)
		}
		found, err := sourceManifests(desc)
		if err != nil {
			return "", fmt.Errorf("index %s: source %s: %w", target, src, err)
		}
		for _, add := range found {
			p := platformString(*add.Platform)
			if other, dup := from[p]; dup {
				return "", fmt.Errorf("index %s: %s and %s both have an image for %s; give each platform once", target, other, src, p)
			}
			from[p] = src
			mt, _ := add.Add.MediaType()
			kinds[mt] = true
			adds = append(adds, add)
		}
	}
	indexType := types.OCIImageIndex
	if len(kinds) == 1 && kinds[types.DockerManifestSchema2] {
		indexType = types.DockerManifestList
	} else if len(kinds) > 1 {
		return "", fmt.Errorf("index %s: the sources mix Docker and OCI manifests; registries and clients reject such an index", target)
	}
	idx := mutate.IndexMediaType(mutate.AppendManifests(empty.Index, adds...), indexType)
	digest, err := digestOf(idx)
	if err != nil {
		return "", err
	}
	if err := remote.WriteIndex(tag, idx, o.remoteOptions(ctx)...); err != nil {
		return "", o.registryError("push index "+target, tag.RegistryStr(), err)
	}
	return tag.Context().String() + ":" + tag.TagStr() + "@" + digest, nil
}

// sourceManifests lists what one source contributes, each with its platform.
func sourceManifests(desc *remote.Descriptor) ([]mutate.IndexAddendum, error) {
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, err
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, err
		}
		var adds []mutate.IndexAddendum
		for _, d := range im.Manifests {
			if d.Platform == nil || !d.MediaType.IsImage() {
				continue
			}
			img, err := idx.Image(d.Digest)
			if err != nil {
				return nil, err
			}
			adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: d.Platform}})
		}
		if len(adds) == 0 {
			return nil, fmt.Errorf("index has no platform images")
		}
		return adds, nil
	}
	if !desc.MediaType.IsImage() {
		return nil, fmt.Errorf("%s is neither an image nor an index", desc.MediaType)
	}
	img, err := desc.Image()
	if err != nil {
		return nil, err
	}
	p, err := platformOf(img)
	if err != nil {
		return nil, err
	}
	return []mutate.IndexAddendum{{Add: img, Descriptor: v1.Descriptor{Platform: &p}}}, nil
}
