package oci

import (
	"bytes"
	"errors"
	"io"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/stream"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// maxTapBuffer bounds the compressed bytes a tap holds that its reader
// has not taken yet. A reader that falls further behind (a slow
// registry) is dropped, so a tap never costs more memory than this.
const maxTapBuffer = 32 << 20

// errTapDropped is what a tap's reader gets once it was dropped.
var errTapDropped = errors.New("early upload dropped: it fell behind the compression, or the layer was not made")

// layerTap hands the compressed bytes of a layer, as the compressor makes
// them, to one reader: an upload that runs while the layer is compressed
// into the cache, instead of after. Writes never fail and never block, so
// the compression is never held back by the reader: a reader that falls
// behind by maxTapBuffer, or closes, is dropped, and gets errTapDropped.
type layerTap struct {
	mt types.MediaType

	mu      sync.Mutex
	cond    *sync.Cond
	buf     bytes.Buffer
	fed     bool // a compression pass took the tap
	done    bool // that pass ended
	err     error
	sums    layerSums
	dropped bool
	opened  bool
}

func newLayerTap(mt types.MediaType) *layerTap {
	t := &layerTap{mt: mt}
	t.cond = sync.NewCond(&t.mu)
	return t
}

// take reports whether the caller's compression pass feeds the tap: only
// the first pass does.
func (t *layerTap) take() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fed || t.done {
		return false
	}
	t.fed = true
	return true
}

// Write keeps p for the reader; it always succeeds.
func (t *layerTap) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.dropped {
		if t.buf.Len()+len(p) > maxTapBuffer {
			t.drop()
		} else {
			t.buf.Write(p)
			t.cond.Broadcast()
		}
	}
	return len(p), nil
}

// finish ends the tap: the layer is complete with sums, or failed with
// err. A tap that no pass fed (the layer was never made) is dropped.
func (t *layerTap) finish(s layerSums, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	t.done, t.sums, t.err = true, s, err
	if !t.fed {
		t.drop()
	}
	t.cond.Broadcast()
}

// drop discards what is held and fails the reader. Called with t.mu held.
func (t *layerTap) drop() {
	t.dropped = true
	t.buf = bytes.Buffer{}
	t.cond.Broadcast()
}

// layer is the tap as a layer for a registry upload: its bytes stream
// from the tap (once), and its digest and size are known once they all
// have (until then stream.ErrNotComputed, which tells ggcr to upload it
// as a stream: POST, PATCH, then PUT with the digest).
func (t *layerTap) layer() v1.Layer { return tapLayer{t} }

type tapLayer struct{ t *layerTap }

func (l tapLayer) Compressed() (io.ReadCloser, error) {
	t := l.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.opened {
		return nil, errors.New("early upload: the layer's bytes can be read once")
	}
	t.opened = true
	return tapReader{t}, nil
}

func (l tapLayer) sums() (layerSums, error) {
	t := l.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.done || t.err != nil {
		return layerSums{}, stream.ErrNotComputed
	}
	return t.sums, nil
}

func (l tapLayer) Digest() (v1.Hash, error) {
	s, err := l.sums()
	return s.digest, err
}

func (l tapLayer) DiffID() (v1.Hash, error) {
	s, err := l.sums()
	return s.diffID, err
}

func (l tapLayer) Size() (int64, error) {
	s, err := l.sums()
	return s.size, err
}

func (l tapLayer) MediaType() (types.MediaType, error) { return l.t.mt, nil }

func (l tapLayer) Uncompressed() (io.ReadCloser, error) {
	return nil, errors.New("early upload: the layer has no uncompressed reader")
}

type tapReader struct{ t *layerTap }

// Read waits for bytes, the end of the layer or the tap being dropped.
func (r tapReader) Read(p []byte) (int, error) {
	t := r.t
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.buf.Len() == 0 && !t.done && !t.dropped {
		t.cond.Wait()
	}
	switch {
	case t.dropped:
		return 0, errTapDropped
	case t.buf.Len() > 0:
		return t.buf.Read(p)
	case t.err != nil:
		return 0, t.err
	}
	return 0, io.EOF
}

// Close drops the tap (nobody reads it any more), keeping only what the
// layer's digest and size need once it is complete.
func (r tapReader) Close() error {
	r.t.mu.Lock()
	defer r.t.mu.Unlock()
	r.t.drop()
	return nil
}
