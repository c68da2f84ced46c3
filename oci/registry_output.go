package oci

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"golang.org/x/sync/errgroup"
)

// registryOutput pushes artifacts to the registries their repositories name.
type registryOutput struct {
	opts options
}

func (o *registryOutput) String() string { return "registry" }

// Write pushes each artifact (an image, or an index with all its images)
// under its first tag, then points the other tags at the same manifest.
// Artifacts are pushed concurrently, and within each ggcr uploads blobs
// concurrently (WithJobs), skips blobs the registry has (HEAD), mounts blobs
// from other repositories of the same registry, and writes manifests last.
// One Pusher serves every artifact so tokens and "blob already there"
// checks are shared.
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
	ctx, cancel := o.opts.pushDeadline(ctx)
	defer cancel()
	pusher, err := remote.NewPusher(o.opts.remoteOptions(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("set up registry client: %w", err)
	}
	refs := make([]string, len(arts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.opts.jobs, 1))
	for i, a := range arts {
		g.Go(func() error {
			ref, err := o.push(gctx, pusher, repos[i], a)
			refs[i] = ref
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, deadlineError(ctx, err)
	}
	return refs, nil
}

func (o *registryOutput) push(ctx context.Context, pusher *remote.Pusher, repo name.Repository, a Artifact) (string, error) {
	m := a.taggable()
	digest, err := digestOf(m)
	if err != nil {
		return "", fmt.Errorf("push %s: %w", a.Repository, err)
	}
	for j, t := range a.Tags {
		tag := repo.Tag(t)
		if j == 0 {
			err = pusher.Push(ctx, tag, m)
		} else {
			err = remote.Tag(tag, m, remote.WithContext(ctx), remote.Reuse(pusher))
		}
		if err != nil {
			return "", o.opts.registryError("push to "+a.Repository+":"+t, repo.RegistryStr(), err)
		}
	}
	return a.Repository + ":" + a.Tags[0] + "@" + digest, nil
}
