// Package pipeline turns resolved config targets into published images:
// targets → binaries (builder) → images (oci) → outputs. It owns the
// orchestration every command shares: one worker pool for all images ×
// platforms bounded by Request.Jobs, bases loaded once per reference and
// platform, templates and the standard OCI labels rendered while go build
// runs, and the rule that nothing is published until every image built.
//
// The pipeline prints nothing and reads no environment: cmd/packager parses
// flags and the environment into a [Request] and learns what happens
// through [Events]. Errors the user fixes in packager.yaml or on the
// command line are [ConfigError]s.
package pipeline
