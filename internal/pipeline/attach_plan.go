package pipeline

import (
	"context"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/oci"
)

// attachPlan is what of one artifact's attachments is left to push, and
// the references of the referrers the registry holds already.
type attachPlan struct {
	push  attestation
	known []string // per referrer of the attestation: "REPOSITORY@sha256:..." when the registry has it, else ""
}

// refs returns the reference of every attachment, in the attestation's
// order, from the known ones and those pushed (PushAttachmentManifests'
// answer for p.push: its referrers, then its tagged images).
func (p attachPlan) refs(pushed []string) ([]string, error) {
	var out []string
	for _, k := range p.known {
		if k == "" {
			if len(pushed) == 0 {
				return nil, fmt.Errorf("fewer references than attachments")
			}
			k, pushed = pushed[0], pushed[1:]
		}
		out = append(out, k)
	}
	return append(out, pushed...), nil
}

// planAttachments lists the referrers repository holds for the subjects
// of at's (one round trip per subject, while the images are pushed) and
// plans to push only the others:
//   - a referrer whose digest is listed is the same document about the same
//     subject (an unchanged image's SBOM): it is there already;
//   - a provenance is kept when the registry holds one about the same
//     subject (see keepProvenance), although its digest differs: the
//     times in a statement change on every run, so each push would add
//     one more to the subject's referrers.
//
// When the registry cannot list them, everything is pushed.
func (a *assembler) planAttachments(ctx context.Context, repository string, at attestation) (attachPlan, error) {
	var subjects []string
	for _, k := range at.kinds[:len(at.atts.Referrers)] {
		subjects = append(subjects, k.Subject)
	}
	listed, err := oci.ReferrersOf(ctx, repository, subjects, a.bases.opts...)
	if err != nil {
		a.r.Log.Debug("could not list what the registry has attached; pushing every attachment", "image", repository, "err", err)
		listed = nil
	}
	at, kept, err := a.keepProvenance(ctx, repository, at, listed)
	if err != nil {
		return attachPlan{}, err
	}
	plan := attachPlan{push: at, known: make([]string, len(at.atts.Referrers))}
	plan.push.atts.Referrers = nil
	for j, img := range at.atts.Referrers {
		d, err := img.Digest()
		if err != nil {
			return attachPlan{}, err
		}
		k := at.kinds[j]
		switch {
		case k.Type == provenance.MediaType && kept != "":
			a.r.Log.Debug("the registry has this image's provenance already; kept it", "image", repository, "provenance", kept)
			plan.known[j] = repository + "@" + kept
		case hasDigest(listed[k.Subject], d.String()):
			plan.known[j] = repository + "@" + d.String()
		default:
			plan.push.atts.Referrers = append(plan.push.atts.Referrers, img)
		}
	}
	return plan, nil
}

// keepProvenance returns at and the digest of the provenance the registry
// holds already about at's provenance subject (listed by subject), ""
// when none is kept. With a key, the attestation image then signs the
// kept statement instead of this build's, so that cosign
// verify-attestation and packager verify read the same statement: of
// several, the one packager verify reads (the last to finish); one that
// cannot be read or is not a packager provenance about the subject is not
// kept.
func (a *assembler) keepProvenance(ctx context.Context, repository string, at attestation, listed map[string][]v1.Descriptor) (attestation, string, error) {
	var found []string
	var subject string
	for _, k := range at.kinds {
		if k.Type != provenance.MediaType {
			continue
		}
		subject = k.Subject
		for _, d := range listed[subject] {
			if d.ArtifactType == provenance.MediaType {
				found = append(found, d.Digest.String())
			}
		}
		break
	}
	if len(found) == 0 {
		return at, "", nil
	}
	if at.signedProv == nil {
		return at, found[0], nil
	}
	existing := ""
	var stmt []byte
	var last time.Time
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
		return at, "", nil
	}
	at, err := at.resign(ctx, a.r.Attest.Signer, stmt)
	if err != nil {
		return at, "", err
	}
	return at, existing, nil
}

func hasDigest(ds []v1.Descriptor, digest string) bool {
	for _, d := range ds {
		if d.Digest.String() == digest {
			return true
		}
	}
	return false
}
