package oci

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/sync/errgroup"
)

// PushAttachments pushes atts into repository (e.g. "ghcr.io/acme/api"),
// after the images they refer to were pushed: first every blob, at once
// (see [UploadAttachmentBlobs]; blobs already there are skipped), then the
// manifests (see [PushAttachmentManifests]).
//
// It returns the references it wrote, "REPOSITORY@sha256:..." and
// "REPOSITORY:TAG@sha256:...".
func PushAttachments(ctx context.Context, repository string, atts Attachments, opts ...Option) ([]string, error) {
	if err := UploadAttachmentBlobs(ctx, repository, atts, opts...); err != nil {
		return nil, err
	}
	return PushAttachmentManifests(ctx, repository, atts, opts...)
}

// PushAttachmentManifests puts the manifests of atts into repository,
// whose blobs [UploadAttachmentBlobs] uploaded, all at once: referrers by
// digest, tagged images under their tags. It returns the references, in
// the order of atts: referrers, then tagged.
//
// A registry with the referrers API lists a referrer once its manifest is
// there. Where it has none (Debian's docker-registry 2.8, older Harbor,
// ...), the referrers go into the index under the fallback tag
// "sha256-<hex>" of their subject, as the OCI distribution spec says:
// read once per subject, every new referrer added, written back once
// (ggcr, left to it, reads and writes that index once per referrer, one
// referrer at a time).
func PushAttachmentManifests(ctx context.Context, repository string, atts Attachments, opts ...Option) (refs []string, err error) {
	o := makeOptions(opts)
	ctx, cancel := o.pushDeadline(ctx)
	defer cancel()
	defer func() { err = deadlineError(ctx, err) }()
	repo, pusher, err := o.repoPusher(ctx, "attach to", repository, remote.WithReferrersTagFallback(false))
	if err != nil {
		return nil, err
	}
	refs = make([]string, len(atts.Referrers)+len(atts.Tagged))
	fallback := make([]bool, len(atts.Referrers)) // the registry has no referrers API
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.jobs, 1))
	for i, img := range atts.Referrers {
		g.Go(func() error {
			d, subject, err := referrerDescriptor(img)
			if err != nil {
				return fmt.Errorf("attach to %s: %w", repository, err)
			}
			err = pusher.Put(gctx, repo.Digest(d.Digest.String()), img)
			if isNoReferrersAPI(err) {
				fallback[i], err = true, nil // the manifest is there; its subject's index is not
			}
			if err != nil {
				return o.registryError(fmt.Sprintf("attach %s to %s@%s", d.ArtifactType, repository, subject), repo.RegistryStr(), err)
			}
			refs[i] = repository + "@" + d.Digest.String()
			return nil
		})
	}
	for i, t := range atts.Tagged {
		g.Go(func() error {
			tag := repo.Tag(t.Tag)
			digest, err := digestOf(t.Image)
			if err != nil {
				return err
			}
			if err := pusher.Put(gctx, tag, t.Image); err != nil {
				return o.registryError("push "+tag.String(), repo.RegistryStr(), err)
			}
			refs[len(atts.Referrers)+i] = tag.String() + "@" + digest
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var viaTag []v1.Image
	for i, img := range atts.Referrers {
		if fallback[i] {
			viaTag = append(viaTag, img)
		}
	}
	if err := addToFallbackIndexes(ctx, o, repo, pusher, viaTag); err != nil {
		return nil, err
	}
	return refs, nil
}

// UploadAttachmentBlobs uploads the blobs of atts (layers and configs) to
// repository, all at once, skipping those the registry has. A blob no
// manifest names is invisible, so this may run while the images the
// attachments refer to are still being pushed, or fail, without leaving
// anything a user can see; [PushAttachments] then has only manifests left.
func UploadAttachmentBlobs(ctx context.Context, repository string, atts Attachments, opts ...Option) error {
	o := makeOptions(opts)
	ctx, cancel := o.pushDeadline(ctx)
	defer cancel()
	repo, pusher, err := o.repoPusher(ctx, "attach to", repository)
	if err != nil {
		return err
	}
	return deadlineError(ctx, uploadBlobs(ctx, o, repo, pusher, atts))
}

// repoPusher parses repository and makes a Pusher for it; op says what
// for in the error ("attach to", "upload to").
func (o options) repoPusher(ctx context.Context, op, repository string, extra ...remote.Option) (name.Repository, *remote.Pusher, error) {
	repo, err := name.NewRepository(repository, o.nameOptions(name.StrictValidation)...)
	if err != nil {
		return repo, nil, fmt.Errorf("%s %s: the repository must include the registry host: %w", op, repository, err)
	}
	pusher, err := remote.NewPusher(append(o.remoteOptions(ctx), extra...)...)
	if err != nil {
		return repo, nil, fmt.Errorf("set up registry client: %w", err)
	}
	return repo, pusher, nil
}

// uploadBlobs uploads every layer and config of atts' images at once.
func uploadBlobs(ctx context.Context, o options, repo name.Repository, pusher *remote.Pusher, atts Attachments) error {
	imgs := slices.Clone(atts.Referrers)
	for _, t := range atts.Tagged {
		imgs = append(imgs, t.Image)
	}
	var blobs []v1.Layer
	seen := map[v1.Hash]bool{}
	for _, img := range imgs {
		layers, err := img.Layers()
		if err != nil {
			return fmt.Errorf("attach to %s: %w", repo, err)
		}
		cfg, err := partial.ConfigLayer(img)
		if err != nil {
			return fmt.Errorf("attach to %s: %w", repo, err)
		}
		for _, l := range append(layers, cfg) {
			d, err := l.Digest()
			if err != nil {
				return fmt.Errorf("attach to %s: %w", repo, err)
			}
			if !seen[d] {
				seen[d] = true
				blobs = append(blobs, l)
			}
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.jobs, 1))
	for _, l := range blobs {
		g.Go(func() error {
			if err := pusher.Upload(gctx, repo, l); err != nil {
				return o.registryError("attach to "+repo.String(), repo.RegistryStr(), err)
			}
			return nil
		})
	}
	return g.Wait()
}

// AttachmentArtifacts turns atts into artifacts for the file outputs
// (oci:DIR and tarball:FILE), to be written together with the images
// they refer to, in the same Output.Write call.
//
// A layout has no referrers API, so referrers are stored the way the
// distribution spec's fallback describes for registries without one: an
// OCI image index holding every referrer of one subject (each descriptor
// with its artifactType and annotations), named "<name>:sha256-<hex>" in
// index.json. Tagged images are named "<name>:<tag>" the same way. Tools
// that know the fallback (oras, cosign, `packager inspect`) find them;
// others see a few more named manifests. A tarball's docker-load half
// (manifest.json) leaves them out: the Docker engine cannot load them.
func AttachmentArtifacts(repository string, atts Attachments) ([]Artifact, error) {
	groups, byDigest, err := groupBySubject(atts.Referrers)
	if err != nil {
		return nil, fmt.Errorf("attach to %s: %w", repository, err)
	}
	var arts []Artifact
	for subject, ds := range groups {
		var adds []mutate.IndexAddendum
		for _, d := range ds {
			adds = append(adds, mutate.IndexAddendum{Add: byDigest[d.Digest], Descriptor: d})
		}
		idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), adds...)
		arts = append(arts, Artifact{Repository: repository, Tags: []string{FallbackTag(subject)}, Index: idx})
	}
	// Map order is random; the artifacts' order decides the file's bytes.
	sortArtifacts(arts)
	for _, t := range atts.Tagged {
		if !attachmentTag.MatchString(t.Tag) {
			return nil, fmt.Errorf("attach to %s: tag %q is not sha256-<hex>[.sig|.att]", repository, t.Tag)
		}
		arts = append(arts, Artifact{Repository: repository, Tags: []string{t.Tag}, Image: t.Image})
	}
	return arts, nil
}

func sortArtifacts(arts []Artifact) {
	sort.Slice(arts, func(i, j int) bool { return arts[i].Tags[0] < arts[j].Tags[0] })
}

// attachmentTag matches the tags attachments live under: the referrers
// fallback tag and cosign's signature, attestation and SBOM tags.
var attachmentTag = regexp.MustCompile(`^sha256-[0-9a-f]{64}(\.sig|\.att|\.sbom)?$`)

// isAttachment reports whether every tag of a names an attachment rather
// than an image to run.
func isAttachment(a Artifact) bool {
	for _, t := range a.Tags {
		if !attachmentTag.MatchString(t) {
			return false
		}
	}
	return len(a.Tags) > 0
}

// UploadLayer uploads the blob of l to repository (e.g. "ghcr.io/acme/api")
// and nothing else: a blob no manifest names is invisible. For a layer
// from Spec.EarlyUpload, whose digest is not known yet, it streams the
// bytes as they come and commits the blob with the digest at the end; a
// layer the registry has is skipped, as in any push.
func UploadLayer(ctx context.Context, repository string, l v1.Layer, opts ...Option) error {
	o := makeOptions(opts)
	ctx, cancel := o.pushDeadline(ctx)
	defer cancel()
	repo, pusher, err := o.repoPusher(ctx, "upload to", repository)
	if err != nil {
		return err
	}
	if err := pusher.Upload(ctx, repo, l); err != nil {
		return deadlineError(ctx, o.registryError("upload a layer to "+repository, repo.RegistryStr(), err))
	}
	return nil
}
