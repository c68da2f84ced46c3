package sbom

import "fmt"

// Format is an SBOM document format.
type Format string

const (
	FormatSPDX      Format = "spdx"      // SPDX 2.3 JSON, the default
	FormatCycloneDX Format = "cyclonedx" // CycloneDX 1.6 JSON
	FormatNone      Format = "none"      // no SBOM
)

// ParseFormat checks a --sbom value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatSPDX, FormatCycloneDX, FormatNone:
		return f, nil
	case "":
		return FormatSPDX, nil
	}
	return "", fmt.Errorf("unknown SBOM format %q: use spdx, cyclonedx or none", s)
}

// Document is one generated SBOM and how to label it when attaching it.
type Document struct {
	MediaType string // SPDXMediaType or CycloneDXMediaType: the artifactType of its referrer manifest
	// PredicateType is the in-toto predicate type for a signed attestation
	// of it (cosign's --type spdxjson / cyclonedx).
	PredicateType string
	Data          []byte
}

// Generate writes the SBOM for in in format f. FormatNone is an error: the
// caller should not ask.
func Generate(f Format, in Input) (Document, error) {
	switch f {
	case FormatSPDX:
		data, err := SPDX(in)
		return Document{MediaType: SPDXMediaType, PredicateType: "https://spdx.dev/Document", Data: data}, err
	case FormatCycloneDX:
		data, err := CycloneDX(in)
		return Document{MediaType: CycloneDXMediaType, PredicateType: "https://cyclonedx.org/bom", Data: data}, err
	}
	return Document{}, fmt.Errorf("no SBOM for format %q", f)
}
