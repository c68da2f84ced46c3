package oci

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// registryOutput pushes artifacts to the registries their repositories name.
type registryOutput struct {
	opts options
}

func (o *registryOutput) String() string { return "registry" }

// Write pushes each artifact's image under its first tag, then points the
// other tags at the same manifest. One Pusher serves every artifact so tokens
// and "blob already there" checks are shared.
func (o *registryOutput) Write(ctx context.Context, arts []Artifact) ([]string, error) {
	if err := checkArtifacts(arts); err != nil {
		return nil, err
	}
	repos := make([]name.Repository, len(arts))
	for i, a := range arts {
		repo, err := name.NewRepository(a.Repository, o.opts.nameOptions(name.StrictValidation)...)
		if err != nil {
			return nil, fmt.Errorf("push %s: the repository must include the registry host, e.g. ghcr.io/OWNER/%s (or write to oci:DIR or tarball:FILE instead): %w", a.Repository, a.Repository, err)
		}
		repos[i] = repo
	}
	pusher, err := remote.NewPusher(o.opts.remoteOptions(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("set up registry client: %w", err)
	}
	refs := make([]string, len(arts))
	for i, a := range arts {
		digest, err := digestOf(a.Image)
		if err != nil {
			return nil, fmt.Errorf("push %s: %w", a.Repository, err)
		}
		host := repos[i].RegistryStr()
		for j, t := range a.Tags {
			tag := repos[i].Tag(t)
			if j == 0 {
				err = pusher.Push(ctx, tag, a.Image)
			} else {
				err = remote.Tag(tag, a.Image, remote.WithContext(ctx), remote.Reuse(pusher))
			}
			if err != nil {
				return nil, registryError("push to "+a.Repository+":"+t, host, err)
			}
		}
		refs[i] = a.Repository + ":" + a.Tags[0] + "@" + digest
	}
	return refs, nil
}
