package sbom

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
)

// SPDXMediaType is the media type of an SPDX 2.3 JSON document.
const SPDXMediaType = "application/spdx+json"

// BaseSBOMRefType is the type of the SPDX external reference (category
// OTHER) from the base image's package to the base's own SBOM; its locator
// is the OCI referrer that holds it, "REPO@sha256:...".
const BaseSBOMRefType = "oci-sbom"

// namespacePrefix starts every document namespace; SPDX wants a unique URI,
// not a resolvable one.
const namespacePrefix = "https://packager.dev/spdx/"

// SPDX returns the SPDX 2.3 JSON document for in.
func SPDX(in Input) ([]byte, error) {
	comps, err := model(in)
	if err != nil {
		return nil, err
	}
	doc := &spdx.Document{
		SPDXVersion:       spdx.Version,
		DataLicense:       spdx.DataLicense,
		SPDXIdentifier:    "DOCUMENT",
		DocumentName:      documentName(in),
		DocumentNamespace: namespacePrefix + documentID(in, comps),
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: "packager-" + toolVersion(in)}},
			Created:  in.Created.UTC().Format("2006-01-02T15:04:05Z"),
		},
	}
	ids := make(map[string]common.ElementID, len(comps))
	for _, c := range comps {
		ids[c.ref] = spdxID(c)
		doc.Packages = append(doc.Packages, spdxPackage(c, ids[c.ref]))
	}
	doc.Relationships = append(doc.Relationships, &spdx.Relationship{
		RefA: common.MakeDocElementID("", "DOCUMENT"), RefB: common.MakeDocElementID("", string(ids["image"])),
		Relationship: common.TypeRelationshipDescribe,
	})
	for _, c := range comps {
		rel := common.TypeRelationshipDependsOn
		if c.kind == kindImage {
			rel = common.TypeRelationshipContains
		}
		for _, d := range c.deps {
			doc.Relationships = append(doc.Relationships, &spdx.Relationship{
				RefA: common.MakeDocElementID("", string(ids[c.ref])), RefB: common.MakeDocElementID("", string(ids[d])),
				Relationship: rel,
			})
		}
	}
	var buf bytes.Buffer
	if err := spdxjson.Write(doc, &buf, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return nil, fmt.Errorf("write SPDX document: %w", err)
	}
	return buf.Bytes(), nil
}

func spdxPackage(c component, id common.ElementID) *spdx.Package {
	p := &spdx.Package{
		PackageName:             c.name,
		PackageSPDXIdentifier:   id,
		PackageVersion:          c.version,
		PackageDownloadLocation: "NOASSERTION",
		PackageComment:          c.comment,
		PrimaryPackagePurpose:   spdxPurpose(c.kind),
	}
	if p.PackageName == "" {
		p.PackageName = "image"
	}
	if c.purl != "" {
		p.PackageExternalReferences = []*spdx.PackageExternalReference{{
			Category: common.CategoryPackageManager, RefType: common.TypePackageManagerPURL, Locator: c.purl,
		}}
	}
	if c.sbom != nil {
		// SPDX 2.3 has no reference type for another SBOM; OTHER takes a
		// type of our naming and any locator without spaces.
		p.PackageExternalReferences = append(p.PackageExternalReferences, &spdx.PackageExternalReference{
			Category: common.CategoryOther, RefType: BaseSBOMRefType,
			Locator: c.sbom.Location + "@" + c.sbom.Digest, ExternalRefComment: baseSBOMComment(c.sbom),
		})
	}
	if c.sha256 != "" {
		p.PackageChecksums = []common.Checksum{{Algorithm: common.SHA256, Value: c.sha256}}
	}
	if c.sum != "" {
		p.PackageSourceInfo = "go.sum " + c.sum
	}
	if len(c.settings) > 0 {
		// SPDX 2.3 has no key/value properties; the build settings go into
		// the summary in `go version -m` form, one per line.
		var b strings.Builder
		for _, s := range c.settings {
			fmt.Fprintf(&b, "build\t%s=%s\n", s[0], s[1])
		}
		p.PackageSummary = b.String()
	}
	return p
}

func spdxPurpose(k kind) string {
	switch k {
	case kindImage, kindBase:
		return "CONTAINER"
	case kindBinary:
		return "APPLICATION"
	}
	return "LIBRARY"
}

var notIDChars = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// spdxID makes an SPDX identifier ([A-Za-z0-9.-]) from a component's
// reference; the hash suffix keeps "a/b" and "a-b" apart.
func spdxID(c component) common.ElementID {
	switch c.ref {
	case "image", "base":
		return common.ElementID("Package-" + c.ref)
	}
	sum := sha256.Sum256([]byte(c.ref))
	short := hex.EncodeToString(sum[:4])
	return common.ElementID("Package-" + strings.Trim(notIDChars.ReplaceAllString(c.ref, "-"), "-") + "-" + short)
}

func documentName(in Input) string {
	name := in.Name
	if name == "" {
		name = "image"
	}
	if in.Platform != "" {
		name += " " + in.Platform
	}
	return name
}

func toolVersion(in Input) string {
	if in.ToolVersion == "" {
		return "(devel)"
	}
	return in.ToolVersion
}
