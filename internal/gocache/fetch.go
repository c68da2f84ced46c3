package gocache

import (
	"context"
	"errors"
	"io"
	"time"
)

// errOff is returned once the remote level has turned itself off.
var errOff = errors.New("remote cache is off after an earlier failure")

// fetchTimeout allows for a slow link without letting a stalled one hold a
// build: 10s, plus one second per MiB.
func fetchTimeout(size int64) time.Duration {
	return 10*time.Second + time.Duration(size>>20)*time.Second
}

// Fetch starts downloading the output e. The bytes are checked against the
// digest (by ggcr, and again by the caller as it stores them); a failure
// while reading is classified and warned about by the reader itself.
func (r *Registry) Fetch(ctx context.Context, e RemoteEntry) (io.ReadCloser, error) {
	if r.dead.Load() {
		return nil, errOff
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout(e.Size))
	l, err := r.puller.Layer(ctx, r.repo.Digest("sha256:"+e.OutputID))
	var rc io.ReadCloser
	if err == nil {
		rc, err = l.Compressed()
	}
	if err != nil {
		cancel()
		r.fetchFailed(e, err)
		return nil, err
	}
	return &fetchReader{rc: rc, cancel: cancel, r: r, e: e}, nil
}

func (r *Registry) fetchFailed(e RemoteEntry, err error) {
	switch {
	case isNotFound(err):
		// Collected by the registry since the session was written: a miss.
	case isUnavailable(err):
		r.fail("fetch output "+e.OutputID[:12], err)
	default:
		r.warn.printf("remote cache %s: output sha256:%s is corrupt (%v); not used, building it here", r.repo, e.OutputID, err)
	}
}

// fetchReader reports read failures once: a registry that died mid-blob
// turns the level off, bytes that fail verification are only a warning.
type fetchReader struct {
	rc     io.ReadCloser
	cancel context.CancelFunc
	r      *Registry
	e      RemoteEntry
	n      int64
	failed bool
}

func (f *fetchReader) Read(p []byte) (int, error) {
	n, err := f.rc.Read(p)
	f.n += int64(n)
	if err != nil && err != io.EOF && !f.failed {
		f.failed = true
		f.r.fetchFailed(f.e, err)
	}
	return n, err
}

func (f *fetchReader) Close() error {
	f.cancel()
	if !f.failed {
		f.r.up.downloaded.Add(f.n)
	}
	return f.rc.Close()
}
