// Package convert turns a Dockerfile (or a ko .ko.yaml) into a commented
// packager.yaml, so a project can leave its Dockerfile behind in one step.
//
// The Dockerfile is read with BuildKit's own parser and instruction types
// (github.com/moby/buildkit/frontend/dockerfile/parser and .../instructions),
// never a parser of ours, so what Docker accepts is what we see. RUN lines of
// the builder stages are shell scripts; they are read with mvdan.cc/sh, a
// POSIX shell parser, to find each `go build` with its environment, flags
// and -o output, however it is quoted or chained with &&.
//
// The result is text plus warnings. Everything the Dockerfile says that has
// a packager.yaml equivalent becomes a key, with a comment naming the
// Dockerfile line it came from; everything else (RUN in the final stage, ADD
// of a URL, ONBUILD, ...) becomes a Warning with its Dockerfile:LINE, never
// silently dropped. The caller decides whether warnings are fatal (--strict).
//
// The package reads no files and runs nothing: the caller passes bytes in
// and writes the text out. The text always parses with config.Parse; a test
// checks that for every file in testdata.
package convert
