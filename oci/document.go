package oci

import (
	"context"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// maxDocument bounds what AttachedDocument reads: SBOMs and provenance
// are kilobytes to a few megabytes; a bigger layer is not one of ours.
const maxDocument = 64 << 20

// AttachedDocument returns the document a referrer carries: the one layer
// of the artifact manifest digest, stored where ref is (the same registry
// repository or OCI layout), as AttachmentArtifacts writes it. digest is
// one of the Referrers that Inspect or ListAttached list for ref.
func AttachedDocument(ctx context.Context, ref, digest string, opts ...Option) ([]byte, error) {
	h, err := v1.NewHash(digest)
	if err != nil {
		return nil, fmt.Errorf("referrer %q: %w", digest, err)
	}
	s, _, err := openStore(ctx, ref, makeOptions(opts))
	if err != nil {
		return nil, err
	}
	img, err := s.image(ctx, h)
	if err != nil {
		return nil, fmt.Errorf("read referrer %s of %s: %w", digest, ref, err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("read referrer %s of %s: %w", digest, ref, err)
	}
	if len(layers) != 1 {
		return nil, fmt.Errorf("referrer %s of %s has %d layers: want one, the document", digest, ref, len(layers))
	}
	rc, err := layers[0].Compressed() // the document as stored: artifacts are not compressed
	if err != nil {
		return nil, fmt.Errorf("read referrer %s of %s: %w", digest, ref, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("read referrer %s of %s: %w", digest, ref, err)
	}
	if len(data) > maxDocument {
		return nil, fmt.Errorf("referrer %s of %s: document larger than %d bytes", digest, ref, maxDocument)
	}
	return data, nil
}
