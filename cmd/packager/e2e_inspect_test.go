package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

// TestInspect builds a two-platform index into a registry and a layout and
// inspects both, as text and as JSON.
func TestInspect(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := copyExample(t, "hello")
	repo := reg.Host + "/inspect"
	r := mustPackager(t, dir, nil, "build", "--repo", repo, "--platform", "linux/amd64,linux/arm64", "-t", "v1", ".")
	_, digests := r.refs(t)
	layout := filepath.Join(t.TempDir(), "oci")
	mustPackager(t, dir, nil, "build", "--platform", "linux/amd64,linux/arm64", "-t", "v1", "--oci-layout", layout, ".")

	// What refers to the index: its provenance, on by default when pushing
	// and off otherwise; each platform image has its SPDX SBOM.
	indexReferrers := map[string][]string{repo + "/app:v1": {provenance.MediaType}, "oci:" + layout: nil}
	for _, ref := range []string{repo + "/app:v1", "oci:" + layout} {
		t.Run(ref, func(t *testing.T) {
			js := mustPackager(t, dir, nil, "inspect", "--json", ref)
			var d oci.Description
			if err := json.Unmarshal([]byte(js.stdout), &d); err != nil {
				t.Fatalf("inspect --json: %v\n%s", err, js.stdout)
			}
			if d.Digest != digests[0] {
				t.Errorf("digest %s, pushed %s", d.Digest, digests[0])
			}
			var platforms []string
			for _, img := range d.Images {
				platforms = append(platforms, img.Platform)
				if len(img.Layers) == 0 || img.Config.Entrypoint[0] == "" {
					t.Errorf("%s: no layers or entrypoint: %+v", img.Platform, img)
				}
			}
			if strings.Join(platforms, ",") != "linux/amd64,linux/arm64" {
				t.Errorf("platforms %v", platforms)
			}
			var index oci.Attached
			if d.Attached != nil {
				index = *d.Attached
			}
			if got := artifactTypes(index); !slices.Equal(got, indexReferrers[ref]) {
				t.Errorf("the index's referrers are %v, want %v", got, indexReferrers[ref])
			}
			for _, img := range d.Images {
				if got := artifactTypes(img.Attached); !slices.Equal(got, []string{sbom.SPDXMediaType}) {
					t.Errorf("%s: referrers %v, want its SPDX SBOM alone", img.Platform, got)
				}
			}
			text := mustPackager(t, dir, nil, "inspect", ref).stdout
			for _, want := range []string{"platform linux/arm64", d.Images[0].Digest, "entrypoint:"} {
				if !strings.Contains(text, want) {
					t.Errorf("text output lacks %q:\n%s", want, text)
				}
			}
			sboms := regexp.MustCompile(`referrers:\s+1\n\s+sha256:[0-9a-f]{64}\s+\d+\s+application/spdx\+json\n`).FindAllString(text, -1)
			if len(sboms) != 2 {
				t.Errorf("text output shows %d platforms with one SPDX referrer, want 2:\n%s", len(sboms), text)
			}
		})
	}
	if r := packager(t, dir, nil, "inspect", repo+"/app:missing"); r.code != 1 {
		t.Errorf("inspect of a missing tag: exit %d, want 1\n%s", r.code, r.stderr)
	}
}

// artifactTypes lists the artifact types of a's referrers.
func artifactTypes(a oci.Attached) []string {
	var out []string
	for _, r := range a.Referrers {
		out = append(out, r.ArtifactType)
	}
	return out
}
