package sbom

import (
	"bytes"
	"fmt"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// CycloneDXMediaType is the media type of a CycloneDX JSON document.
const CycloneDXMediaType = "application/vnd.cyclonedx+json"

// CycloneDX returns the CycloneDX 1.6 JSON document for in.
func CycloneDX(in Input) ([]byte, error) {
	comps, err := model(in)
	if err != nil {
		return nil, err
	}
	id := documentID(in, comps)
	bom := cdx.NewBOM()
	// A UUID-shaped serial number derived from the content, not random.
	bom.SerialNumber = fmt.Sprintf("urn:uuid:%s-%s-5%s-8%s-%s", id[0:8], id[8:12], id[13:16], id[17:20], id[20:32])
	tools := []cdx.Component{{Type: cdx.ComponentTypeApplication, Name: "packager", Version: toolVersion(in)}}
	bom.Metadata = &cdx.Metadata{
		Timestamp: in.Created.UTC().Format("2006-01-02T15:04:05Z"),
		Tools:     &cdx.ToolsChoice{Components: &tools},
	}
	var list []cdx.Component
	var deps []cdx.Dependency
	for _, c := range comps {
		cc := cdxComponent(c, in)
		if c.kind == kindImage {
			bom.Metadata.Component = &cc
		} else {
			list = append(list, cc)
		}
		d := cdx.Dependency{Ref: cdxRef(c.ref)}
		if len(c.deps) > 0 {
			refs := make([]string, len(c.deps))
			for i, r := range c.deps {
				refs[i] = cdxRef(r)
			}
			d.Dependencies = &refs
		}
		deps = append(deps, d)
	}
	bom.Components = &list
	bom.Dependencies = &deps
	var buf bytes.Buffer
	enc := cdx.NewBOMEncoder(&buf, cdx.BOMFileFormatJSON).SetPretty(true)
	if err := enc.EncodeVersion(bom, cdx.SpecVersion1_6); err != nil {
		return nil, fmt.Errorf("write CycloneDX document: %w", err)
	}
	return buf.Bytes(), nil
}

// cdxRef keeps bom-refs readable: modules are their package URL.
func cdxRef(ref string) string { return ref }

func cdxComponent(c component, in Input) cdx.Component {
	cc := cdx.Component{
		BOMRef:      cdxRef(c.ref),
		Type:        cdxType(c.kind),
		Name:        c.name,
		Version:     c.version,
		PackageURL:  c.purl,
		Description: c.comment,
	}
	if c.kind == kindImage && cc.Name == "" {
		cc.Name = "image"
	}
	if c.sha256 != "" {
		cc.Hashes = &[]cdx.Hash{{Algorithm: cdx.HashAlgoSHA256, Value: c.sha256}}
	}
	var props []cdx.Property
	if c.sum != "" {
		props = append(props, cdx.Property{Name: "packager:go:sum", Value: c.sum})
	}
	for _, s := range c.settings {
		props = append(props, cdx.Property{Name: "packager:go:build:" + s[0], Value: s[1]})
	}
	if c.kind == kindImage && in.Platform != "" {
		props = append(props, cdx.Property{Name: "packager:platform", Value: in.Platform})
	}
	if len(props) > 0 {
		cc.Properties = &props
	}
	if c.sbom != nil {
		cc.ExternalReferences = &[]cdx.ExternalReference{{
			Type: cdx.ERTypeBOM, URL: c.sbom.Location + "@" + c.sbom.Digest, Comment: baseSBOMComment(c.sbom),
		}}
	}
	return cc
}

func cdxType(k kind) cdx.ComponentType {
	switch k {
	case kindImage, kindBase:
		return cdx.ComponentTypeContainer
	case kindBinary:
		return cdx.ComponentTypeApplication
	case kindStdlib:
		return cdx.ComponentTypeFramework
	}
	return cdx.ComponentTypeLibrary
}
