package oci

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// readIndexJSON decodes DIR/index.json as written on disk.
func readIndexJSON(t *testing.T, dir string) v1.IndexManifest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var im v1.IndexManifest
	if err := json.Unmarshal(raw, &im); err != nil {
		t.Fatal(err)
	}
	return im
}

// refsByName maps each ref.name annotation of index.json to its digest.
func refsByName(t *testing.T, dir string) map[string]v1.Hash {
	t.Helper()
	out := map[string]v1.Hash{}
	for _, d := range readIndexJSON(t, dir).Manifests {
		n := d.Annotations[refNameAnnotation]
		if _, dup := out[n]; dup {
			t.Errorf("index.json names %q twice", n)
		}
		out[n] = d.Digest
	}
	return out
}

func countBlobs(t *testing.T, dir string) int {
	t.Helper()
	blobs, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	return len(blobs)
}

// noStaging fails if a staging directory or file was left next to target.
func noStaging(t *testing.T, target string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(target))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(target) {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestLayoutOutput(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "dist", "oci")
	out, err := ParseOutput("oci:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	hello := testImage(t, linuxAmd64, "hello")
	world := testImage(t, linuxArm64, "world")
	arts := []Artifact{
		{Repository: "127.0.0.1:5000/team/hello", Tags: []string{"latest", "v1"}, Image: hello},
		{Repository: "world", Tags: []string{"latest"}, Image: world},
	}
	refs, err := out.Write(ctx, arts)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range arts {
		if want := "oci:" + dir + "@" + mustDigest(t, a.Image).String(); refs[i] != want {
			t.Errorf("reference %q, want %q", refs[i], want)
		}
	}
	want := map[string]v1.Hash{
		"hello:latest": mustDigest(t, hello),
		"hello:v1":     mustDigest(t, hello),
		"world:latest": mustDigest(t, world),
	}
	if got := refsByName(t, dir); !mapsEqual(got, want) {
		t.Errorf("index.json refs %v, want %v", got, want)
	}
	for _, d := range readIndexJSON(t, dir).Manifests {
		if d.Platform == nil || d.Platform.OS != "linux" {
			t.Errorf("descriptor %s has platform %v", d.Digest, d.Platform)
		}
	}
	// static layer + binary layer + config + manifest, per image; static layer shared.
	blobs := countBlobs(t, dir)
	if blobs != 7 {
		t.Errorf("%d blobs after the first write, want 7", blobs)
	}

	// Writing the same thing again replaces, never duplicates.
	if _, err := out.Write(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if got := refsByName(t, dir); !mapsEqual(got, want) {
		t.Errorf("after rewrite: refs %v, want %v", got, want)
	}
	if n := countBlobs(t, dir); n != blobs {
		t.Errorf("rewrite changed the blob count from %d to %d", blobs, n)
	}

	// A new build under one of the tags moves only that name.
	hello2 := testImage(t, linuxAmd64, "hello again")
	if _, err := out.Write(ctx, []Artifact{{Repository: "team/hello", Tags: []string{"latest"}, Image: hello2}}); err != nil {
		t.Fatal(err)
	}
	want["hello:latest"] = mustDigest(t, hello2)
	if got := refsByName(t, dir); !mapsEqual(got, want) {
		t.Errorf("after new build: refs %v, want %v", got, want)
	}
	if n := countBlobs(t, dir); n != blobs+3 {
		t.Errorf("%d blobs after adding one image, want %d", n, blobs+3)
	}
	noStaging(t, dir)

	// ggcr reads the layout back, and every image in it is valid.
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Index(idx); err != nil {
		t.Fatal(err)
	}
	// And it works as a base.
	img, err := Base(ctx, "oci:"+dir+":world:latest", linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, img) != mustDigest(t, world) {
		t.Error("Base read back another image")
	}
}

func mapsEqual(a, b map[string]v1.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestLayoutOutputRejectsOtherDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := ParseOutput("oci:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = out.Write(context.Background(), []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "x")}})
	wantErrContains(t, err, dir+" exists and is not an OCI image layout: choose another directory or remove it")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "notes.txt" {
		t.Errorf("directory changed: %v", entries)
	}
	noStaging(t, dir)

	// A plain file in the way is not a layout either.
	out, err = ParseOutput("oci:" + keep)
	if err != nil {
		t.Fatal(err)
	}
	_, err = out.Write(context.Background(), []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "x")}})
	wantErrContains(t, err, "is not an OCI image layout")
}

func TestLayoutOutputFailureLeavesNothing(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "oci")
	out, err := ParseOutput("oci:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	brokenArt := []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: brokenImage(t)}}

	if _, err := out.Write(ctx, brokenArt); err == nil {
		t.Fatal("writing a broken image succeeded")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s exists after a failed first write", dir)
	}
	noStaging(t, dir)

	// Into an existing layout: index.json and the refs stay as they were.
	good := testImage(t, linuxAmd64, "good")
	if _, err := out.Write(ctx, []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: good}}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write(ctx, brokenArt); err == nil {
		t.Fatal("writing a broken image succeeded")
	}
	after, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) {
		t.Error("a failed write changed index.json")
	}
	noStaging(t, dir)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := out.Write(cancelled, []Artifact{{Repository: "hello", Tags: []string{"v2"}, Image: good}}); err == nil {
		t.Error("write with a cancelled context succeeded")
	}
	if _, ok := refsByName(t, dir)["hello:v2"]; ok {
		t.Error("a cancelled write added a ref")
	}
	noStaging(t, dir)
}

// An empty directory, as `mkdir out` leaves it, becomes the layout.
func TestLayoutIntoEmptyDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := ParseOutput("oci:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write(context.Background(), []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "x")}}); err != nil {
		t.Fatal(err)
	}
	if !isLayout(dir) {
		t.Errorf("%s is not a layout after the write", dir)
	}
}
