package oci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/sync/errgroup"
)

// isNoReferrersAPI reports the error ggcr returns after putting a manifest
// with a subject, with the tag fallback turned off, when the registry has
// no referrers API: the manifest is stored, only its subject's fallback
// index is left to write. ggcr gives that error no type of its own, so its
// text is matched; TestFallbackIndexOnDockerRegistry fails if it changes.
func isNoReferrersAPI(err error) bool {
	return err != nil && strings.Contains(err.Error(), "does not support the Referrers API and the referrers tag fallback is disabled")
}

// addToFallbackIndexes adds refs (referrer manifests already in repo) to
// the fallback index of each one's subject: per subject, the index is read
// once, the referrers it lacks are added, and it is written back once,
// sorted by digest (as ggcr sorts it), subjects at once. Nothing is
// written for a subject whose index has them all.
func addToFallbackIndexes(ctx context.Context, o options, repo name.Repository, pusher *remote.Pusher, refs []v1.Image) error {
	if len(refs) == 0 {
		return nil
	}
	groups, _, err := groupBySubject(refs)
	if err != nil {
		return fmt.Errorf("attach to %s: %w", repo, err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.jobs, 1))
	for subject, add := range groups {
		g.Go(func() error {
			tag := repo.Tag(FallbackTag(subject))
			if err := addToFallbackIndex(gctx, o, tag, pusher, add); err != nil {
				return o.registryError("update the referrers of "+repo.String()+"@"+subject.String()+" under "+tag.TagStr(), repo.RegistryStr(), err)
			}
			return nil
		})
	}
	return g.Wait()
}

func addToFallbackIndex(ctx context.Context, o options, tag name.Tag, pusher *remote.Pusher, add []v1.Descriptor) error {
	im, err := readFallbackIndex(ctx, o, tag)
	if err != nil {
		return err
	}
	have := map[v1.Hash]bool{}
	for _, d := range im.Manifests {
		have[d.Digest] = true
	}
	changed := false
	for _, d := range add {
		if !have[d.Digest] {
			im.Manifests = append(im.Manifests, d)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	sort.Slice(im.Manifests, func(i, j int) bool { return im.Manifests[i].Digest.String() < im.Manifests[j].Digest.String() })
	return pusher.Put(ctx, tag, rawIndex{im})
}

// readFallbackIndex reads the index under tag, or an empty one when the
// tag is not there. Anything but an OCI image index under a fallback tag
// is an error: writing over it would lose whatever it is.
func readFallbackIndex(ctx context.Context, o options, tag name.Tag) (v1.IndexManifest, error) {
	empty := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex}
	desc, err := remote.Get(tag, o.remoteOptions(ctx)...)
	var terr *transport.Error
	if errors.As(err, &terr) && terr.StatusCode == http.StatusNotFound {
		return empty, nil
	}
	if err != nil {
		return empty, err
	}
	var im v1.IndexManifest
	if err := json.Unmarshal(desc.Manifest, &im); err != nil {
		return empty, fmt.Errorf("%s: %w", tag, err)
	}
	if im.SchemaVersion != 2 || im.MediaType != types.OCIImageIndex {
		return empty, fmt.Errorf("%s holds %s, not the OCI image index of a referrers fallback tag", tag, desc.MediaType)
	}
	return im, nil
}

// rawIndex puts an index manifest as it is: a fallback index lists
// manifests by descriptor only.
type rawIndex struct{ im v1.IndexManifest }

func (r rawIndex) RawManifest() ([]byte, error)        { return json.Marshal(r.im) }
func (r rawIndex) MediaType() (types.MediaType, error) { return types.OCIImageIndex, nil }

// ReferrersOf lists the referrers repository holds for each of subjects
// ("sha256:..." digests), from the referrers API or, where the registry
// has none, the fallback tag; subjects at once. A subject with none, or
// not in the registry at all, has none: two requests tell a new image,
// not a HEAD of it first. What is listed is what a push can skip.
func ReferrersOf(ctx context.Context, repository string, subjects []string, opts ...Option) (map[string][]v1.Descriptor, error) {
	o := makeOptions(opts)
	ctx, cancel := o.pushDeadline(ctx)
	defer cancel()
	repo, err := name.NewRepository(repository, o.nameOptions(name.StrictValidation)...)
	if err != nil {
		return nil, fmt.Errorf("list referrers in %s: %w", repository, err)
	}
	puller, err := remote.NewPuller(o.remoteOptions(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("set up registry client: %w", err)
	}
	distinct := slices.Compact(slices.Sorted(slices.Values(subjects)))
	listed := make([][]v1.Descriptor, len(distinct))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.jobs, 1))
	for i, s := range distinct {
		g.Go(func() error {
			idx, err := remote.Referrers(repo.Digest(s), append(o.remoteOptions(gctx), remote.Reuse(puller))...)
			if err != nil {
				return o.registryError("list the referrers of "+repository+"@"+s, repo.RegistryStr(), err)
			}
			im, err := idx.IndexManifest()
			if err != nil {
				return fmt.Errorf("referrers of %s@%s: %w", repository, s, err)
			}
			listed[i] = im.Manifests
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, deadlineError(ctx, err)
	}
	out := make(map[string][]v1.Descriptor, len(distinct))
	for i, s := range distinct {
		out[s] = listed[i]
	}
	return out, nil
}
