package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/oci"
)

// publish writes arts to out with their attachments and returns the
// images' references and, per artifact, its attachments with their
// references. A registry gets the images first and then their
// attachments' manifests (see pushWithAttachments); a layout or tarball
// gets both in one write; the Docker daemon cannot hold attachments.
func (a *assembler) publish(ctx context.Context, out oci.Output, arts []oci.Artifact, ats []attestation) ([]string, [][]Attachment, error) {
	dest := out.String()
	if dest == "docker" || !slices.ContainsFunc(ats, func(at attestation) bool { return len(at.kinds) > 0 }) {
		if dest == "docker" && len(ats) > 0 && len(ats[0].kinds) > 0 {
			a.r.Log.Debug("the Docker daemon keeps no SBOMs, provenance or signatures; they go to the other outputs only")
		}
		refs, err := out.Write(ctx, arts)
		return refs, nil, err
	}
	if dest == "registry" {
		return a.pushWithAttachments(ctx, out, arts, ats)
	}
	all := slices.Clone(arts)
	attached := make([][]Attachment, len(arts))
	for i, at := range ats {
		extra, err := oci.AttachmentArtifacts(arts[i].Repository, at.atts)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, extra...)
		if attached[i], err = at.refs(dest); err != nil {
			return nil, nil, err
		}
	}
	refs, err := out.Write(ctx, all)
	if err != nil {
		return nil, nil, err
	}
	return refs[:len(arts)], attached, nil
}

// pushWithAttachments pushes the images and, meanwhile, the blobs of
// their attachments (invisible until a manifest names them); then, once
// every image is there, the attachments' manifests, all at once (bounded
// by -j), and each subject's fallback index once.
func (a *assembler) pushWithAttachments(ctx context.Context, out oci.Output, arts []oci.Artifact, ats []attestation) ([]string, [][]Attachment, error) {
	var refs []string
	var pushErr error
	pre, pctx := errgroup.WithContext(ctx)
	pre.SetLimit(max(a.r.Jobs, 1) + 1) // the images, and -j artifacts' attachment blobs
	pre.Go(func() error {
		refs, pushErr = out.Write(pctx, arts)
		return pushErr
	})
	// What each artifact still has to push: without a provenance the
	// registry already has (existing), which sat at kept among the refs.
	existing, toPush, kept := make([]string, len(ats)), make([]attestation, len(ats)), make([]int, len(ats))
	for i, at := range ats {
		if len(at.kinds) > 0 {
			pre.Go(func() (err error) {
				if toPush[i], existing[i], kept[i], err = a.keepProvenance(pctx, arts[i].Repository, at); err != nil {
					return err
				}
				return oci.UploadAttachmentBlobs(pctx, arts[i].Repository, toPush[i].atts, a.bases.opts...)
			})
		}
	}
	if err := pre.Wait(); err != nil {
		// The images' error says more (which image, which tag) than the
		// attachments' blobs failing with it, unless it is only the
		// cancellation the blobs' failure caused.
		if pushErr != nil && !errors.Is(pushErr, context.Canceled) {
			err = pushErr
		}
		return nil, nil, err
	}
	attached := make([][]Attachment, len(arts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(a.r.Jobs, 1))
	for i, at := range ats {
		if len(at.kinds) == 0 {
			continue
		}
		g.Go(func() error {
			pushed, err := oci.PushAttachmentManifests(gctx, arts[i].Repository, toPush[i].atts, a.bases.opts...)
			if err != nil {
				return err
			}
			if kept[i] >= 0 {
				a.r.Log.Debug("the registry has this image's provenance already; kept it", "image", arts[i].Repository, "provenance", existing[i])
				pushed = slices.Insert(pushed, kept[i], arts[i].Repository+"@"+existing[i])
			}
			if len(pushed) != len(at.kinds) {
				return fmt.Errorf("attach to %s: %d references for %d attachments", arts[i].Repository, len(pushed), len(at.kinds))
			}
			attached[i] = slices.Clone(at.kinds)
			for j := range attached[i] {
				attached[i][j].Ref = pushed[j]
			}
			return nil
		})
	}
	return refs, attached, g.Wait()
}

// refs returns at's attachments, each with its reference in a file
// output dest: "oci:DIR@sha256:..." as for the images.
func (at attestation) refs(dest string) ([]Attachment, error) {
	out := slices.Clone(at.kinds)
	imgs := slices.Clone(at.atts.Referrers)
	for _, t := range at.atts.Tagged {
		imgs = append(imgs, t.Image)
	}
	for j, img := range imgs {
		d, err := img.Digest()
		if err != nil {
			return nil, err
		}
		out[j].Ref = dest + "@" + d.String()
	}
	return out, nil
}

// keepProvenance returns what of at is left to push: at without its
// provenance when the registry holds one about the same subject already
// (see attachedProvenance), that one's digest and the position at's had
// among the references PushAttachments returns (-1: nothing kept). With a
// key, the attestation image then signs the kept statement instead of
// this build's, so that cosign verify-attestation and packager verify read
// the same statement: of several, the one packager verify reads (the last
// to finish); one that cannot be read or is not a packager provenance
// about the subject is not kept.
func (a *assembler) keepProvenance(ctx context.Context, repository string, at attestation) (attestation, string, int, error) {
	found, subject := a.attachedProvenance(ctx, repository, at)
	if len(found) == 0 {
		return at, "", -1, nil
	}
	existing := found[0]
	if at.signedProv != nil {
		var stmt []byte
		var last time.Time
		existing = ""
		for _, d := range found {
			data, err := oci.AttachedDocument(ctx, repository+"@"+subject, d, a.bases.opts...)
			var finished time.Time
			if err == nil {
				finished, err = provenance.Check(data, subject)
			}
			if err != nil {
				a.r.Log.Debug("a provenance of this image in the registry is not signed again", "image", repository, "provenance", d, "err", err)
				continue
			}
			if existing == "" || finished.After(last) {
				existing, stmt, last = d, data, finished
			}
		}
		if existing == "" {
			return at, "", -1, nil
		}
		var err error
		if at, err = at.resign(ctx, a.r.Attest.Signer, stmt); err != nil {
			return at, "", -1, err
		}
	}
	out, k := at.withoutProvenance(existing)
	return out, existing, k, nil
}

// attachedProvenance returns the digests of the provenance statements the
// registry already holds for at's provenance subject, and that subject;
// none when it has none (or the subject is new, or the registry cannot
// say). An image rebuilt unchanged then keeps the provenance of the build
// that first made it, instead of adding one per push: the times in a
// statement differ on every run, so each would be a new upload and a new
// entry in the fallback index.
func (a *assembler) attachedProvenance(ctx context.Context, repository string, at attestation) (digests []string, subject string) {
	for _, k := range at.kinds {
		if k.Type != provenance.MediaType {
			continue
		}
		att, err := oci.ListAttached(ctx, repository+"@"+k.Subject, a.bases.opts...)
		if err != nil {
			return nil, "" // a new image, most often: it has nothing attached yet
		}
		for _, r := range att.Referrers {
			if r.ArtifactType == provenance.MediaType {
				digests = append(digests, r.Digest)
			}
		}
		return digests, k.Subject
	}
	return nil, ""
}

// withoutProvenance returns at without its provenance referrer when
// existing names one the registry has, and the position it had among the
// references PushAttachmentManifests returns (-1: nothing removed).
func (at attestation) withoutProvenance(existing string) (attestation, int) {
	if existing == "" {
		return at, -1
	}
	for k, kind := range at.kinds {
		if kind.Type == provenance.MediaType && k < len(at.atts.Referrers) {
			out := at
			out.atts.Referrers = slices.Delete(slices.Clone(at.atts.Referrers), k, k+1)
			return out, k
		}
	}
	return at, -1
}
