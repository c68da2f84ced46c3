package oci

import (
	"fmt"
	"os"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// refNameAnnotation names a manifest in an OCI image layout's index.json.
const refNameAnnotation = "org.opencontainers.image.ref.name"

// layoutBase reads the base from an OCI image layout; spec is "DIR" or "DIR:TAG".
func layoutBase(spec string, p v1.Platform) (v1.Image, error) {
	what := "base oci:" + spec
	idx, d, err := layoutManifest(spec)
	if err != nil {
		return nil, err
	}
	switch {
	case d.MediaType.IsIndex():
		child, err := idx.ImageIndex(d.Digest)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return imageFromIndex(what, child, p)
	case d.MediaType.IsImage():
		img, err := idx.Image(d.Digest)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return checkPlatform(what, img, p)
	}
	return nil, fmt.Errorf("%s: manifest %s is a %s, not an image or an image index", what, d.Digest, d.MediaType)
}

// layoutManifest opens the layout a base spec (DIR or DIR:TAG) names and
// returns its index and the descriptor TAG selects.
func layoutManifest(spec string) (v1.ImageIndex, v1.Descriptor, error) {
	dir, tag := splitLayoutSpec(spec)
	what := "base oci:" + spec
	if dir == "" {
		return nil, v1.Descriptor{}, fmt.Errorf("%s: no directory: write oci:DIR or oci:DIR:TAG", what)
	}
	lp, err := layout.FromPath(dir)
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("%s: %s is not a readable OCI image layout (skopeo copy docker://IMAGE oci:%s:TAG makes one): %w", what, dir, dir, err)
	}
	idx, err := lp.ImageIndex()
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("%s: %w", what, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("%s: %w", what, err)
	}
	d, err := selectManifest(what, im.Manifests, tag)
	return idx, d, err
}

// splitLayoutSpec splits "DIR:TAG" at the first ':' (a TAG may itself be
// "name:tag"), unless the whole spec is an existing directory.
func splitLayoutSpec(spec string) (dir, tag string) {
	if st, err := os.Stat(spec); err == nil && st.IsDir() {
		return spec, ""
	}
	dir, tag, _ = strings.Cut(spec, ":")
	return dir, tag
}

// selectManifest finds the descriptor tag names, or the only one when tag
// is empty; attachments (SBOMs, provenance, signatures, named
// NAME:sha256-<hex>[.sig|.att]) do not count, so oci:DIR still names the
// one image a build wrote with its attestations.
func selectManifest(what string, ds []v1.Descriptor, tag string) (v1.Descriptor, error) {
	if tag == "" {
		ds = slices.DeleteFunc(slices.Clone(ds), func(d v1.Descriptor) bool {
			ref := d.Annotations[refNameAnnotation]
			return attachmentTag.MatchString(ref[strings.LastIndex(ref, ":")+1:])
		})
		if len(ds) != 1 {
			return v1.Descriptor{}, fmt.Errorf("%s: the layout holds %d manifests (%s): add :TAG to pick one", what, len(ds), refNames(ds))
		}
		return ds[0], nil
	}
	var found []v1.Descriptor
	for _, d := range ds {
		ref := d.Annotations[refNameAnnotation]
		if ref == tag || (strings.Contains(ref, ":") && ref[strings.LastIndex(ref, ":")+1:] == tag) {
			found = append(found, d)
		}
	}
	switch {
	case len(found) == 0:
		return v1.Descriptor{}, fmt.Errorf("%s: no manifest named %q; the layout has: %s", what, tag, refNames(ds))
	case len(found) > 1 && !sameDigest(found):
		return v1.Descriptor{}, fmt.Errorf("%s: %q names several manifests (%s): use the full name", what, tag, refNames(found))
	}
	return found[0], nil
}

func sameDigest(ds []v1.Descriptor) bool {
	for _, d := range ds[1:] {
		if d.Digest != ds[0].Digest {
			return false
		}
	}
	return true
}

func refNames(ds []v1.Descriptor) string {
	var names []string
	for _, d := range ds {
		if n := d.Annotations[refNameAnnotation]; n != "" {
			names = append(names, n)
		} else {
			names = append(names, d.Digest.String())
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
