package sbom_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"

	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/testenv"
)

// input builds a real program with a real dependency and describes it.
func input(t *testing.T) (sbom.Input, testenv.DepModule) {
	t.Helper()
	bin, dep := testenv.BuildDepProgram(t)
	b, err := sbom.ReadBinary(bin, "/usr/local/bin/syncdemo")
	if err != nil {
		t.Fatal(err)
	}
	base, err := sbom.StaticBase(&debug.BuildInfo{Deps: []*debug.Module{
		{Path: "golang.org/x/crypto/x509roots/fallback", Version: "v0.0.0-20261030153154-30a33513ff6d", Sum: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return sbom.Input{
		Name: "127.0.0.1:5000/team/syncdemo", Digest: "sha256:" + strings.Repeat("ab", 32), Platform: "linux/amd64",
		Binaries: []sbom.Binary{b}, Base: base, Created: time.Unix(1700000000, 0), ToolVersion: "v0.0.0-test",
	}, dep
}

func h1Hex(t *testing.T, sum string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sum, "h1:"))
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(raw)
}

// spdxOf writes in's SPDX document and reads it back with the SPDX library.
func spdxOf(t *testing.T, in sbom.Input) *spdx.Document {
	t.Helper()
	raw, err := sbom.SPDX(in)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := spdxjson.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("SPDX library cannot read what we wrote: %v\n%s", err, raw)
	}
	return doc
}

func TestSPDXListsDependencies(t *testing.T) {
	in, dep := input(t)
	doc := spdxOf(t, in)
	if doc.SPDXVersion != "SPDX-2.3" || doc.CreationInfo.Created != "2023-11-14T22:13:20Z" {
		t.Errorf("version %q created %q", doc.SPDXVersion, doc.CreationInfo.Created)
	}
	want := map[string]string{ // purl -> SHA-256 hex (empty: no checksum expected)
		"pkg:golang/" + dep.Path + "@" + dep.Version:                                           h1Hex(t, dep.Sum),
		"pkg:golang/golang.org/x/crypto/x509roots/fallback@v0.0.0-20261030153154-30a33513ff6d": strings.Repeat("00", 32),
		"pkg:golang/example.com/syncdemo":                                                      "",
	}
	found := map[string]bool{}
	var stdlib bool
	for _, p := range doc.Packages {
		for _, ref := range p.PackageExternalReferences {
			if strings.HasPrefix(ref.Locator, "pkg:golang/stdlib@") {
				stdlib = true
			}
			sum, ok := want[ref.Locator]
			if !ok {
				continue
			}
			found[ref.Locator] = true
			if sum != "" && (len(p.PackageChecksums) != 1 || p.PackageChecksums[0].Value != sum) {
				t.Errorf("%s: checksums %v, want SHA256 %s", ref.Locator, p.PackageChecksums, sum)
			}
		}
		if p.PackageName == "/usr/local/bin/syncdemo" && !strings.Contains(p.PackageSummary, "CGO_ENABLED=0") {
			t.Errorf("binary package lacks build settings: %q", p.PackageSummary)
		}
	}
	for purl := range want {
		if !found[purl] {
			t.Errorf("SBOM does not list %s", purl)
		}
	}
	if !stdlib {
		t.Error("SBOM does not list the Go standard library")
	}
}

func TestCycloneDXListsDependencies(t *testing.T) {
	in, dep := input(t)
	raw, err := sbom.CycloneDX(in)
	if err != nil {
		t.Fatal(err)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(raw), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatalf("CycloneDX library cannot read what we wrote: %v", err)
	}
	if bom.SpecVersion != cdx.SpecVersion1_6 {
		t.Errorf("spec version %v, want 1.6", bom.SpecVersion)
	}
	purl := "pkg:golang/" + dep.Path + "@" + dep.Version
	var ok bool
	for _, c := range *bom.Components {
		if c.PackageURL != purl {
			continue
		}
		ok = c.Version == dep.Version && c.Hashes != nil && (*c.Hashes)[0].Value == h1Hex(t, dep.Sum)
		for _, p := range *c.Properties {
			ok = ok && (p.Name != "packager:go:sum" || p.Value == dep.Sum)
		}
	}
	if !ok {
		t.Errorf("BOM does not list %s with its go.sum hash:\n%s", purl, raw)
	}
	if bom.Metadata.Component == nil || !strings.HasPrefix(bom.Metadata.Component.PackageURL, "pkg:oci/syncdemo@sha256%3A") {
		t.Errorf("metadata component %+v, want the image", bom.Metadata.Component)
	}
}

// TestDeterministic: the same input gives the same bytes, and a different
// input a different document id.
func TestDeterministic(t *testing.T) {
	in, _ := input(t)
	for _, f := range []sbom.Format{sbom.FormatSPDX, sbom.FormatCycloneDX} {
		a, err := sbom.Generate(f, in)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := sbom.Generate(f, in)
		if !bytes.Equal(a.Data, b.Data) {
			t.Errorf("%s: two runs differ", f)
		}
		other := in
		other.Digest = "sha256:" + strings.Repeat("cd", 32)
		c, _ := sbom.Generate(f, other)
		if bytes.Equal(a.Data, c.Data) {
			t.Errorf("%s: different digests give the same document", f)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]sbom.Format{"": "spdx", "spdx": "spdx", "cyclonedx": "cyclonedx", "none": "none", "syft": ""} {
		got, err := sbom.ParseFormat(in)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
}

// TestBaseSBOMReference: a registry base with its own SBOM attached is
// pointed at by a proper external reference, which the formats' own
// libraries read back: SPDX category OTHER, CycloneDX type bom.
func TestBaseSBOMReference(t *testing.T) {
	in, _ := input(t)
	ref := &sbom.Ref{Location: "127.0.0.1:5000/base/app", MediaType: sbom.SPDXMediaType, Digest: "sha256:" + strings.Repeat("ef", 32)}
	in.Base = sbom.Base{Ref: "127.0.0.1:5000/base/app:v1", Digest: "sha256:" + strings.Repeat("cd", 32), SBOM: ref}
	locator := ref.Location + "@" + ref.Digest

	doc := spdxOf(t, in)
	var found int
	for _, p := range doc.Packages {
		for _, r := range p.PackageExternalReferences {
			if r.Category == "OTHER" && r.RefType == sbom.BaseSBOMRefType && r.Locator == locator {
				found++
				if p.PackageSPDXIdentifier != "Package-base" || p.PackageVersion != in.Base.Digest {
					t.Errorf("the reference is on %s (version %s), want the base package", p.PackageSPDXIdentifier, p.PackageVersion)
				}
			}
		}
	}
	if found != 1 {
		t.Errorf("%d OTHER/%s references to %s, want 1:\n%+v", found, sbom.BaseSBOMRefType, locator, doc.Packages)
	}

	raw, err := sbom.CycloneDX(in)
	if err != nil {
		t.Fatal(err)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(raw), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	ok := false
	for _, c := range *bom.Components {
		if c.ExternalReferences != nil {
			for _, r := range *c.ExternalReferences {
				ok = ok || (r.Type == cdx.ERTypeBOM && r.URL == locator && c.Version == in.Base.Digest)
			}
		}
	}
	if !ok {
		t.Errorf("CycloneDX base component has no bom reference to %s:\n%s", locator, raw)
	}
}
