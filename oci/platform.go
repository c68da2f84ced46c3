package oci

import (
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/packager-dev/packager/vocab"
)

// pickPlatform returns the image in an index built for p. Variants must match,
// except that arm64's "v8" is the same as no variant (registries write both).
// When p has no variant and exactly one image has p's os and architecture,
// that image is taken: "linux/arm" then means whatever arm the base offers.
func pickPlatform(what string, im *v1.IndexManifest, p v1.Platform) (v1.Descriptor, error) {
	var sameArch []v1.Descriptor
	for _, d := range im.Manifests {
		if d.Platform == nil || !d.MediaType.IsImage() {
			continue
		}
		if d.Platform.OS != p.OS || d.Platform.Architecture != p.Architecture {
			continue
		}
		if variant(*d.Platform) == variant(p) {
			return d, nil
		}
		sameArch = append(sameArch, d)
	}
	if p.Variant == "" && len(sameArch) == 1 {
		return sameArch[0], nil
	}
	return v1.Descriptor{}, fmt.Errorf("%s has no image for %s; it has: %s. Choose a platform from that list or a base that supports %s",
		what, platformString(p), strings.Join(platformsOf(im), ", "), platformString(p))
}

// checkPlatform rejects a single-platform base built for another platform
// than p: Build would relabel it and produce an image that cannot run. A
// config without os or architecture (some hand-made bases) is accepted, and
// variants are compared only when the config records one.
func checkPlatform(what string, img v1.Image, p v1.Platform) (v1.Image, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read %s config: %w", what, err)
	}
	if cf.OS == "" || cf.Architecture == "" {
		return img, nil
	}
	have := v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}
	if have.OS != p.OS || have.Architecture != p.Architecture || (have.Variant != "" && variant(have) != variant(p)) {
		return nil, fmt.Errorf("%s is a single %s image, not %s: use a multi-platform base (an image index) or build only for %s",
			what, platformString(have), platformString(p), platformString(have))
	}
	return img, nil
}

// variant is p's variant as packager compares them: arm64/v8 and
// amd64/v1 are the plain architecture (see [vocab.Platform.Canonical]).
func variant(p v1.Platform) string { return vocabPlatform(p).Canonical().Variant }

// vocabPlatform and ociPlatform convert between ggcr's platform, which
// oci's API speaks, and the one config and builder share.
func vocabPlatform(p v1.Platform) vocab.Platform {
	return vocab.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}
}

func ociPlatform(p vocab.Platform) v1.Platform {
	return v1.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}
}

// builtinPlatforms is what "all" means for the built-in bases; see [vocab.All].
func builtinPlatforms() []v1.Platform {
	out := make([]v1.Platform, len(vocab.All))
	for i, p := range vocab.All {
		out[i] = ociPlatform(p)
	}
	return out
}

// platformString is os/arch[/variant], the way users write platforms.
func platformString(p v1.Platform) string { return vocabPlatform(p).String() }

// platformsOf lists the platforms of an index's images, skipping the
// "unknown/unknown" entries that hold attestations rather than images.
func platformsOf(im *v1.IndexManifest) []string {
	var out []string
	for _, d := range im.Manifests {
		if d.Platform == nil || !d.MediaType.IsImage() || d.Platform.OS == "unknown" {
			continue
		}
		out = append(out, platformString(*d.Platform))
	}
	if len(out) == 0 {
		return []string{"(no platform-specific images)"}
	}
	return out
}
