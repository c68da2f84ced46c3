package oci

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/daemon"
)

// daemonOutput loads artifacts into the local Docker daemon (DOCKER_HOST or
// the default socket; ggcr's daemon package negotiates the API version).
type daemonOutput struct{}

func (daemonOutput) String() string { return "docker" }

// Write loads each artifact under its first tag and adds the other tags. An
// index loads its image for the host platform: the daemon's classic image
// store keeps one image per name. The result is
// "docker:REPOSITORY:FIRSTTAG@sha256:..." with the artifact's digest, the
// same digest the other outputs print.
func (daemonOutput) Write(ctx context.Context, arts []Artifact) ([]string, error) {
	if err := checkArtifacts(arts); err != nil {
		return nil, err
	}
	refs := make([]string, len(arts))
	for i, a := range arts {
		img, err := a.image(HostPlatform())
		if err != nil {
			return nil, fmt.Errorf("docker: %s: %w", a.Repository, err)
		}
		digest, err := digestOf(a.taggable())
		if err != nil {
			return nil, fmt.Errorf("docker: %s: %w", a.Repository, err)
		}
		tags := make([]name.Tag, len(a.Tags))
		for j, t := range a.Tags {
			if tags[j], err = archiveTag(a.Repository, t); err != nil {
				return nil, fmt.Errorf("docker: %w", err)
			}
		}
		if _, err := daemon.Write(tags[0], img, daemon.WithContext(ctx)); err != nil {
			if isVerifyError(err) {
				// The daemon is fine; a layer read on the way (of a
				// registry base, fetched lazily) was not what its digest says.
				return nil, fmt.Errorf("docker: load %s: a layer's bytes do not match its digest (cut or corrupted in transit, or the registry serves bad data): %w; run again, and if it persists check the base image%s", tags[0], err, baseNameOf(img))
			}
			return nil, fmt.Errorf("docker: load %s: %w; is the Docker daemon running and DOCKER_HOST right?", tags[0], err)
		}
		for _, t := range tags[1:] {
			if err := daemon.Tag(tags[0], t, daemon.WithContext(ctx)); err != nil {
				return nil, fmt.Errorf("docker: tag %s as %s: %w", tags[0], t, err)
			}
		}
		refs[i] = "docker:" + a.Repository + ":" + a.Tags[0] + "@" + digest
	}
	return refs, nil
}

// baseNameOf is " NAME" for the registry base img records in its
// base.name annotation, or "" (Docker-format images have no annotations).
func baseNameOf(img v1.Image) string {
	if m, err := img.Manifest(); err == nil && m.Annotations["org.opencontainers.image.base.name"] != "" {
		return " " + m.Annotations["org.opencontainers.image.base.name"]
	}
	return ""
}
