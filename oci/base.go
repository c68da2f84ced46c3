package oci

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Base returns the base image for one platform. ref is one of:
//
//   - "static": the built-in base, see [StaticBase] (no network);
//   - "scratch": an empty image, see [ScratchBase];
//   - "oci:DIR" or "oci:DIR:TAG": an OCI image layout on disk. TAG matches the
//     org.opencontainers.image.ref.name annotation exactly or its part after
//     the last ':'; without TAG the layout must hold exactly one manifest;
//   - anything else: a registry reference (tag or digest).
//
// When ref names an index, the image for p (os, architecture, variant) is
// picked; if there is none, the error lists the platforms the index has. A
// single image whose config names another platform than p is an error.
//
// Registry images are read lazily: ggcr fetches their layers when they are
// first needed (e.g. while pushing), under ctx, so ctx must stay alive for as
// long as the image is used.
func Base(ctx context.Context, ref string, p v1.Platform, opts ...Option) (v1.Image, error) {
	if p.OS == "" || p.Architecture == "" {
		return nil, fmt.Errorf("base %s: platform %q needs an os and an architecture, e.g. linux/amd64", ref, p.String())
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case ref == "static":
		return StaticBase(p)
	case ref == "scratch":
		return ScratchBase(p)
	case strings.HasPrefix(ref, "oci:"):
		return layoutBase(strings.TrimPrefix(ref, "oci:"), p)
	case ref == "":
		return nil, fmt.Errorf("no base image: use static, scratch, oci:DIR[:TAG] or an image reference")
	}
	return remoteBase(ctx, ref, p, makeOptions(opts))
}

func remoteBase(ctx context.Context, ref string, p v1.Platform, o options) (v1.Image, error) {
	r, err := name.ParseReference(ref, o.nameOptions()...)
	if err != nil {
		return nil, fmt.Errorf("base %q is not a valid image reference (e.g. cgr.dev/chainguard/static:latest): %w", ref, err)
	}
	desc, err := remote.Get(r, o.remoteOptions(ctx)...)
	if err != nil {
		if IsNotFound(err) {
			return nil, &hintError{cause: err, msg: fmt.Sprintf("base %s not found in registry: check the name and tag", ref)}
		}
		return nil, o.registryError("fetch base "+ref, r.Context().RegistryStr(), err)
	}
	switch {
	case desc.MediaType.IsIndex():
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, fmt.Errorf("read base %s: %w", ref, err)
		}
		return imageFromIndex("base "+ref, idx, p)
	case desc.MediaType.IsImage():
		img, err := desc.Image()
		if err != nil {
			return nil, fmt.Errorf("read base %s: %w", ref, err)
		}
		return checkPlatform("base "+ref, img, p)
	}
	return nil, fmt.Errorf("base %s is a %s, not an image or an image index: pick an image reference", ref, desc.MediaType)
}

// imageFromIndex picks p's image out of idx; what names idx in errors.
func imageFromIndex(what string, idx v1.ImageIndex, p v1.Platform) (v1.Image, error) {
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	d, err := pickPlatform(what, im, p)
	if err != nil {
		return nil, err
	}
	img, err := idx.Image(d.Digest)
	if err != nil {
		return nil, fmt.Errorf("read %s for %s: %w", what, platformString(p), err)
	}
	return img, nil
}

// BaseOrigin returns what the org.opencontainers.image.base.name and
// .base.digest annotations say about a registry base: its full name and the
// digest it resolves to now (of the index, for a multi-platform base), so
// that NAME@DIGEST pulls exactly what was built on. Built-in and oci: bases
// have no such origin: both strings are empty.
func BaseOrigin(ctx context.Context, ref string, opts ...Option) (baseName, digest string, err error) {
	if ref == "static" || ref == "scratch" || ref == "" || strings.HasPrefix(ref, "oci:") {
		return "", "", nil
	}
	o := makeOptions(opts)
	r, err := name.ParseReference(ref, o.nameOptions()...)
	if err != nil {
		return "", "", fmt.Errorf("base %q is not a valid image reference: %w", ref, err)
	}
	desc, err := remote.Head(r, o.remoteOptions(ctx)...)
	if err != nil {
		if IsNotFound(err) {
			return "", "", &hintError{cause: err, msg: fmt.Sprintf("base %s not found in registry: check the name and tag", ref)}
		}
		return "", "", o.registryError("fetch base "+ref, r.Context().RegistryStr(), err)
	}
	return r.Name(), desc.Digest.String(), nil
}
