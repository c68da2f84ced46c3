// Package verify checks that an image can be rebuilt from its source: it
// reads the SLSA provenance `packager build` attached to the image, says
// whether the local checkout and toolchain are the ones the provenance
// records (and what to change when they are not), and compares a rebuilt
// image with the published one, field by field and layer by layer.
//
// The rebuild itself is not here: it runs the build pipeline, which only
// cmd/packager may import (internal/layering), so cmd/packager runs it and
// this package reads, prepares and compares: LocalState finds the
// checkout's commit, Go version and packager.yaml digest, PickTarget the
// one target of packager.yaml that makes the recorded image, and MediaOf
// the format, compression and index-ness to rebuild it with. Like the other
// libraries it prints nothing and reads no environment: LocalState runs git
// and go with the environment it is given, and Check compares values (see
// Local).
package verify
