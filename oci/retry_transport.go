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
