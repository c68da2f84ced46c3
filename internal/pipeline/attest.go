package pipeline

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/sync/errgroup"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/sign"
	"github.com/packager-dev/packager/oci"
)

// attestation is what is attached to one artifact: the documents and
// images, and for each the digest it is about and what it is, so the
// published references can be reported.
type attestation struct {
	atts  oci.Attachments
	kinds []Attachment // Subject and Type of each referrer, then each tagged image; Ref is filled on publishing
	// signedProv is where the provenance statement is signed, so that a
	// kept one can be signed instead (see keepProvenance); nil when it is not.
	signedProv *signedStatements
}

// signedStatements is one of cosign's attestation images, atts.Tagged[tagged]:
// it signs stmts, of which stmts[prov] is the provenance.
type signedStatements struct {
	tagged int
	stmts  [][]byte
	prov   int
}

// attest makes the attachments of every artifact (in arts' order): an SBOM
// per platform image, provenance for the artifact, and with a signer
// cosign's signature and attestation images. Artifacts are done at once,
// bounded by -j; each is deterministic except for provenance's times.
func (a *assembler) attest(ctx context.Context, targets []config.Target, arts []oci.Artifact, images [][]platformImage, preps []prepared, started time.Time) ([]attestation, error) {
	out := make([]attestation, len(arts))
	if !a.r.Attest.any() {
		return out, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(a.r.Jobs, 1))
	for i := range arts {
		g.Go(func() (err error) {
			out[i], err = a.attestOne(gctx, targets[i], arts[i], images[i], preps[i], started)
			if err != nil {
				return fmt.Errorf("image %s: attestations: %w", targets[i].Name, err)
			}
			return nil
		})
	}
	return out, g.Wait()
}

// statements are the in-toto statements signed for one digest.
type statements map[v1.Hash][][]byte

func (a *assembler) attestOne(ctx context.Context, t config.Target, art oci.Artifact, images []platformImage, prep prepared, started time.Time) (attestation, error) {
	var at attestation
	top, err := oci.Descriptor(taggable(art))
	if err != nil {
		return at, err
	}
	signed := statements{}
	bins := make([][]sbom.Binary, len(images))
	if a.r.Attest.sbom() || a.r.Attest.Provenance {
		for i, pi := range images {
			if bins[i], err = readBinaries(t, pi); err != nil {
				return at, err
			}
		}
	}
	if a.r.Attest.sbom() {
		for i, pi := range images {
			st, err := a.sbomFor(ctx, t, art.Repository, pi, bins[i], prep, &at)
			if err != nil {
				return at, fmt.Errorf("SBOM for %s: %w", pi.platform, err)
			}
			if a.r.Attest.Signer != nil {
				signed[st.digest] = append(signed[st.digest], st.data)
			}
		}
	}
	if a.r.Attest.Provenance {
		stmt, err := a.provenance(t, art.Repository, top.Digest, images, bins, prep, started)
		if err != nil {
			return at, fmt.Errorf("provenance: %w", err)
		}
		if err := at.refer(top, provenance.MediaType, stmt); err != nil {
			return at, err
		}
		signed[top.Digest] = append(signed[top.Digest], stmt)
	}
	if s := a.r.Attest.Signer; s != nil {
		digests := []v1.Hash{top.Digest}
		for _, pi := range images {
			if d, err := pi.img.Digest(); err == nil && d != top.Digest {
				digests = append(digests, d)
			}
		}
		for _, d := range digests {
			if err := at.sign(ctx, s, art.Repository, d, signed[d]); err != nil {
				return at, err
			}
			if d == top.Digest && a.r.Attest.Provenance {
				// The provenance was the last statement about top.
				at.signedProv = &signedStatements{tagged: len(at.atts.Tagged) - 1, stmts: signed[d], prov: len(signed[d]) - 1}
			}
		}
	}
	return at, nil
}

// statement is an in-toto statement about one digest.
type statement struct {
	digest v1.Hash
	data   []byte
}

// readBinaries reads the build information of each binary of pi, for its
// SBOM and the artifact's provenance.
func readBinaries(t config.Target, pi platformImage) ([]sbom.Binary, error) {
	out := make([]sbom.Binary, len(t.Binaries))
	for k, b := range t.Binaries {
		bin, err := sbom.ReadBinary(pi.bins[k], b.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pi.platform, err)
		}
		out[k] = bin
	}
	return out, nil
}

// sbomFor attaches the SBOM of one platform image, whose binaries are
// bins, to it and returns the SBOM as an in-toto statement (for signing).
func (a *assembler) sbomFor(ctx context.Context, t config.Target, repo string, pi platformImage, bins []sbom.Binary, prep prepared, at *attestation) (statement, error) {
	subject, err := oci.Descriptor(pi.img)
	if err != nil {
		return statement{}, err
	}
	in := sbom.Input{Name: repo, Digest: subject.Digest.String(), Platform: pi.platform.String(),
		Created: prep.created, ToolVersion: a.r.Attest.Version, Binaries: bins}
	if in.Base, err = a.sbomBase(ctx, t.Base, pi, prep); err != nil {
		return statement{}, err
	}
	doc, err := sbom.Generate(a.r.Attest.SBOM, in)
	if err != nil {
		return statement{}, err
	}
	if err := at.refer(subject, doc.MediaType, doc.Data); err != nil {
		return statement{}, err
	}
	if a.r.Attest.Signer == nil {
		return statement{}, nil
	}
	data, err := provenance.Wrap([]provenance.Subject{{Name: repo, Digest: subject.Digest.String()}}, doc.PredicateType, doc.Data)
	return statement{digest: subject.Digest, data: data}, err
}

// sbomBase is what the base of pi contributes to its SBOM: the CA bundle
// module of the static base; the digest of a registry or layout base, and
// a pointer to the base's own SBOM when one is attached to it.
func (a *assembler) sbomBase(ctx context.Context, ref string, pi platformImage, prep prepared) (sbom.Base, error) {
	switch ref {
	case "static":
		return sbom.StaticBase(a.r.Attest.Self)
	case "scratch":
		return sbom.Base{Ref: ref}, nil
	}
	d, err := pi.base.Digest()
	if err != nil {
		return sbom.Base{}, fmt.Errorf("base %s: %w", ref, err)
	}
	b := sbom.Base{Ref: ref, Digest: d.String()}
	if prep.baseName == "" {
		return b, nil // an oci: layout: no registry to ask
	}
	// baseName is the reference as resolved (REPO:TAG or REPO@DIGEST);
	// the platform image is REPO@<its digest>.
	repo := prep.baseName
	if r, err := name.ParseReference(repo, name.Insecure); err == nil {
		repo = r.Context().Name()
	}
	where := repo + "@" + d.String()
	att, err := oci.ListAttached(ctx, where, a.bases.opts...)
	if err != nil {
		// The base's own SBOM is a pointer, not a part of ours: a registry
		// that cannot list referrers must not stop the build.
		a.r.Log.Warn("base image's own SBOM not looked up", "base", where, "err", err)
		return b, nil
	}
	for _, r := range att.Referrers {
		if r.ArtifactType == sbom.SPDXMediaType || r.ArtifactType == sbom.CycloneDXMediaType {
			b.SBOM = &sbom.Ref{Location: repo, MediaType: r.ArtifactType, Digest: r.Digest}
			break
		}
	}
	return b, nil
}

// refer adds a referrer of type artifactType holding data, about subject.
func (at *attestation) refer(subject v1.Descriptor, artifactType string, data []byte) error {
	img, err := oci.NewReferrer(subject, artifactType, data, nil)
	if err != nil {
		return err
	}
	// kinds lists referrers first, then tagged images, as the publishers
	// return them: attestOne adds every referrer before signing.
	at.atts.Referrers = append(at.atts.Referrers, img)
	at.kinds = append(at.kinds, Attachment{Subject: subject.Digest.String(), Type: artifactType})
	return nil
}

// sign adds cosign's signature of d and, when there are statements about
// d, its attestation image (a DSSE envelope per statement).
func (at *attestation) sign(ctx context.Context, s sign.Signer, repo string, d v1.Hash, stmts [][]byte) error {
	img, err := sign.SignatureImage(ctx, s, repo, d)
	if err != nil {
		return err
	}
	at.atts.Tagged = append(at.atts.Tagged, oci.Tagged{Tag: sign.SignatureTag(d), Image: img})
	at.kinds = append(at.kinds, Attachment{Subject: d.String(), Type: sign.SimpleSigningMediaType})
	if len(stmts) == 0 {
		return nil
	}
	if img, err = sign.AttestationImage(ctx, s, stmts...); err != nil {
		return err
	}
	at.atts.Tagged = append(at.atts.Tagged, oci.Tagged{Tag: sign.AttestationTag(d), Image: img})
	at.kinds = append(at.kinds, Attachment{Subject: d.String(), Type: sign.DSSEMediaType})
	return nil
}

// resign returns at with the provenance in its attestation image replaced
// by stmt and the image signed again with s.
func (at attestation) resign(ctx context.Context, s sign.Signer, stmt []byte) (attestation, error) {
	sp := at.signedProv
	stmts := slices.Clone(sp.stmts)
	stmts[sp.prov] = stmt
	img, err := sign.AttestationImage(ctx, s, stmts...)
	if err != nil {
		return at, err
	}
	out := at
	out.atts.Tagged = slices.Clone(at.atts.Tagged)
	out.atts.Tagged[sp.tagged].Image = img
	out.signedProv = &signedStatements{tagged: sp.tagged, stmts: stmts, prov: sp.prov}
	return out, nil
}

// taggable is the image or index an artifact publishes.
func taggable(a oci.Artifact) interface {
	Digest() (v1.Hash, error)
	MediaType() (types.MediaType, error)
	Size() (int64, error)
} {
	if a.Index != nil {
		return a.Index
	}
	return a.Image
}
