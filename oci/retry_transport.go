package oci

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// retryTransport retries each registry request on its own: on 408, 429 and
// 5xx responses, on cut connections and on stalls (see watchdog), with
// exponential backoff, jitter and the registry's Retry-After. It sits under
// ggcr's transports (auth, user agent), so every retry is authenticated.
//
// A request is retried only when it can be sent again whole: no body, or a
// body with GetBody (ggcr sets it for blob uploads). A blob PATCH appends
// to an upload session, so it is repeated only after a response that says
// the registry refused it (429, 503) or a failure before any byte was sent;
// otherwise the error goes up and ggcr restarts the blob from a new session.
type retryTransport struct {
	next  http.RoundTripper
	p     Retry
	mu    sync.Mutex
	hosts map[string]*health
}

func newRetryTransport(next http.RoundTripper, p Retry) *retryTransport {
	return &retryTransport{next: next, p: p.withDefaults(), hosts: map[string]*health{}}
}

// health is what one registry host has done lately, shared by all requests.
// The give-up clock runs from the start of the first request that failed
// since the registry last made progress; time without requests (a lazily
// read base image, used minutes later) does not count.
//
// Progress is work the registry finished (see madeProgress), never bytes
// alone: the body of an upload that then fails went to a registry that
// dropped it. While a request body (or a streamed response body) is still
// moving, though, the registry is working: those flights hold the clock
// until they stop (a slow upload of a large layer is not a dead registry).
//
// An upload session's PATCH that the registry took is held the same way
// until the session's next request: its commit (PUT) succeeding is
// progress, anything else drops it. A registry that takes every PATCH and
// fails every commit is making none.
type health struct {
	failingSince atomic.Int64 // unix nanoseconds; 0 while the registry makes progress
	mu           sync.Mutex
	lastFailure  string
	flights      map[*flight]struct{}
	held         map[string]int64 // upload session path → when its PATCH was taken
}

// flight is one request whose body, or streamed response body, may be
// moving; last is when its last byte moved, 0 once it no longer moves.
type flight struct{ last atomic.Int64 }

func (f *flight) moved()   { f.last.Store(time.Now().UnixNano()) }
func (f *flight) stopped() { f.last.Store(0) }

func (h *health) begin() *flight {
	f := &flight{}
	h.mu.Lock()
	if h.flights == nil {
		h.flights = map[*flight]struct{}{}
	}
	h.flights[f] = struct{}{}
	h.mu.Unlock()
	return f
}

func (h *health) end(f *flight) {
	h.mu.Lock()
	delete(h.flights, f)
	h.mu.Unlock()
}

// hold holds the clock for the upload session at path, whose PATCH the
// registry took, until settle.
func (h *health) hold(path string) {
	h.mu.Lock()
	if h.held == nil {
		h.held = map[string]int64{}
	}
	h.held[path] = time.Now().UnixNano()
	h.mu.Unlock()
}

// settle ends a hold of path (the session's next request is done).
func (h *health) settle(path string) {
	h.mu.Lock()
	delete(h.held, path)
	h.mu.Unlock()
}

// moving is when a byte last moved in a flight that is still moving, or
// an upload session was held, whichever is later; 0 for neither.
func (h *health) moving() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	var last int64
	for f := range h.flights {
		last = max(last, f.last.Load())
	}
	for _, t := range h.held {
		last = max(last, t)
	}
	return last
}

func (h *health) progress() { h.failingSince.Store(0) }

func (h *health) failed(start time.Time, what string) {
	h.failingSince.CompareAndSwap(0, start.UnixNano())
	h.mu.Lock()
	h.lastFailure = what
	h.mu.Unlock()
}

func (t *retryTransport) health(host string) *health {
	t.mu.Lock()
	defer t.mu.Unlock()
	h := t.hosts[host]
	if h == nil {
		h = &health{}
		t.hosts[host] = h
	}
	return h
}

// giveUp returns the error to end with when waiting wait more would take
// the registry past GiveUp without progress.
func (t *retryTransport) giveUp(host string, h *health, wait time.Duration) error {
	since := h.failingSince.Load()
	if since == 0 {
		return nil
	}
	idle := time.Since(time.Unix(0, max(since, h.moving())))
	if idle+wait < t.p.GiveUp {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return &GiveUpError{Host: host, After: idle + wait, Last: h.lastFailure}
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	h := t.health(req.URL.Host)
	// Once the registry is given up on, every request fails at once:
	// ggcr's whole-blob retries must not start new stalls.
	if err := t.giveUp(req.URL.Host, h, 0); err != nil {
		return nil, err
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for attempt := 1; ; attempt++ {
		r, err := rewound(req, attempt)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		resp, sent, err := t.try(r, h)
		failed, again, wait := classify(req, resp, err, sent)
		if failed {
			// Also when it is not repeated here: a PATCH that ggcr
			// restarts from a new session is a failure all the same.
			h.failed(start, describeFailure(req, resp, err))
		}
		if !again || !replayable || attempt >= t.p.Attempts || req.Context().Err() != nil {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		wait = max(wait, t.backoff(attempt))
		if gerr := t.giveUp(req.URL.Host, h, wait); gerr != nil {
			return nil, gerr
		}
		timer := time.NewTimer(wait)
		select {
		case <-req.Context().Done():
			timer.Stop()
			return nil, req.Context().Err()
		case <-timer.C:
		}
	}
}

// rewound is req for the given attempt: the original first, then a clone
// with a fresh body from GetBody.
func rewound(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 1 || req.GetBody == nil {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("rewind request body for a retry: %w", err)
	}
	r := req.Clone(req.Context())
	r.Body = body
	return r, nil
}

// backoff is the wait before try attempt+1: MinBackoff doubled per
// attempt, capped at MaxBackoff, times a random factor in [0.5, 1.5).
func (t *retryTransport) backoff(attempt int) time.Duration {
	d := t.p.MinBackoff << min(attempt-1, 20)
	if d > t.p.MaxBackoff || d <= 0 {
		d = t.p.MaxBackoff
	}
	// Jitter spreads retries; it needs no cryptographic randomness.
	return time.Duration(float64(d) * (0.5 + rand.Float64())) //nolint:gosec // G404: jitter, not a secret
}

// classify says whether a try failed in a way that may pass if tried again
// (failed), whether it may be repeated here (again), and how long the
// registry asked to wait (Retry-After), given how many body bytes were sent.
func classify(req *http.Request, resp *http.Response, err error, sent int64) (failed, again bool, wait time.Duration) {
	patch := req.Method == http.MethodPatch
	if err != nil {
		failed = errors.Is(err, errStalled) || transientNetError(err)
		return failed, failed && (!patch || sent == 0), 0
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true, true, retryAfter(resp.Header.Get("Retry-After"))
	case http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return true, !patch, 0
	}
	return false, false, 0
}

// answered reports a status that is not a failure worth retrying.
func answered(status int) bool {
	return status < 500 && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout
}

// madeProgress reports a response that shows the registry doing work for
// us: it stored something (PUT), mounted a blob (POST 201), or sent what
// was asked for (GET). A HEAD, a POST that only opens an upload session,
// or a PATCH (see health.hold) is no progress by itself: a registry that
// answers those and then fails every upload is making none, and ggcr asks
// them again before each retry of a whole blob, which would otherwise
// restart the give-up clock forever.
func madeProgress(method string, status int) bool {
	if !answered(status) {
		return false
	}
	switch method {
	case http.MethodHead, http.MethodPatch:
		return false
	case http.MethodPost:
		return status == http.StatusCreated
	}
	return true
}

// done is what a try's response means for the give-up clock, once its
// body has been read: progress, a held upload session, or neither.
func (h *health) done(r *http.Request, status int) func() {
	path := r.URL.Path
	switch {
	case r.Method == http.MethodPatch && answered(status):
		return func() { h.hold(path) }
	case madeProgress(r.Method, status):
		return func() { h.settle(path); h.progress() }
	}
	return func() { h.settle(path) }
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0)
	}
	return 0
}

// describeFailure is the failure for a GiveUpError: status or error, method
// and path, never the query (upload URLs carry _state tokens).
func describeFailure(req *http.Request, resp *http.Response, err error) string {
	what := ""
	if resp != nil {
		what = resp.Status
	} else {
		what = stripQueries(err.Error())
	}
	return fmt.Sprintf("%s on %s %s", what, req.Method, req.URL.Path)
}

// maxBuffered is the largest response read whole inside the retry loop:
// manifests (at most 4 MiB in the distribution spec), tokens and error
// bodies. A body cut short is then retried like a reset connection;
// larger bodies (blobs) stream, and ggcr checks their digests.
const maxBuffered = 4 << 20

// try sends r once under a stall watchdog. It returns the response, the
// number of request body bytes sent, and the error.
func (t *retryTransport) try(r *http.Request, h *health) (*http.Response, int64, error) {
	ctx, cancel := context.WithCancelCause(r.Context())
	w := newWatchdog(t.p.Stall, func() { cancel(errStalled) })
	stopCut := t.cutAtGiveUp(r.URL.Host, h, cancel)
	defer stopCut()
	r = r.WithContext(ctx)
	f := h.begin()
	var sent atomic.Int64
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = &progressBody{ReadCloser: r.Body, onRead: func(n int) {
			w.kick()
			sent.Add(int64(n))
			f.moved()
		}, onEnd: f.stopped}
	}
	resp, err := t.next.RoundTrip(r)
	f.stopped() // whatever is left of the body will not be sent
	w.pause()
	if err != nil {
		h.end(f)
		h.settle(r.URL.Path)
		err = stallCause(ctx, err, t.p.Stall)
		cancel(nil)
		return nil, sent.Load(), gaveUp(ctx, err)
	}
	done := h.done(r, resp.StatusCode)
	if r.Method == http.MethodHead || resp.ContentLength < 0 || resp.ContentLength > maxBuffered {
		stopCut() // a slow reader of the body is not a failing registry
		resp.Body = &watchedBody{ReadCloser: resp.Body, w: w, ctx: ctx, cancel: cancel, h: h, f: f, done: done, stall: t.p.Stall}
		return resp, sent.Load(), nil
	}
	w.resume()
	body, err := io.ReadAll(resp.Body)
	w.pause()
	h.end(f)
	resp.Body.Close()
	err = stallCause(ctx, err, t.p.Stall)
	cancel(nil)
	if err != nil {
		h.settle(r.URL.Path)
		return nil, sent.Load(), gaveUp(ctx, fmt.Errorf("read response to %s %s: %w", r.Method, r.URL.Path, err))
	}
	done()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, sent.Load(), nil
}

// cutAtGiveUp cancels a try that waits on a registry which is failing
// already, once it has made no progress for GiveUp; otherwise a request
// started just before could wait Stall longer. Bytes moving (this
// request's or another's) hold it off; the watchdog then still cuts a
// stall. The returned function stops it.
func (t *retryTransport) cutAtGiveUp(host string, h *health, cancel context.CancelCauseFunc) func() bool {
	since := h.failingSince.Load()
	if since == 0 {
		return func() bool { return false }
	}
	timer := time.AfterFunc(time.Until(time.Unix(0, since).Add(t.p.GiveUp)), func() {
		if err := t.giveUp(host, h, 0); err != nil {
			cancel(err)
		}
	})
	return timer.Stop
}

// gaveUp is the GiveUpError that cut a try, or err.
func gaveUp(ctx context.Context, err error) error {
	var gu *GiveUpError
	if errors.As(context.Cause(ctx), &gu) {
		return gu
	}
	return err
}

// stallCause replaces the error of a request the watchdog cut.
func stallCause(ctx context.Context, err error, d time.Duration) error {
	if err != nil && !errors.Is(err, io.EOF) && errors.Is(context.Cause(ctx), errStalled) {
		return &stallError{d: d, err: err}
	}
	return err
}

// stallError is a request the watchdog cut after d without bytes moving.
type stallError struct {
	d   time.Duration
	err error
}

func (e *stallError) Error() string   { return fmt.Sprintf("no bytes moved for %s", e.d) }
func (e *stallError) Unwrap() []error { return []error{errStalled, e.err} }
