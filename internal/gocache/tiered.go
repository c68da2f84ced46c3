package gocache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
)

// Remote is what Tiered needs from a second level; [Registry] is one.
type Remote interface {
	// Lookup answers from an index held in memory: no round trip per action.
	Lookup(ctx context.Context, actionID string) (RemoteEntry, bool)
	// Fetch streams an output; the caller verifies it as it stores it.
	Fetch(ctx context.Context, e RemoteEntry) (io.ReadCloser, error)
	// Upload queues a stored output for upload and returns at once.
	Upload(actionID string, e Entry)
	// Close flushes the uploads.
	Close(ctx context.Context) error
}

// Tiered is the local Disk first and a Remote second: a local miss that the
// remote has is downloaded into the Disk and answered from there, and every
// put is uploaded in the background.
type Tiered struct {
	local  *Disk
	remote Remote
	warn   *warner
	stats  Stats
}

// Stats counts what a Tiered cache did, for a summary line.
type Stats struct {
	Gets, LocalHits, RemoteHits, Misses, Puts atomic.Int64
}

func (s *Stats) String() string {
	return fmt.Sprintf("%d gets: %d local hits, %d remote hits, %d misses; %d puts",
		s.Gets.Load(), s.LocalHits.Load(), s.RemoteHits.Load(), s.Misses.Load(), s.Puts.Load())
}

// NewTiered puts remote behind local. Warnings about bad remote entries go
// to warnings (nil: nowhere).
func NewTiered(local *Disk, remote Remote, warnings io.Writer) *Tiered {
	return &Tiered{local: local, remote: remote, warn: &warner{w: warnings}}
}

// Stats returns the counters so far.
func (t *Tiered) Stats() *Stats { return &t.stats }

// Get answers from disk, else from the remote, storing the remote output
// on disk first. A remote output that fails verification is a miss.
func (t *Tiered) Get(ctx context.Context, actionID string) (Entry, bool, error) {
	t.stats.Gets.Add(1)
	if e, ok, _ := t.local.Get(ctx, actionID); ok {
		t.stats.LocalHits.Add(1)
		return e, true, nil
	}
	re, ok := t.remote.Lookup(ctx, actionID)
	if !ok {
		t.stats.Misses.Add(1)
		return Entry{}, false, nil
	}
	rc, err := t.remote.Fetch(ctx, re)
	if err != nil {
		t.stats.Misses.Add(1)
		return Entry{}, false, nil // Fetch has warned if it matters
	}
	defer rc.Close()
	e, err := t.local.Put(ctx, actionID, re.OutputID, re.Size, rc)
	if err != nil {
		if errors.Is(err, ErrMismatch) {
			t.warn.printf("remote cache entry for action %s: %v; not used, building it here", actionID[:12], err)
		}
		t.stats.Misses.Add(1)
		return Entry{}, false, nil
	}
	t.stats.RemoteHits.Add(1)
	return e, true, nil
}

// Put stores on disk, then queues the upload.
func (t *Tiered) Put(ctx context.Context, actionID, outputID string, size int64, body io.Reader) (Entry, error) {
	t.stats.Puts.Add(1)
	e, err := t.local.Put(ctx, actionID, outputID, size, body)
	if err != nil {
		return Entry{}, err
	}
	t.remote.Upload(actionID, e)
	return e, nil
}

// Close flushes the remote level.
func (t *Tiered) Close(ctx context.Context) error { return t.remote.Close(ctx) }
