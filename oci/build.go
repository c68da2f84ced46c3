package oci

import (
	"context"
	"fmt"
	"path"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Spec says how to turn a base and a binary into an image.
type Spec struct {
	Base       v1.Image
	Platform   v1.Platform // written into the config (os/architecture/variant)
	Binary     string      // path on disk of the built binary
	BinaryPath string      // absolute path of the binary in the image; mode 0755, uid/gid 0
	Entrypoint []string    // default []string{BinaryPath}
	Args       []string    // CMD (nil = none; the base's Cmd is never inherited)
	Env        []string    // "K=V": replaces same-named keys of the base env, keeps its order, appends new keys sorted
	User       string      // written as is
	Created    time.Time   // config created, history created, layer mtimes; zero means the Unix epoch
	CreatedBy  string      // history entry text, e.g. "packager build example.com/cmd/app"
}

// Build appends one layer holding the binary to s.Base and sets the image
// config. The layer media type follows the base (a Docker schema 2 base gets
// a Docker layer, anything else an OCI layer) so the manifest never mixes the
// two. The same Spec (and the same binary bytes) gives the same digest.
func Build(ctx context.Context, s Spec) (v1.Image, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	created := s.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	created = created.Truncate(time.Second).UTC()

	mt, err := s.Base.MediaType()
	if err != nil {
		return nil, fmt.Errorf("read base media type: %w", err)
	}
	layerType := types.OCILayer
	if mt == types.DockerManifestSchema2 {
		layerType = types.DockerLayer
	}
	layer, err := NewLayer([]Entry{{Path: s.BinaryPath, Mode: 0o755, Source: s.Binary}}, layerType, created)
	if err != nil {
		return nil, fmt.Errorf("add %s to the image: %w", s.Binary, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	img, err := mutate.Append(s.Base, mutate.Addendum{
		Layer:   layer,
		History: v1.History{Created: v1.Time{Time: created}, CreatedBy: s.CreatedBy},
	})
	if err != nil {
		return nil, fmt.Errorf("append binary layer: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read base config: %w", err)
	}
	if err := s.applyConfig(cf, created); err != nil {
		return nil, err
	}
	return mutate.ConfigFile(img, cf)
}

func (s Spec) check() error {
	switch {
	case s.Base == nil:
		return fmt.Errorf("build: no base image")
	case s.Binary == "":
		return fmt.Errorf("build: no binary to add")
	case !path.IsAbs(s.BinaryPath) || path.Clean(s.BinaryPath) != s.BinaryPath || s.BinaryPath == "/":
		return fmt.Errorf("build: binary path %q in the image must be an absolute, clean file path such as /usr/local/bin/app", s.BinaryPath)
	case s.Platform.OS == "" || s.Platform.Architecture == "":
		return fmt.Errorf("build: platform %q needs an os and an architecture, e.g. linux/amd64", s.Platform.String())
	}
	return nil
}

// applyConfig sets what the Spec controls and leaves the rest of the base's
// config (working directory, labels, ports, ...) alone.
func (s Spec) applyConfig(cf *v1.ConfigFile, created time.Time) error {
	env, err := mergeEnv(cf.Config.Env, s.Env)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	entrypoint := s.Entrypoint
	if len(entrypoint) == 0 {
		entrypoint = []string{s.BinaryPath}
	}
	cf.OS, cf.Architecture, cf.Variant = s.Platform.OS, s.Platform.Architecture, s.Platform.Variant
	cf.Created = v1.Time{Time: created}
	cf.Config.Entrypoint = append([]string(nil), entrypoint...)
	// The base's Cmd was written for the base's entrypoint; passing it to ours
	// would be surprising, so Args is the whole CMD.
	cf.Config.Cmd = append([]string(nil), s.Args...)
	cf.Config.Env = env
	cf.Config.User = s.User
	return nil
}
