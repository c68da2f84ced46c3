// Package provenance writes SLSA Provenance v1 for a packager build: an
// in-toto Statement v1 whose subjects are the pushed images (by digest) and
// whose predicate says who built them (builder id and version), how (build
// type, the packages, platforms and packager.yaml digest asked for) and
// from what (git repository and commit, Go toolchain, base image digests,
// the module graph as the digest of go.sum, and each module linked into
// the binaries with its go.sum hash), and when.
//
// It uses in-toto's own Go types (github.com/in-toto/attestation) and
// validates the statement with them before returning it, so what leaves
// this package is what the spec allows. The JSON is re-encoded with sorted
// keys and no random whitespace (protojson adds some on purpose): the same
// input gives the same bytes.
package provenance
