package oci

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// watchdog calls fire when it has run for d without a kick. A request runs
// it from the start until the response headers arrive (kicked by every
// chunk of request body sent), and then only while the reader of the
// response body waits in Read: a slow consumer is not a stalled registry.
type watchdog struct {
	mu      sync.Mutex
	d       time.Duration
	t       *time.Timer
	running bool
}

func newWatchdog(d time.Duration, fire func()) *watchdog {
	return &watchdog{d: d, t: time.AfterFunc(d, fire), running: true}
}

func (w *watchdog) kick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.running {
		w.t.Reset(w.d)
	}
}

func (w *watchdog) pause() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.running = false
	w.t.Stop()
}

func (w *watchdog) resume() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.running = true
	w.t.Reset(w.d)
}

// progressBody reports each chunk of a request body the transport reads,
// and when the body ends (EOF, an error, or Close).
type progressBody struct {
	io.ReadCloser
	onRead func(n int)
	onEnd  func()
}

func (b *progressBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.onRead(n)
	}
	if err != nil {
		b.onEnd()
	}
	return n, err
}

func (b *progressBody) Close() error {
	b.onEnd()
	return b.ReadCloser.Close()
}

// watchedBody is a streamed response body under the watchdog; closing it
// releases the request's context. While bytes move it holds the give-up
// clock (flight f); done (see health.done) runs when the body was read to
// its end, or closed without an error.
type watchedBody struct {
	io.ReadCloser
	w      *watchdog
	ctx    context.Context
	cancel context.CancelCauseFunc
	h      *health
	f      *flight
	done   func()
	stall  time.Duration

	failed atomic.Bool // a read failed
	once   sync.Once
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.w.resume()
	n, err := b.ReadCloser.Read(p)
	b.w.pause()
	if n > 0 {
		b.f.moved()
	}
	if err != nil && !errors.Is(err, io.EOF) {
		b.failed.Store(true)
	}
	if errors.Is(err, io.EOF) {
		b.finish()
	}
	return n, stallCause(b.ctx, err, b.stall)
}

func (b *watchedBody) Close() error {
	b.w.pause()
	err := b.ReadCloser.Close()
	b.cancel(nil)
	b.finish()
	return err
}

// finish ends the flight, once, and runs done unless a read failed.
func (b *watchedBody) finish() {
	b.once.Do(func() {
		b.h.end(b.f)
		if !b.failed.Load() {
			b.done()
		}
	})
}
