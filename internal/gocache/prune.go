package gocache

import (
	"context"
	"fmt"
	"time"
)

// PruneStats says what a registry prune did.
type PruneStats struct {
	Sessions, Deleted int   // session manifests found, deleted
	KeptBytes         int64 // output bytes the kept sessions reference
}

// PruneRegistry deletes the session manifests of repo that p does not keep:
// written more than MaxAge ago, or (MaxSize > 0) beyond MaxSize bytes of
// distinct outputs counted from the newest session. The outputs only they
// referenced are then unreferenced blobs, which the registry's garbage
// collection removes. Unlike a build, prune fails on registry errors.
func PruneRegistry(ctx context.Context, repo string, p Policy, now time.Time, opts ...RegistryOption) (PruneStats, error) {
	r, err := newRegistry(repo, opts...)
	if err != nil {
		return PruneStats{}, err
	}
	sessions, err := r.fetchSessions(ctx)
	if err != nil {
		return PruneStats{}, explain("prune remote cache "+repo, r.repo.RegistryStr(), err)
	}
	st := PruneStats{Sessions: len(sessions)}
	for _, s := range pruneVictims(sessions, p, now, &st.KeptBytes) {
		if err := r.pusher.Delete(ctx, r.repo.Digest(s.digest.String())); err != nil && !isNotFound(err) {
			return st, explain(fmt.Sprintf("delete session %s from %s", s.tag, repo), r.repo.RegistryStr(), err)
		}
		st.Deleted++
	}
	r.forgetStaleState(nil)
	return st, nil
}

// pruneVictims picks, from sessions newest first, those p does not keep.
func pruneVictims(sessions []session, p Policy, now time.Time, kept *int64) []session {
	seen := make(map[string]bool)
	var victims []session
	for _, s := range sessions {
		t, _ := tagTime(s.tag)
		if s.manifest == nil || p.MaxAge > 0 && now.Sub(t) > p.MaxAge {
			victims = append(victims, s)
			continue
		}
		var add int64
		for _, l := range s.manifest.Layers {
			if !seen[l.Digest.Hex] {
				add += l.Size
			}
		}
		if p.MaxSize > 0 && *kept+add > p.MaxSize {
			victims = append(victims, s)
			continue
		}
		for _, l := range s.manifest.Layers {
			seen[l.Digest.Hex] = true
		}
		*kept += add
	}
	return victims
}
