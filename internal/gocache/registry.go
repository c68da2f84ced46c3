package gocache

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Registry is the remote level: outputs and session manifests in one
// repository. Its methods never fail a build; the first registry failure
// writes one warning and turns the level off (see the package doc).
type Registry struct {
	repo   name.Repository
	cfg    registryConfig
	puller *remote.Puller
	pusher *remote.Pusher
	warn   *warner
	dead   atomic.Bool

	loaded chan struct{}          // closed once index is set
	index  map[string]RemoteEntry // ActionID → output, read-only once loaded

	up uploads
}

// RemoteEntry is an output the registry holds for an action.
type RemoteEntry struct {
	OutputID string
	Size     int64
}

// RegistryOption changes how OpenRegistry talks to the registry.
type RegistryOption func(*registryConfig)

type registryConfig struct {
	keychain     authn.Keychain
	readOnly     bool
	insecure     bool
	warnings     io.Writer
	timeout      time.Duration // one request, until the response headers
	flushTimeout time.Duration // uploads and session manifests at close
	stateDir     string        // session manifests already seen; "" keeps none
	jobs         int
}

// WithKeychain sets where credentials come from (authn.DefaultKeychain reads
// ~/.docker/config.json and its credential helpers, as pushes do).
func WithKeychain(k authn.Keychain) RegistryOption {
	return func(c *registryConfig) { c.keychain = k }
}

// WithReadOnly never writes to the registry: for untrusted builds.
func WithReadOnly() RegistryOption { return func(c *registryConfig) { c.readOnly = true } }

// WithInsecure allows plain HTTP to any registry (loopback always may).
func WithInsecure() RegistryOption { return func(c *registryConfig) { c.insecure = true } }

// WithWarnings sets where warnings go (default: nowhere).
func WithWarnings(w io.Writer) RegistryOption { return func(c *registryConfig) { c.warnings = w } }

// WithTimeout bounds each registry request until its response starts
// (default 5s), and so how long a registry that hangs can stall a build.
func WithTimeout(d time.Duration) RegistryOption { return func(c *registryConfig) { c.timeout = d } }

// WithFlushTimeout bounds the wait for background uploads at close
// (default 30s); what is not uploaded by then is left out.
func WithFlushTimeout(d time.Duration) RegistryOption {
	return func(c *registryConfig) { c.flushTimeout = d }
}

// WithStateDir keeps the session manifests already read in dir, so the next
// process fetches only new ones.
func WithStateDir(dir string) RegistryOption { return func(c *registryConfig) { c.stateDir = dir } }

// newRegistry sets up the clients; it does not contact the registry.
func newRegistry(repo string, opts ...RegistryOption) (*Registry, error) {
	cfg := registryConfig{keychain: authn.DefaultKeychain, timeout: 5 * time.Second, flushTimeout: 30 * time.Second, jobs: 8}
	for _, o := range opts {
		o(&cfg)
	}
	var nameOpts []name.Option
	if cfg.insecure {
		nameOpts = append(nameOpts, name.Insecure)
	}
	r, err := name.NewRepository(repo, nameOpts...)
	if err != nil {
		return nil, fmt.Errorf("remote cache %q: %w; want REGISTRY/REPOSITORY, e.g. ghcr.io/acme/gocache", repo, err)
	}
	ropts := []remote.Option{
		remote.WithAuthFromKeychain(cfg.keychain),
		remote.WithTransport(newTransport(cfg.timeout)),
		remote.WithUserAgent("packager-gocache"),
		// One quick retry at most: a registry that is down must cost seconds,
		// not ggcr's default 1s+3s+9s backoff per call.
		remote.WithRetryBackoff(remote.Backoff{Duration: 100 * time.Millisecond, Factor: 1, Steps: 2}),
	}
	puller, err := remote.NewPuller(ropts...)
	if err != nil {
		return nil, err
	}
	pusher, err := remote.NewPusher(ropts...)
	if err != nil {
		return nil, err
	}
	reg := &Registry{repo: r, cfg: cfg, puller: puller, pusher: pusher, warn: &warner{w: cfg.warnings},
		loaded: make(chan struct{})}
	reg.up.init(cfg.jobs)
	return reg, nil
}

// OpenRegistry returns the remote level for repo ("REGISTRY/REPO") and starts
// reading its index in the background. Only a malformed repo is an error:
// the registry's failures are warnings, and turn the level off.
func OpenRegistry(repo string, opts ...RegistryOption) (*Registry, error) {
	r, err := newRegistry(repo, opts...)
	if err != nil {
		return nil, err
	}
	go r.load()
	return r, nil
}

// Summary says what the remote level did, for a verbose log line.
func (r *Registry) Summary() string {
	state := "on"
	if r.dead.Load() {
		state = "off after a failure"
	}
	r.up.mu.Lock()
	n := len(r.up.done)
	r.up.mu.Unlock()
	return fmt.Sprintf("remote %s (%s): %d index entries, %d bytes downloaded, %d outputs (%d bytes) uploaded",
		r.repo, state, len(r.index), r.up.downloaded.Load(), n, r.up.uploaded.Load())
}

// newTransport bounds connecting and waiting for a response, not reading a
// body: a large blob may take long to move but starts quickly.
func newTransport(timeout time.Duration) http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = timeout
	t.ResponseHeaderTimeout = timeout
	t.MaxIdleConnsPerHost = 32
	return t
}

// warner writes warnings; the "registry down" one only once per process.
type warner struct {
	mu   sync.Mutex
	w    io.Writer
	down sync.Once
}

func (w *warner) printf(format string, args ...any) {
	if w.w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	fmt.Fprintf(w.w, "packager gocache: warning: "+format+"\n", args...)
}

// fail turns the remote level off after its first failure.
func (r *Registry) fail(op string, err error) {
	r.dead.Store(true)
	r.warn.down.Do(func() {
		r.warn.printf("remote cache %s: %v; going on with the local cache only", r.repo, explain(op, r.repo.RegistryStr(), err))
	})
}
