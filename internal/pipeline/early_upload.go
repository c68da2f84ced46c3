package pipeline

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/packager-dev/packager/oci"
)

// earlyUploads uploads each new binaries layer to the registry while it is
// compressed into the cache (oci.Spec.EarlyUpload), instead of after: on
// the edit-build-push loop, where only the binary changed, its upload then
// costs next to nothing after the compression. The push waits for them and
// finds the blobs there. An early upload that fails costs nothing but the
// bytes sent: the push uploads the layer as it would have.
//
// Only with a layer cache that held something when the run started: in a
// used cache, a layer new to it is nearly always new to the registry too.
// A new cache (a fresh CI runner, maybe rebuilding a commit pushed before)
// gets none, so a layer the registry has is not sent again.
type earlyUploads struct {
	ctx      context.Context
	opts     []oci.Option
	log      *slog.Logger
	wg       sync.WaitGroup
	uploaded atomic.Int64
}

// newEarlyUploads returns the early uploads of a run that pushes with
// remote; stop cancels those still going and waits for them.
func newEarlyUploads(ctx context.Context, remote []oci.Option, log *slog.Logger) (e *earlyUploads, stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	e = &earlyUploads{ctx: ctx, log: log}
	e.opts = append(remote[:len(remote):len(remote)], oci.WithUploadCounter(&e.uploaded))
	return e, func() { cancel(); e.wg.Wait() }
}

// to returns the Spec.EarlyUpload of images pushed to repository; nil
// (none) for a nil e.
func (e *earlyUploads) to(repository string) func(v1.Layer) {
	if e == nil {
		return nil
	}
	return func(l v1.Layer) {
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			if err := oci.UploadLayer(e.ctx, repository, l, e.opts...); err != nil {
				e.log.Debug("early upload of a layer failed; the push uploads it", "repository", repository, "err", err)
				return
			}
			e.log.Debug("uploaded a new layer while compressing it", "repository", repository)
		}()
	}
}

// wait waits for every early upload and returns the bytes they sent.
func (e *earlyUploads) wait() int64 {
	if e == nil {
		return 0
	}
	e.wg.Wait()
	return e.uploaded.Load()
}
