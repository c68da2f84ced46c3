// Package resolve finds image references (ko://IMPORTPATH and
// packager://NAME) in Kubernetes YAML and replaces them with pushed
// image references, changing nothing else.
//
// It does not decode and re-encode the YAML: a round trip through any YAML
// library loses comments, key order, quoting and line endings that people
// review in diffs. Instead yaml.v3's Node API says where each reference
// scalar is (line and column), and the replacement is spliced into the
// original bytes there. Only string values are references; keys, comments
// and tagged non-string scalars are left alone. A reference in a block
// scalar (| or >) is rejected, since its text position is ambiguous.
//
// Every splice is checked: the bytes at the computed position must be the
// scalar the parser saw, spans never overlap, and the result must parse
// with no reference left. A mismatch is an error, never a wrong splice.
//
// Between finding and replacing, the caller builds and pushes the images;
// this package plans that and reads the result: FindAll collects the
// distinct references of every source, Packages the package each names
// (each built once), ImageNames the image of packager.yaml each package
// selects, and Pinned turns what the registry returned into the
// REPO/NAME@sha256:… each reference becomes (DigestRef drops the tag).
package resolve
