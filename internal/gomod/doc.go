// Package gomod answers questions about Go modules that need no go
// command: the import path of a directory from the nearest go.mod and the
// binary name go build gives it. It is shared by config (which names
// images after their package's import path, as ko does, so the name does
// not depend on the folder a checkout is in) and builder (which skips a
// `go list` when the answer is certain). It also holds what the SBOM and
// provenance writers both say about modules: a go.sum hash in hex and a
// module's package URL.
package gomod
