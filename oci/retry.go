package oci

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Retry says how requests to registries are retried. Zero fields take the
// defaults shown.
//
// Every HTTP request is retried on its own, so a push of many blobs is not
// failed by one unlucky request. What cannot be retried as a single request
// (an upload whose bytes may have partly reached the registry) is retried as
// a whole blob upload by ggcr, from a fresh upload session.
type Retry struct {
	// Attempts is how often one request is tried (6).
	Attempts int
	// MinBackoff is the wait before the first retry (500ms); each further
	// wait doubles, with ±50% jitter so that concurrent uploads do not
	// retry in lockstep.
	MinBackoff time.Duration
	// MaxBackoff caps the doubling (10s). A Retry-After header from the
	// registry (429, 503) is honoured even when longer.
	MaxBackoff time.Duration
	// Stall is how long a request may move no bytes, in either direction,
	// before it is cut and retried (30s).
	Stall time.Duration
	// GiveUp ends every retry once the registry has made no progress for
	// this long (80s) since a request failed, and cuts the requests still
	// waiting on it. Progress is work the registry finished: a PUT stored,
	// a blob mounted, a GET answered, an upload session's PATCH once the
	// session is committed. A HEAD, an upload session opened, or bytes of
	// an upload that then fails are not: ggcr asks the first two again
	// before each retry of a whole blob. Request bytes still moving hold
	// the clock, so a slow upload is not given up on. A registry that is
	// down, or stalls every upload, fails the push after about GiveUp:
	// within two minutes.
	GiveUp time.Duration
}

func (r Retry) withDefaults() Retry {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if r.Attempts <= 0 {
		r.Attempts = 6
	}
	def(&r.MinBackoff, 500*time.Millisecond)
	def(&r.MaxBackoff, 10*time.Second)
	def(&r.Stall, 30*time.Second)
	def(&r.GiveUp, 80*time.Second)
	return r
}

// WithRetry sets how registry requests are retried; see [Retry].
func WithRetry(r Retry) Option {
	return func(o *options) { o.retry = r }
}

// WithPushTimeout bounds a whole registry push: when d has passed, it is
// cancelled with an error saying so. The default is [DefaultPushTimeout];
// d <= 0 keeps it.
func WithPushTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.pushTimeout = d
		}
	}
}

// DefaultPushTimeout is how long a registry push may take without
// [WithPushTimeout].
const DefaultPushTimeout = 30 * time.Minute

// blobBackoff is ggcr's retry of a whole blob upload (HEAD, POST, PATCH,
// PUT), for the failures a single request cannot be retried after.
func (r Retry) blobBackoff() remote.Backoff {
	// No Cap: ggcr stops retrying altogether once the cap is reached.
	return remote.Backoff{Duration: 2 * r.MinBackoff, Factor: 2, Jitter: 0.5, Steps: 5}
}

// retryable is ggcr's predicate for retrying a whole blob upload and for
// errors (not statuses) its own transport sees. Giving up and cancelling are
// final; a failed upload session (the registry saw a cut or repeated
// PATCH) is retried from scratch.
func retryable(err error) bool {
	var gu *GiveUpError
	switch {
	case err == nil, errors.As(err, &gu):
		return false
	case errors.Is(err, errStalled), transientNetError(err):
		return true
	}
	var terr *transport.Error
	if errors.As(err, &terr) {
		if terr.Temporary() {
			return true
		}
		for _, d := range terr.Errors {
			switch d.Code {
			case transport.DigestInvalidErrorCode, transport.BlobUploadUnknownErrorCode, transport.SizeInvalidErrorCode:
				return true
			}
		}
	}
	return false
}

// transientNetError reports errors of a connection that was cut or timed
// out: worth another try. Refused connections, DNS and TLS errors are not:
// trying again would only delay the hint that says what is wrong.
func transientNetError(err error) bool {
	var ne net.Error
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed):
		return true
	case errors.As(err, &ne) && ne.Timeout():
		return true
	}
	return false
}

// errStalled is the cause of a request cut because no bytes moved.
var errStalled = errors.New("no bytes moved")

// GiveUpError is returned once a registry has made no progress for
// [Retry].GiveUp: it names the registry and the last failure seen.
type GiveUpError struct {
	Host  string
	After time.Duration
	Last  string // e.g. "503 Service Unavailable on PATCH /v2/team/hello/blobs/uploads/…"
}

func (e *GiveUpError) Error() string {
	return fmt.Sprintf("registry %s made no progress for %s (last failure: %s); it is down or overloaded: try again later",
		e.Host, e.After.Round(time.Second), e.Last)
}
