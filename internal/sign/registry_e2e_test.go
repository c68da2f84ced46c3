package sign_test

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	intoto "github.com/in-toto/attestation/go/v1"
	spdxjson "github.com/spdx/tools-golang/json"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

// TestReferrersOnDockerRegistry pushes an image with its SBOMs and
// provenance to Debian's docker-registry (no referrers API), finds them
// through the sha256-<hex> fallback tag, and parses them back with the
// formats' own libraries.
func TestReferrersOnDockerRegistry(t *testing.T) {
	reg := testenv.StartRegistry(t)
	b := buildImage(t, reg.Host+"/test/syncdemo")
	b.push(t, "v1", nil)
	b.push(t, "v1", nil) // again: the fallback index must not grow

	im := fallbackIndex(t, b.repo, b.digest)
	var types []string
	for _, d := range im.Manifests {
		types = append(types, d.ArtifactType)
	}
	sort.Strings(types)
	want := []string{sbom.SPDXMediaType, provenance.MediaType, sbom.CycloneDXMediaType}
	sort.Strings(want)
	if strings.Join(types, " ") != strings.Join(want, " ") {
		t.Fatalf("fallback index lists %v, want %v", types, want)
	}
	purl := "pkg:golang/" + b.dep.Path + "@" + b.dep.Version
	for _, d := range im.Manifests {
		data := firstLayer(t, b.repo+"@"+d.Digest.String())
		switch d.ArtifactType {
		case sbom.SPDXMediaType:
			doc, err := spdxjson.Read(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if !spdxHas(doc.Packages, purl) {
				t.Errorf("pushed SPDX SBOM does not list %s", purl)
			}
		case sbom.CycloneDXMediaType:
			var bom cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
				t.Fatal(err)
			}
			if !cdxHas(bom, purl, b.dep.Version) {
				t.Errorf("pushed CycloneDX SBOM does not list %s", purl)
			}
		case provenance.MediaType:
			var st intoto.Statement
			if err := protojson.Unmarshal(data, &st); err != nil {
				t.Fatal(err)
			}
			if st.Subject[0].Digest["sha256"] != b.digest.Hex {
				t.Errorf("provenance subject %v, want %s", st.Subject, b.digest)
			}
		}
	}

	desc, err := oci.Inspect(context.Background(), b.repo+":v1")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(desc.Images[0].Attached.Referrers); got != 3 {
		t.Errorf("inspect finds %d referrers, want 3", got)
	}
	att, err := oci.ListAttached(context.Background(), b.repo+"@"+b.digest.String())
	if err != nil || len(att.Referrers) != 3 || att.Signature != "" {
		t.Errorf("ListAttached = %+v, %v; want 3 referrers and no signature", att, err)
	}
}

func spdxHas(pkgs []*spdxPackage, purl string) bool {
	for _, p := range pkgs {
		for _, r := range p.PackageExternalReferences {
			if r.Locator == purl {
				return true
			}
		}
	}
	return false
}

func cdxHas(bom cdx.BOM, purl, version string) bool {
	for _, c := range *bom.Components {
		if c.PackageURL == purl && c.Version == version {
			return true
		}
	}
	return false
}
