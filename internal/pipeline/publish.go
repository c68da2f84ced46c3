package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/sync/errgroup"

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
	// What each artifact still has to push: not the referrers the
	// registry has already (an unchanged image's SBOMs, its provenance).
	plans := make([]attachPlan, len(ats))
	for i, at := range ats {
		if len(at.kinds) > 0 {
			pre.Go(func() (err error) {
				if plans[i], err = a.planAttachments(pctx, arts[i].Repository, at); err != nil {
					return err
				}
				return oci.UploadAttachmentBlobs(pctx, arts[i].Repository, plans[i].push.atts, a.bases.opts...)
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
			pushed, err := oci.PushAttachmentManifests(gctx, arts[i].Repository, plans[i].push.atts, a.bases.opts...)
			if err != nil {
				return err
			}
			all, err := plans[i].refs(pushed)
			if err != nil {
				return fmt.Errorf("attach to %s: %w", arts[i].Repository, err)
			}
			attached[i] = slices.Clone(at.kinds)
			for j := range attached[i] {
				attached[i][j].Ref = all[j]
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
