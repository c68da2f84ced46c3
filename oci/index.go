package oci

import (
	"fmt"
	"runtime"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// NewIndex makes a multi-platform image index of images, in the order given,
// each descriptor carrying the platform from its image's config (which
// container runtimes use to choose). The index is an OCI index when the
// images are OCI manifests and a Docker manifest list when they are Docker
// schema 2 (a registry base can be either); mixing the two is refused because
// clients reject such lists. annotations go on the index itself; as a Docker
// manifest list cannot carry them, Docker images given with annotations are
// converted to OCI images ([OCIFormat]) in an OCI index. A caller that must
// keep Docker media types (for Podman's healthcheck) passes no annotations.
func NewIndex(images []v1.Image, annotations map[string]string) (v1.ImageIndex, error) {
	if len(images) == 0 {
		return nil, fmt.Errorf("index: no images")
	}
	var (
		adds []mutate.IndexAddendum
		kind types.MediaType
		seen = map[string]bool{}
	)
	for i, img := range images {
		mt, err := img.MediaType()
		if err != nil {
			return nil, fmt.Errorf("index: image %d: %w", i, err)
		}
		if i == 0 {
			kind = mt
		} else if mt != kind {
			return nil, fmt.Errorf("index: image %d is %s but image 0 is %s; use bases of the same format for every platform", i, mt, kind)
		}
		p, err := platformOf(img)
		if err != nil {
			return nil, fmt.Errorf("index: image %d: %w", i, err)
		}
		if seen[platformString(p)] {
			return nil, fmt.Errorf("index: two images are for %s; build each platform once", platformString(p))
		}
		seen[platformString(p)] = true
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
	}
	indexType := types.OCIImageIndex
	switch {
	case kind == types.DockerManifestSchema2 && len(annotations) > 0:
		// A Docker manifest list has no annotations, and an OCI index of
		// Docker manifests is not valid OCI: the images become OCI images
		// (same layers and config, new manifests), as most registry bases
		// are Docker schema 2.
		var err error
		if adds, err = ociAddenda(adds); err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
	case kind == types.DockerManifestSchema2:
		indexType = types.DockerManifestList
	}
	idx := mutate.IndexMediaType(mutate.AppendManifests(empty.Index, adds...), indexType)
	if len(annotations) > 0 {
		idx = mutate.Annotations(idx, annotations).(v1.ImageIndex)
	}
	return idx, nil
}

// ociAddenda converts each image of adds to OCI media types.
func ociAddenda(adds []mutate.IndexAddendum) ([]mutate.IndexAddendum, error) {
	out := make([]mutate.IndexAddendum, len(adds))
	for i, a := range adds {
		img, err := OCIFormat(a.Add.(v1.Image))
		if err != nil {
			return nil, fmt.Errorf("image %d: %w", i, err)
		}
		out[i] = mutate.IndexAddendum{Add: img, Descriptor: a.Descriptor}
	}
	return out, nil
}

// platformOf reads the platform an image was built for from its config.
func platformOf(img v1.Image) (v1.Platform, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return v1.Platform{}, fmt.Errorf("read config: %w", err)
	}
	if cf.OS == "" || cf.Architecture == "" {
		return v1.Platform{}, fmt.Errorf("config names no os/architecture")
	}
	return v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}, nil
}

// HostPlatform is the platform a local daemon runs: linux with this
// machine's architecture (Docker Desktop runs Linux VMs on other systems).
func HostPlatform() v1.Platform {
	p := v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
	if p.Architecture == "arm" {
		p.Variant = "v7"
	}
	return p
}

// imageFor returns the image of idx for p, or the first image when idx has
// none for p: a daemon or a docker-save tarball holds one image per name.
func imageFor(idx v1.ImageIndex, p v1.Platform) (v1.Image, error) {
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	d, err := pickPlatform("index", im, p)
	if err != nil {
		var first *v1.Descriptor
		for i := range im.Manifests {
			if im.Manifests[i].MediaType.IsImage() {
				first = &im.Manifests[i]
				break
			}
		}
		if first == nil {
			return nil, fmt.Errorf("index has no images")
		}
		d = *first
	}
	return idx.Image(d.Digest)
}
