package gocache

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/sync/errgroup"
)

// Names in the registry. Changing what they mean needs new names: old
// readers must not misread new sessions.
const (
	tagPrefix        = "gocache-"
	tagTimeLayout    = "20060102T150405.000000Z"
	outputMediaType  = types.MediaType("application/vnd.packager.gocache.output.v1")
	sessionMediaType = types.MediaType("application/vnd.packager.gocache.session.v1+json")
	actionAnnotation = "dev.packager.gocache.action"
	maxPerManifest   = 2000 // descriptors per session manifest: ~400 kB, under registries' 4 MB limit
)

// newSessionTag returns a tag no other writer will choose: the time (so
// prune can age sessions from the tag list alone) and 48 random bits.
func newSessionTag(now time.Time) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return tagPrefix + now.UTC().Format(tagTimeLayout) + "-" + hex.EncodeToString(b)
}

// tagTime returns the time a session tag was written; ok is false for tags
// that are not sessions (a person may push other things to the repository).
func tagTime(tag string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(tag, tagPrefix)
	if !ok || len(rest) < len(tagTimeLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(tagTimeLayout, rest[:len(tagTimeLayout)])
	return t, err == nil
}

// sessionTags returns the session tags among tags, newest first.
func sessionTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		if _, ok := tagTime(t); ok {
			out = append(out, t)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

// load reads the index once per process, bounded so that a hanging
// registry delays the build's first lookup by a few seconds at most.
func (r *Registry) load() {
	defer close(r.loaded)
	ctx, cancel := context.WithTimeout(context.Background(), 3*r.cfg.timeout)
	defer cancel()
	manifests, err := r.fetchSessions(ctx)
	if err != nil {
		r.fail("read the cache index", err)
		return
	}
	r.index = mergeSessions(manifests)
}

// session is one parsed session manifest.
type session struct {
	tag      string
	digest   v1.Hash
	manifest *v1.Manifest
}

// fetchSessions lists the tags and returns every session manifest, newest
// first, reading the ones seen before from the state directory.
func (r *Registry) fetchSessions(ctx context.Context) ([]session, error) {
	tags, err := r.puller.List(ctx, r.repo)
	if isNotFound(err) {
		return nil, nil // nothing pushed yet
	}
	if err != nil {
		return nil, err
	}
	tags = sessionTags(tags)
	out := make([]session, len(tags))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	for i, tag := range tags {
		g.Go(func() error {
			s, err := r.fetchSession(ctx, tag)
			out[i] = s
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	r.forgetStaleState(tags)
	return out, nil
}

func (r *Registry) fetchSession(ctx context.Context, tag string) (session, error) {
	raw, err := r.readState(tag)
	if err != nil {
		desc, err := r.puller.Get(ctx, r.repo.Tag(tag))
		if isNotFound(err) {
			return session{tag: tag}, nil // pruned since the list
		}
		if err != nil {
			return session{}, fmt.Errorf("fetch session %s: %w", tag, err)
		}
		raw = desc.Manifest
		r.writeState(tag, raw)
	}
	m, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return session{tag: tag}, nil // not ours to read; skipped
	}
	h, _, _ := v1.SHA256(bytes.NewReader(raw))
	return session{tag: tag, digest: h, manifest: m}, nil
}

// mergeSessions builds ActionID → output from sessions newest first, so
// where two runners disagree (a non-reproducible output) the newest wins.
func mergeSessions(sessions []session) map[string]RemoteEntry {
	index := make(map[string]RemoteEntry)
	for _, s := range sessions {
		if s.manifest == nil {
			continue
		}
		for _, l := range s.manifest.Layers {
			aid := l.Annotations[actionAnnotation]
			if l.MediaType != outputMediaType || !validHex(aid) || l.Digest.Algorithm != "sha256" || !validHex(l.Digest.Hex) {
				continue
			}
			if _, seen := index[aid]; !seen {
				index[aid] = RemoteEntry{OutputID: l.Digest.Hex, Size: l.Size}
			}
		}
	}
	return index
}

// The state directory keeps session manifests by tag: sessions are never
// rewritten, so a copy stays right until the tag is pruned.
func (r *Registry) statePath(tag string) string {
	sum := sha256.Sum256([]byte(r.repo.Name()))
	return filepath.Join(r.cfg.stateDir, hex.EncodeToString(sum[:8]), tag)
}

func (r *Registry) readState(tag string) ([]byte, error) {
	if r.cfg.stateDir == "" {
		return nil, os.ErrNotExist
	}
	return os.ReadFile(r.statePath(tag))
}

func (r *Registry) writeState(tag string, raw []byte) {
	if r.cfg.stateDir == "" {
		return
	}
	p := r.statePath(tag)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err == nil {
		_ = writeFileAtomic(p, raw) // a lost copy is fetched again
	}
}

// forgetStaleState removes copies of sessions pruned from the registry.
func (r *Registry) forgetStaleState(live []string) {
	if r.cfg.stateDir == "" {
		return
	}
	keep := make(map[string]bool, len(live))
	for _, t := range live {
		keep[t] = true
	}
	dir := filepath.Dir(r.statePath("x"))
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if !keep[e.Name()] && !strings.HasPrefix(e.Name(), ".") {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Lookup returns the output the registry holds for actionID, waiting for
// the index load if it is still running.
func (r *Registry) Lookup(ctx context.Context, actionID string) (RemoteEntry, bool) {
	select {
	case <-r.loaded:
	case <-ctx.Done():
		return RemoteEntry{}, false
	}
	if r.dead.Load() {
		return RemoteEntry{}, false
	}
	e, ok := r.index[actionID]
	return e, ok
}
