// Package layering holds no code, only a test that enforces the project's
// import rules (see docs/design.md): config, builder and oci never reach
// each other; vocab imports only the standard library; only cmd imports the
// pipeline; only cmd reads the process environment. golangci-lint's depguard
// says the same in .golangci.yaml; this test runs with plain `go test`.
package layering
