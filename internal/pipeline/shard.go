package pipeline

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/vocab"
)

// Shard is one of Count equal shares of a build's image × platform pairs,
// so that Count CI jobs can split a monorepo between them. Every job must
// run the same configuration: the pairs are sorted by platform, then image
// name, and shard Index (1-based) takes the Index-th of Count contiguous,
// equal (±1) runs of that list. Contiguous runs keep one platform's images
// together, so they share one go build. The zero value selects everything.
type Shard struct {
	Index, Count int
}

// Enabled reports whether s selects a share rather than everything.
func (s Shard) Enabled() bool { return s.Count > 0 }

// ParseShard reads "I/N", share I of N (spaces around the numbers are
// allowed); ok is false unless it is two numbers with 1 <= I <= N.
func ParseShard(s string) (shard Shard, ok bool) {
	is, ns, ok := strings.Cut(s, "/")
	i, ierr := strconv.Atoi(strings.TrimSpace(is))
	n, nerr := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || ierr != nil || nerr != nil || n < 1 || i < 1 || i > n {
		return Shard{}, false
	}
	return Shard{Index: i, Count: n}, true
}

// selectFrom returns one target per image × platform of s's share, each
// with that one platform: a shard publishes every platform as an image of
// its own (under PlatformTag), with its own SBOM and provenance. ts is not
// changed.
func (s Shard) selectFrom(ts []config.Target) []config.Target {
	if !s.Enabled() {
		return ts
	}
	type pair struct {
		name, platform string
		i              int
		p              vocab.Platform
	}
	var pairs []pair
	for i, t := range ts {
		for _, p := range t.Platforms {
			pairs = append(pairs, pair{t.Name, p.String(), i, p})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(strings.Compare(a.platform, b.platform), strings.Compare(a.name, b.name), cmp.Compare(a.i, b.i))
	})
	n := len(pairs)
	mine := pairs[(s.Index-1)*n/s.Count : s.Index*n/s.Count]
	out := make([]config.Target, len(mine))
	for k, pr := range mine {
		out[k] = ts[pr.i]
		out[k].Platforms = []vocab.Platform{pr.p}
	}
	return out
}

// PlatformTag is the tag a sharded build publishes one platform of an
// image under: the tag with the platform appended, "v1-linux-arm64-v8".
// `packager index create REPO:v1 --from REPO:v1-linux-amd64 ...` merges
// them.
func PlatformTag(tag string, p vocab.Platform) string {
	return tag + "-" + strings.ReplaceAll(p.String(), "/", "-")
}
