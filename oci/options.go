package oci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Option configures how [Base] and the registry [Output] talk to registries.
type Option func(*options)

type options struct {
	keychain  authn.Keychain
	insecure  bool
	transport http.RoundTripper
	userAgent string
	jobs      int
	uploaded  *atomic.Int64 // see WithUploadCounter

	retry       Retry
	pushTimeout time.Duration
	dockerDir   string // see WithDockerConfigDir
}

// WithKeychain sets where registry credentials come from.
// The default is authn.DefaultKeychain (~/.docker/config.json and its helpers).
func WithKeychain(k authn.Keychain) Option {
	return func(o *options) { o.keychain = k }
}

// WithInsecure allows plain HTTP for every registry (name.Insecure).
// ggcr already allows HTTP for localhost and 127.0.0.0/8 without it.
func WithInsecure(insecure bool) Option {
	return func(o *options) { o.insecure = insecure }
}

// WithTransport replaces the HTTP transport, mostly for tests.
func WithTransport(t http.RoundTripper) Option {
	return func(o *options) { o.transport = t }
}

// WithUserAgent sets the User-Agent sent to registries.
func WithUserAgent(ua string) Option {
	return func(o *options) { o.userAgent = ua }
}

// WithJobs sets how many blobs are uploaded concurrently; n < 1 keeps ggcr's default.
func WithJobs(n int) Option {
	return func(o *options) { o.jobs = n }
}

// WithDockerConfigDir names the directory holding the Docker config.json
// that credentials come from, when it is not ~/.docker (the CLI passes
// $DOCKER_CONFIG), so that an authentication error points at the right file.
func WithDockerConfigDir(dir string) Option {
	return func(o *options) { o.dockerDir = dir }
}

func makeOptions(opts []Option) options {
	o := options{keychain: authn.DefaultKeychain, pushTimeout: DefaultPushTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if o.keychain == nil {
		o.keychain = authn.DefaultKeychain
	}
	o.retry = o.retry.withDefaults()
	return o
}

// nameOptions are the options for parsing references so that WithInsecure
// applies to every registry a reference names.
func (o options) nameOptions(extra ...name.Option) []name.Option {
	if o.insecure {
		extra = append(extra, name.Insecure)
	}
	return extra
}

// remoteOptions translates our options into ggcr's for one call under ctx.
func (o options) remoteOptions(ctx context.Context) []remote.Option {
	ro := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(o.keychain),
		// Each request is retried by retryTransport; ggcr's own transport
		// retries only errors that get through it (never statuses, which
		// would multiply the tries), and whole blob uploads.
		remote.WithTransport(newRetryTransport(o.baseTransport(), o.retry)),
		remote.WithRetryStatusCodes(),
		remote.WithRetryPredicate(retryable),
		remote.WithRetryBackoff(o.retry.blobBackoff()),
	}
	if o.userAgent != "" {
		ro = append(ro, remote.WithUserAgent(o.userAgent))
	}
	if o.jobs > 0 {
		ro = append(ro, remote.WithJobs(o.jobs))
	}
	return ro
}

// pushDeadline bounds ctx by the push timeout: on top of the per-request
// retries and the give-up rule, nothing keeps a push (its images, their
// attachments, an early upload) running forever.
func (o options) pushDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, o.pushTimeout,
		fmt.Errorf("the push did not finish within %s (raise the limit with --push-timeout)", o.pushTimeout))
}

// deadlineError puts the deadline's cause in front of err when ctx's
// deadline is why it failed.
func deadlineError(ctx context.Context, err error) error {
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		if cause := context.Cause(ctx); cause != nil {
			return fmt.Errorf("%w: %w", cause, err)
		}
	}
	return err
}
