// Package sbom writes a software bill of materials for one image and
// platform: what each Go binary in it was built from (read from the build
// information the Go linker embeds: main module, every dependency with its
// version and go.sum hash, the Go version and the build settings) plus what
// the base image contributes.
//
// Documents are SPDX 2.3 JSON or CycloneDX 1.6 JSON, written with the
// formats' own Go libraries (spdx/tools-golang, CycloneDX/cyclonedx-go) so
// other tools read them back; packages are named by package URL
// (pkg:golang/...).
//
// The output is a pure function of [Input]: no random UUIDs, no clock. The
// document namespace (SPDX) and serial number (CycloneDX) are derived from
// a hash of the content, and the only time is [Input.Created]. SBOMs are
// attached to images by digest, so the same build must give the same bytes.
package sbom
