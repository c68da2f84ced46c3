package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestShardsThenIndexCreate is the CI recipe of docs/ci.md against
// docker-registry: two shards each push their share of three images × two
// platforms as per-platform tags, then packager index create merges each
// image's platforms; every platform of every image is in its final index.
func TestShardsThenIndexCreate(t *testing.T) {
	reg := testenv.StartRegistry(t)
	repo := reg.Host + "/shard"
	files := map[string]string{"packager.yaml": "platforms: [linux/amd64, linux/arm64]\nimages:\n"}
	images := []string{"api", "web", "worker"}
	for _, name := range images {
		files["cmd/"+name+"/main.go"] = fmt.Sprintf("package main\n\nfunc main() { println(%q) }\n", name)
		files["packager.yaml"] += "  - main: ./cmd/" + name + "\n"
	}
	dir := writeModule(t, files)

	pushed := map[string]int{} // "REPO/IMAGE:TAG" -> shards that pushed it
	for i := 1; i <= 2; i++ {
		names, _ := mustPackager(t, dir, nil, "build", "--repo", repo, "--shard", fmt.Sprintf("%d/2", i)).refs(t)
		if len(names) != 3 {
			t.Errorf("shard %d/2 pushed %v, want 3 of the 6 image × platform pairs", i, names)
		}
		for _, n := range names {
			pushed[n]++
		}
	}
	for _, name := range images {
		var from []string
		for _, arch := range []string{"amd64", "arm64"} {
			ref := fmt.Sprintf("%s/%s:latest-linux-%s", repo, name, arch)
			if pushed[ref] != 1 {
				t.Errorf("%s pushed by %d shards, want 1 (pushed: %v)", ref, pushed[ref], pushed)
			}
			from = append(from, "--from", ref)
		}
		out := mustPackager(t, dir, nil, append([]string{"index", "create", repo + "/" + name + ":latest"}, from...)...)
		names, digests := out.refs(t)
		if len(names) != 1 || names[0] != repo+"/"+name+":latest" {
			t.Fatalf("index create printed %v", names)
		}
		im := craneIndex(t, repo+"/"+name+"@"+digests[0])
		if got := im.platforms(); !slices.Equal(got, []string{"linux/amd64", "linux/arm64"}) {
			t.Errorf("%s:latest holds %v, want linux/amd64 and linux/arm64", name, got)
		}
	}
}

// --shard is checked before anything is built.
func TestShardFlagErrors(t *testing.T) {
	dir := copyExample(t, "hello")
	for _, args := range [][]string{
		{"--shard", "0/2"}, {"--shard", "3/2"}, {"--shard", "two"}, {"--shard", "1/0"}, {"--shard", "1/2", "--index"},
	} {
		r := packager(t, dir, nil, append(append([]string{"build", "--oci-layout", "out"}, args...), ".")...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--shard") {
			t.Errorf("packager build %v: exit %d, stderr %q; want exit %d naming --shard", args, r.code, r.stderr, exitUsage)
		}
	}
}
