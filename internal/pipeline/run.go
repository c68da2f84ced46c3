package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/cache"
	"github.com/packager-dev/packager/internal/flock"
	"github.com/packager-dev/packager/oci"
)

// Run builds every target for each of its platforms and publishes the
// results to every output, in order. Nothing is published until every
// image has been built, so a failed build leaves no output behind.
func Run(ctx context.Context, r Request) error {
	if r.Log == nil {
		r.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if len(r.Outputs) == 0 {
		return errors.New("pipeline: no outputs")
	}
	tmp, release, err := r.stagingDir()
	if err != nil {
		return err
	}
	defer release()

	var uploaded atomic.Int64
	remote := append(r.Remote[:len(r.Remote):len(r.Remote)], oci.WithUploadCounter(&uploaded))
	outputs := make([]oci.Output, len(r.Outputs))
	for i, dest := range r.Outputs {
		if outputs[i], err = oci.ParseOutput(dest, remote...); err != nil {
			return &ConfigError{err}
		}
	}
	a, stopEarly, err := r.assembler(ctx, remote, tmp)
	if err != nil {
		return err
	}
	defer stopEarly()
	targets := cloneTargets(r.Targets)
	rr := newRenderer(r.Environ, r.TemplateEnv, r.Created, r.Epoch, targets)
	if err := beforeBuild(ctx, targets, rr, remote); err != nil {
		return err
	}
	// After platforms: all is known, so every shard sees the same list.
	if targets = r.Shard.selectFrom(targets); len(targets) == 0 {
		r.Log.Info("nothing to build in this shard", "shard", r.Shard.Index, "of", r.Shard.Count)
		return nil
	}
	// The rest of the preparation (git, tags, labels, base digests) runs
	// while the binaries compile; jobs wait for it before assembling.
	prepare := sync.OnceValues(func() ([]prepared, error) { return r.prepare(ctx, targets, rr, remote) })
	for _, t := range targets {
		r.Log.Debug("target", "image", t.Name, "binaries", t.Binaries, "dir", t.Dir, "base", t.Base,
			"platforms", t.Platforms, "tags", t.Tags, "user", t.User)
	}
	started := time.Now()
	arts, images, err := a.buildAll(ctx, targets, prepare)
	if err != nil {
		return err
	}
	preps, err := prepare()
	if err != nil {
		return err
	}
	ats, err := a.attest(ctx, targets, arts, images, preps, started)
	if err != nil {
		return err
	}
	var pubs []published
	for _, out := range outputs {
		start := time.Now()
		uploaded.Store(0)
		if out.String() == "registry" {
			uploaded.Store(a.early.wait()) // before the push, which then finds the blobs there
		}
		r.emit(Event{Kind: PublishStarted, Output: out.String()})
		stop := r.reportUploads(out.String(), &uploaded)
		refs, attached, err := a.publish(ctx, out, arts, ats)
		stop()
		if err != nil {
			return fmt.Errorf("write %s: %w", out, err)
		}
		r.emit(Event{Kind: Published, Output: out.String(), Images: names(targets), Refs: refs, Tags: tags(arts), Took: time.Since(start), Uploaded: uploaded.Load()})
		for i, at := range attached {
			if len(at) > 0 {
				r.emit(Event{Kind: Attached, Output: out.String(), Image: targets[i].Name, Digest: digestAfter(refs[i]), Attachments: at})
			}
		}
		pubs = append(pubs, published{refs: refs, attached: attached})
	}
	if r.ImageRefs != "" {
		return writeImageRefs(r.ImageRefs, pubs)
	}
	return nil
}

// stagingDir makes the directory binaries are built into, and release
// removes it. With a cache it lives under the cache, because binaries are
// hard links to the cache's link targets, which needs the same file system;
// without one, in a private directory of this user's under the temporary
// directory. There it is locked while in use, so the next run removes what
// a killed (SIGKILL) run left behind; a run still going keeps its own.
func (r *Request) stagingDir() (dir string, release func(), err error) {
	parent, err := r.stagingParent()
	if err != nil {
		return "", nil, err
	}
	if parent == "" { // no private directory to sweep: a plain temporary one
		dir, err = os.MkdirTemp(r.TempDir, "packager-")
		return dir, func() { os.RemoveAll(dir) }, err
	}
	// Sweeping and creating-then-locking happen under the directory's own
	// lock: otherwise another run could sweep this one's new directory
	// between its creation and its lock.
	unlockParent, err := flock.Lock(context.Background(), parent)
	if err != nil {
		return "", nil, fmt.Errorf("staging: %w", err)
	}
	defer unlockParent()
	removeStale(parent)
	if dir, err = os.MkdirTemp(parent, "packager-"); err != nil {
		return "", nil, err
	}
	unlock, ok, err := flock.TryLock(dir)
	if err == nil && !ok {
		err = errors.New("held by another process")
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("staging: lock %s: %w", dir, err)
	}
	return dir, func() { os.RemoveAll(dir); unlock() }, nil
}

// Staging makes a directory for a command's temporary files (verify
// --rebuild's layout) where a build's staging goes: under <cacheDir>/tmp,
// or with cacheDir "" in packager-staging-UID under tempDir ("" is
// os.TempDir()). It is locked while in use, so the next run removes it if
// this process is killed (SIGKILL); release removes it. Output written
// into it must go into a subdirectory: an OCI layout locks the directory
// that holds it.
func Staging(cacheDir, tempDir string) (dir string, release func(), err error) {
	r := Request{CacheDir: cacheDir, TempDir: tempDir}
	return r.stagingDir()
}

// stagingParent is where staging directories are made: <cache>/tmp, or
// without a cache packager-staging-UID under the temporary directory when
// that is a directory of this user's that nobody else can write to ("" if
// it is not: in a shared /tmp another user may have made it first).
func (r *Request) stagingParent() (string, error) {
	if r.CacheDir != "" {
		parent := filepath.Join(r.CacheDir, "tmp")
		if err := os.MkdirAll(parent, 0o700); err != nil {
			return "", fmt.Errorf("cache: %w; pass --no-cache to build without it", err)
		}
		return parent, nil
	}
	parent := filepath.Join(cmp.Or(r.TempDir, os.TempDir()), fmt.Sprintf("packager-staging-%d", os.Getuid()))
	if err := os.Mkdir(parent, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", nil
	}
	if fi, err := os.Lstat(parent); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 || !ownedByMe(fi) {
		return "", nil
	}
	return parent, nil
}

// removeStale removes the staging directories under parent that no live
// packager holds. Best effort: what cannot be removed now is tried again
// next time.
func removeStale(parent string) {
	ents, _ := os.ReadDir(parent)
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "packager-") {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		if unlock, ok, err := flock.TryLock(dir); ok && err == nil {
			os.RemoveAll(dir)
			unlock()
		}
	}
}

// assembler holds what every image × platform job shares.
type assembler struct {
	r      *Request
	bases  *baseCache
	layers oci.LayerCache // nil: no cache
	early  *earlyUploads  // nil: none
	tmp    string
}

// assembler makes what every job shares. With a cache that held layers
// already and a push to a registry, new binaries layers are uploaded
// early (see earlyUploads); stopEarly ends those still going. A new cache
// (a fresh CI runner) gets no early uploads: its every layer is new to it,
// but the registry may well have them (a commit pushed before), and the
// push would skip those.
func (r *Request) assembler(ctx context.Context, remote []oci.Option, tmp string) (a *assembler, stopEarly func(), err error) {
	a = &assembler{r: r, bases: newBaseCache(remote...), tmp: tmp}
	stopEarly = func() {}
	if r.CacheDir != "" {
		c, err := cache.Open(r.CacheDir)
		if err != nil {
			return nil, nil, fmt.Errorf("cache: %w; pass --no-cache to build without it", err)
		}
		a.layers = c.Layers()
		if !c.Layers().Empty() && slices.Contains(r.Outputs, "registry") {
			a.early, stopEarly = newEarlyUploads(ctx, remote, r.Log)
		}
		// Once a day, drop layers and binaries unused for a week, so the
		// cache stops growing without bound (packager cache prune for more).
		if st, ran, err := c.TrimIfDue(cache.DefaultMaxAge, time.Now()); ran {
			r.Log.Debug("trimmed the cache", "entries", st.Entries, "blobs", st.Blobs, "bins", st.Bins, "bytes", st.Bytes, "err", err)
		}
	}
	return a, stopEarly, nil
}

// cloneTargets copies the targets the pipeline changes (platforms: all,
// rendered ldflags), so the caller's Request stays as it was.
func cloneTargets(ts []config.Target) []config.Target {
	out := make([]config.Target, len(ts))
	copy(out, ts)
	return out
}

// tags is each artifact's tags, in order.
func tags(arts []oci.Artifact) [][]string {
	out := make([][]string, len(arts))
	for i, a := range arts {
		out[i] = slices.Clone(a.Tags)
	}
	return out
}

func names(ts []config.Target) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}
