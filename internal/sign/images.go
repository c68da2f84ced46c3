package sign

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// Media types and annotations of cosign's signature and attestation images.
const (
	SimpleSigningMediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
	DSSEMediaType          = "application/vnd.dsse.envelope.v1+json"
	InTotoPayloadType      = "application/vnd.in-toto+json"
	SignatureAnnotation    = "dev.cosignproject.cosign/signature"
	PredicateAnnotation    = "predicateType"
)

// SignatureTag and AttestationTag are the tags cosign looks under for the
// signatures and attestations of digest ("sha256-<hex>.sig").
func SignatureTag(digest v1.Hash) string   { return digest.Algorithm + "-" + digest.Hex + ".sig" }
func AttestationTag(digest v1.Hash) string { return digest.Algorithm + "-" + digest.Hex + ".att" }

// simpleSigning is the payload cosign signs for an image: the "critical"
// part binds the signature to the digest (cosign checks it on verify).
type simpleSigning struct {
	Critical struct {
		Identity struct {
			DockerReference string `json:"docker-reference"`
		} `json:"identity"`
		Image struct {
			DockerManifestDigest string `json:"docker-manifest-digest"`
		} `json:"image"`
		Type string `json:"type"`
	} `json:"critical"`
	Optional map[string]any `json:"optional"`
}

// SignatureImage signs digest, the image or index pushed to repository
// (e.g. "ghcr.io/acme/api"), and returns the image to push under
// SignatureTag(digest) in that repository.
func SignatureImage(ctx context.Context, s Signer, repository string, digest v1.Hash) (v1.Image, error) {
	var p simpleSigning
	p.Critical.Identity.DockerReference = repository
	p.Critical.Image.DockerManifestDigest = digest.String()
	p.Critical.Type = "cosign container image signature"
	payload, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	sig, err := s.Sign(ctx, payload)
	if err != nil {
		return nil, fmt.Errorf("sign %s@%s: %w", repository, digest, err)
	}
	return artifactImage(mutate.Addendum{
		Layer:       static.NewLayer(payload, SimpleSigningMediaType),
		Annotations: map[string]string{SignatureAnnotation: base64.StdEncoding.EncodeToString(sig)},
	})
}

// AttestationImage signs each in-toto statement as a DSSE envelope and
// returns the image to push under AttestationTag(digest), one layer per
// statement, each annotated with its predicate type as cosign expects.
func AttestationImage(ctx context.Context, s Signer, statements ...[]byte) (v1.Image, error) {
	es, err := dsse.NewEnvelopeSigner(dsseSigner{s})
	if err != nil {
		return nil, err
	}
	var adds []mutate.Addendum
	for _, st := range statements {
		var head struct {
			PredicateType string `json:"predicateType"`
		}
		if err := json.Unmarshal(st, &head); err != nil || head.PredicateType == "" {
			return nil, fmt.Errorf("attestation is not an in-toto statement with a predicateType: %w", err)
		}
		env, err := es.SignPayload(ctx, InTotoPayloadType, st)
		if err != nil {
			return nil, fmt.Errorf("sign %s attestation: %w", head.PredicateType, err)
		}
		raw, err := json.Marshal(env)
		if err != nil {
			return nil, err
		}
		adds = append(adds, mutate.Addendum{
			Layer: static.NewLayer(raw, DSSEMediaType),
			// cosign writes an empty signature annotation on attestation layers.
			Annotations: map[string]string{SignatureAnnotation: "", PredicateAnnotation: head.PredicateType},
		})
	}
	return artifactImage(adds...)
}

// artifactImage is an OCI image of the given layers on an empty config,
// the shape of cosign's own signature and attestation images.
func artifactImage(adds ...mutate.Addendum) (v1.Image, error) {
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	return mutate.Append(base, adds...)
}

// dsseSigner adapts a Signer to go-securesystemslib's DSSE signer, which
// hands it the pre-authentication encoding to sign.
type dsseSigner struct{ Signer }

func (d dsseSigner) Sign(ctx context.Context, data []byte) ([]byte, error) {
	return d.Signer.Sign(ctx, data)
}
