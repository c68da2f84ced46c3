package oci

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// WithUploadCounter adds the number of blob bytes sent to registries to n:
// the request bodies of blob uploads, counted as they go over the wire.
// A push of unchanged images adds nothing, because ggcr asks the registry
// first and skips (or mounts) the blobs it already has.
func WithUploadCounter(n *atomic.Int64) Option {
	return func(o *options) { o.uploaded = n }
}

// countingTransport counts the body bytes of blob upload requests.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Method != http.MethodGet && r.Method != http.MethodHead &&
		strings.Contains(r.URL.Path, "/blobs/uploads/") {
		r = r.Clone(r.Context())
		r.Body = &countingBody{ReadCloser: r.Body, n: t.n}
	}
	return t.next.RoundTrip(r)
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// baseTransport is the transport requests finally go through.
func (o options) baseTransport() http.RoundTripper {
	t := o.transport
	if t == nil {
		t = remote.DefaultTransport
	}
	if o.uploaded != nil {
		t = &countingTransport{next: t, n: o.uploaded}
	}
	return t
}
