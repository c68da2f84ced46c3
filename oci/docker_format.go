package oci

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// DockerFormat returns base with Docker schema 2 media types (manifest,
// config and gzip layers), the same bytes otherwise. Build follows its
// base's format, so an image built on the result is a Docker image, which
// some tools still need: Podman, for one, honours a healthcheck only in
// Docker-format images. A Docker base is returned as it is; zstd layers
// have no Docker media type and are an error.
func DockerFormat(base v1.Image) (v1.Image, error) {
	mt, err := base.MediaType()
	if err != nil {
		return nil, err
	}
	if mt == types.DockerManifestSchema2 {
		return base, nil
	}
	layers, err := base.Layers()
	if err != nil {
		return nil, err
	}
	cf, err := base.ConfigFile()
	if err != nil {
		return nil, err
	}
	img := empty.Image // Docker media types
	for i, l := range layers {
		lmt, err := l.MediaType()
		if err != nil {
			return nil, err
		}
		switch lmt {
		case types.DockerLayer:
		case types.OCILayer:
			l = dockerLayer{l}
		default:
			return nil, fmt.Errorf("docker format: layer %d is %s, which has no Docker media type; use an OCI image or a gzip base", i, lmt)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			return nil, err
		}
	}
	// The config (history, rootfs diff IDs, env, ...) is unchanged.
	return mutate.ConfigFile(img, cf.DeepCopy())
}

// dockerLayer is an OCI gzip layer presented with the Docker media type:
// the bytes are the same, only the descriptor says otherwise.
type dockerLayer struct{ v1.Layer }

func (dockerLayer) MediaType() (types.MediaType, error) { return types.DockerLayer, nil }

// OCIFormat returns img with OCI media types (manifest, config, gzip
// layers), the same layer and config bytes otherwise: the inverse of
// [DockerFormat]. An OCI image is returned as it is. [NewIndex] uses it to
// put images built on a Docker base into an OCI index, which annotations
// need; Docker layers with no OCI counterpart (foreign layers) are an error.
func OCIFormat(img v1.Image) (v1.Image, error) {
	mt, err := img.MediaType()
	if err != nil {
		return nil, err
	}
	if mt == types.OCIManifestSchema1 {
		return img, nil
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	out := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	for i, l := range layers {
		lmt, err := l.MediaType()
		if err != nil {
			return nil, err
		}
		switch lmt {
		case types.OCILayer, types.OCILayerZStd:
		case types.DockerLayer:
			l = ociLayer{l}
		default:
			return nil, fmt.Errorf("oci format: layer %d is %s, which has no OCI media type here; use a base without foreign layers", i, lmt)
		}
		if out, err = mutate.AppendLayers(out, l); err != nil {
			return nil, err
		}
	}
	return mutate.ConfigFile(out, cf.DeepCopy())
}

// ociLayer is a Docker gzip layer presented with the OCI media type.
type ociLayer struct{ v1.Layer }

func (ociLayer) MediaType() (types.MediaType, error) { return types.OCILayer, nil }
