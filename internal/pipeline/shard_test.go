package pipeline

import (
	"fmt"
	"slices"
	"testing"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/vocab"
)

// Every pair is in exactly one shard, shards differ in size by at most
// one, and the configuration's order does not change the split.
func TestShardsSplitEveryPairOnce(t *testing.T) {
	amd, arm, v7 := vocab.Platform{OS: "linux", Architecture: "amd64"}, vocab.Platform{OS: "linux", Architecture: "arm64"},
		vocab.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
	targets := []config.Target{
		{Name: "web", Platforms: []vocab.Platform{amd, arm}},
		{Name: "api", Platforms: []vocab.Platform{amd, arm, v7}},
		{Name: "worker", Platforms: []vocab.Platform{arm}},
		{Name: "cron", Platforms: []vocab.Platform{amd, arm}},
	}
	reversed := slices.Clone(targets)
	slices.Reverse(reversed)
	all := pairsOf(targets)
	for n := 1; n <= len(all)+1; n++ {
		seen := map[string]int{}
		var sizes []int
		for i := 1; i <= n; i++ {
			got := pairsOf(Shard{Index: i, Count: n}.selectFrom(targets))
			if again := pairsOf(Shard{Index: i, Count: n}.selectFrom(reversed)); !slices.Equal(got, again) {
				t.Errorf("shard %d/%d: %v, or %v when the images are listed the other way round", i, n, got, again)
			}
			for _, p := range got {
				seen[p]++
			}
			sizes = append(sizes, len(got))
		}
		for _, p := range all {
			if seen[p] != 1 {
				t.Errorf("%d shards: %s is in %d of them", n, p, seen[p])
			}
		}
		if slices.Max(sizes)-slices.Min(sizes) > 1 {
			t.Errorf("%d shards of %d pairs: sizes %v", n, len(all), sizes)
		}
	}
	if got := pairsOf(Shard{}.selectFrom(targets)); len(got) != len(all) {
		t.Errorf("no shard selects %v, want everything", got)
	}
	// Two shards of four images on two platforms: one platform each, so
	// each shard runs a single go build.
	two := targets[:1:1]
	two = append(two, config.Target{Name: "b", Platforms: []vocab.Platform{amd, arm}})
	if got := fmt.Sprint(pairsOf(Shard{Index: 1, Count: 2}.selectFrom(two))); got != "[b linux/amd64 web linux/amd64]" {
		t.Errorf("shard 1/2 = %s", got)
	}
	if targets[1].Platforms[2] != v7 || len(targets[1].Platforms) != 3 {
		t.Error("selectFrom changed its argument")
	}
}

func pairsOf(ts []config.Target) []string {
	var out []string
	for _, t := range ts {
		for _, p := range t.Platforms {
			out = append(out, t.Name+" "+p.String())
		}
	}
	slices.Sort(out)
	return out
}

func TestPlatformTag(t *testing.T) {
	for _, tc := range []struct {
		tag  string
		p    vocab.Platform
		want string
	}{
		{"v1", vocab.Platform{OS: "linux", Architecture: "amd64"}, "v1-linux-amd64"},
		{"latest", vocab.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}, "latest-linux-arm-v7"},
	} {
		if got := PlatformTag(tc.tag, tc.p); got != tc.want {
			t.Errorf("PlatformTag(%q, %s) = %q, want %q", tc.tag, tc.p, got, tc.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want Shard // zero: not ok
	}{
		{"1/1", Shard{1, 1}},
		{"2/4", Shard{2, 4}},
		{" 3 / 4 ", Shard{3, 4}},
		{"4/4", Shard{4, 4}},
		{"0/4", Shard{}},
		{"5/4", Shard{}},
		{"1/0", Shard{}},
		{"-1/4", Shard{}},
		{"2", Shard{}},
		{"2/", Shard{}},
		{"/4", Shard{}},
		{"a/b", Shard{}},
		{"1/2/3", Shard{}},
		{"", Shard{}},
	}
	for _, tt := range tests {
		got, ok := ParseShard(tt.in)
		if got != tt.want || ok != (tt.want != Shard{}) {
			t.Errorf("ParseShard(%q) = %+v, %v; want %+v", tt.in, got, ok, tt.want)
		}
	}
}
