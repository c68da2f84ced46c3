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
