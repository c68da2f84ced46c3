package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ggcrlayout "github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/match"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestGC: a layout whose tag was replaced by go-containerregistry's layout
// package (as ko, and packager before it removed replaced blobs itself,
// write layouts) keeps the old image's blobs; packager gc removes exactly
// those, and the stale staging a killed run left next to the layout, and
// what remains is a valid layout: skopeo copies it and umoci unpacks it.
func TestGC(t *testing.T) {
	layout := filepath.Join(t.TempDir(), "oci")
	other := filepath.Join(t.TempDir(), "other")
	// No SBOM: its fallback tag (app:sha256-DIGEST) would keep the old
	// image reachable, as any tag does.
	build := func(layout, greeting string) {
		t.Helper()
		dir := writeModule(t, map[string]string{"main.go": strings.Replace(helloMain, `"hi"`, `"`+greeting+`"`, 1)})
		mustPackager(t, dir, nil, "build", "--sbom", "none", "--oci-layout", layout, ".")
	}
	build(layout, "old")
	build(other, "new")
	before := layoutBlobs(t, layout)
	oldManifest := refDigest(t, layout, "app:latest")
	replaceTag(t, layout, "app:latest", other)
	if refDigest(t, layout, "app:latest") == oldManifest {
		t.Fatal("app:latest was not replaced; the test proves nothing")
	}
	stale := filepath.Join(filepath.Dir(layout), ".oci.packager-tmp-123")
	if err := os.MkdirAll(filepath.Join(stale, "blobs"), 0o755); err != nil {
		t.Fatal(err)
	}

	r := mustPackager(t, t.TempDir(), nil, "gc", layout)
	after, used := layoutBlobs(t, layout), layoutBlobs(t, other)
	for _, b := range used {
		if !slices.Contains(after, b) {
			t.Errorf("gc removed %s, which app:latest uses", b)
		}
	}
	for _, b := range after {
		if !slices.Contains(used, b) {
			t.Errorf("gc kept %s, which no tag reaches", b)
		}
	}
	var removed []string
	for _, b := range before {
		if !slices.Contains(after, b) {
			removed = append(removed, b)
		}
	}
	if !slices.Contains(removed, oldManifest) {
		t.Errorf("gc kept the replaced manifest %s", oldManifest)
	}
	if want := fmt.Sprintf("removed %d blobs", len(removed)); !strings.HasPrefix(r.stdout, want) {
		t.Errorf("gc printed %q, want it to start with %q", r.stdout, want)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("gc left the stale staging %s: %v", stale, err)
	}
	testenv.Copy(t, "oci:"+layout+":app:latest", "oci:"+filepath.Join(t.TempDir(), "copy")+":app:latest")
	testenv.Unpack(t, layout+":app:latest")

	if r := mustPackager(t, t.TempDir(), nil, "gc", layout); !strings.HasPrefix(r.stdout, "removed 0 blobs, 0 bytes") {
		t.Errorf("a second gc printed %q, want nothing removed", r.stdout)
	}
}

// replaceTag points tag in layout at the image tagged tag in from, the way
// go-containerregistry's layout package does: the old image's blobs stay.
func replaceTag(t *testing.T, layout, tag, from string) {
	t.Helper()
	idx, err := ggcrlayout.ImageIndexFromPath(from)
	if err != nil {
		t.Fatal(err)
	}
	img, err := idx.Image(mustHash(t, refDigest(t, from, tag)))
	if err != nil {
		t.Fatal(err)
	}
	ref := map[string]string{"org.opencontainers.image.ref.name": tag}
	if err := ggcrlayout.Path(layout).ReplaceImage(img, match.Annotation("org.opencontainers.image.ref.name", tag), ggcrlayout.WithAnnotations(ref)); err != nil {
		t.Fatal(err)
	}
}

// layoutBlobs lists the blobs of an OCI layout as "sha256:HEX".
func layoutBlobs(t *testing.T, layout string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(layout, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, "sha256:"+e.Name())
	}
	return out
}

// refDigest is the digest index.json names for ref.
func refDigest(t *testing.T, layout, ref string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(layout, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Manifests []struct {
			Digest      string
			Annotations map[string]string
		}
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		t.Fatal(err)
	}
	for _, m := range idx.Manifests {
		if m.Annotations["org.opencontainers.image.ref.name"] == ref {
			return m.Digest
		}
	}
	t.Fatalf("%s has no %s:\n%s", layout, ref, raw)
	return ""
}
