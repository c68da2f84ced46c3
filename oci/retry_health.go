package oci

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

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
