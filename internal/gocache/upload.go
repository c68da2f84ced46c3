package gocache

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// uploads runs blob uploads in the background, at most jobs at a time, and
// collects the entries whose blobs are in the registry.
type uploads struct {
	sem        chan struct{}
	wg         sync.WaitGroup
	ctx        context.Context
	cancel     context.CancelFunc
	mu         sync.Mutex
	done       []uploaded
	uploaded   atomic.Int64 // bytes
	downloaded atomic.Int64 // bytes
}

type uploaded struct {
	ActionID, OutputID string
	Size               int64
}

func (u *uploads) init(jobs int) {
	u.sem = make(chan struct{}, jobs)
	u.ctx, u.cancel = context.WithCancel(context.Background())
}

// Upload queues the output of actionID for upload and returns at once. It
// does nothing in read-only mode, after a failure, or when the registry
// already maps actionID to this output.
func (r *Registry) Upload(actionID string, e Entry) {
	if r.cfg.readOnly || r.dead.Load() {
		return
	}
	r.up.wg.Add(1)
	go func() {
		defer r.up.wg.Done()
		select {
		case <-r.loaded:
		case <-r.up.ctx.Done():
			return
		}
		if have, ok := r.Lookup(r.up.ctx, actionID); ok && have.OutputID == e.OutputID || r.dead.Load() {
			return
		}
		select {
		case r.up.sem <- struct{}{}:
			defer func() { <-r.up.sem }()
		case <-r.up.ctx.Done():
			return
		}
		l, err := partial.CompressedToLayer(fileBlob{path: e.DiskPath, outputID: e.OutputID, size: e.Size})
		if err == nil {
			err = r.pusher.Upload(r.up.ctx, r.repo, l)
		}
		if err != nil {
			if r.up.ctx.Err() == nil {
				r.fail("upload output "+e.OutputID[:12], err)
			}
			return
		}
		r.up.uploaded.Add(e.Size)
		r.up.mu.Lock()
		r.up.done = append(r.up.done, uploaded{actionID, e.OutputID, e.Size})
		r.up.mu.Unlock()
	}()
}

// fileBlob is a local output as a ggcr layer: uploaded as is, so its
// digest is its OutputID.
type fileBlob struct {
	path, outputID string
	size           int64
}

func (b fileBlob) Digest() (v1.Hash, error) {
	return v1.Hash{Algorithm: "sha256", Hex: b.outputID}, nil
}
func (b fileBlob) Compressed() (io.ReadCloser, error)  { return os.Open(b.path) }
func (b fileBlob) Size() (int64, error)                { return b.size, nil }
func (b fileBlob) MediaType() (types.MediaType, error) { return outputMediaType, nil }

// Close waits for the uploads (at most the flush timeout) and publishes
// what reached the registry as new session manifests. Failures are
// warnings: the build's own results are already on local disk.
func (r *Registry) Close(ctx context.Context) error {
	waited := make(chan struct{})
	go func() { r.up.wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(r.cfg.flushTimeout):
		r.warn.printf("remote cache %s: uploads not finished after %s; the rest is left out", r.repo, r.cfg.flushTimeout)
		r.up.cancel()
		<-waited
	case <-ctx.Done():
		r.up.cancel()
		<-waited
	}
	r.up.cancel()
	if r.cfg.readOnly || r.dead.Load() || len(r.up.done) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 3*r.cfg.timeout)
	defer cancel()
	if err := r.writeSessions(ctx, r.up.done); err != nil {
		r.fail("publish cache entries", err)
	}
	return nil
}

// writeSessions pushes the entries as session manifests under a new tag,
// maxPerManifest entries each.
func (r *Registry) writeSessions(ctx context.Context, entries []uploaded) error {
	sort.Slice(entries, func(i, j int) bool { return entries[i].ActionID < entries[j].ActionID })
	base := newSessionTag(time.Now())
	for i := 0; len(entries) > 0; i++ {
		n := min(len(entries), maxPerManifest)
		tag := fmt.Sprintf("%s-%d", base, i)
		if err := r.writeSession(ctx, tag, entries[:n]); err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

func (r *Registry) writeSession(ctx context.Context, tag string, entries []uploaded) error {
	cfg, err := json.Marshal(map[string]any{"tag": tag, "created": time.Now().UTC(), "entries": len(entries)})
	if err != nil {
		return err
	}
	cfgLayer := static.NewLayer(cfg, sessionMediaType)
	if err := r.pusher.Upload(ctx, r.repo, cfgLayer); err != nil {
		return err
	}
	cfgDigest, err := cfgLayer.Digest()
	if err != nil {
		return err
	}
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
		Config: v1.Descriptor{MediaType: sessionMediaType, Size: int64(len(cfg)), Digest: cfgDigest}}
	for _, e := range entries {
		m.Layers = append(m.Layers, v1.Descriptor{MediaType: outputMediaType, Size: e.Size, Digest: v1.Hash{Algorithm: "sha256", Hex: e.OutputID},
			Annotations: map[string]string{actionAnnotation: e.ActionID}})
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := r.pusher.Put(ctx, r.repo.Tag(tag), rawManifest(raw)); err != nil {
		return err
	}
	r.writeState(tag, raw)
	return nil
}

type rawManifest []byte

func (m rawManifest) RawManifest() ([]byte, error)        { return m, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }
