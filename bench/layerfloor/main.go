// Command layerfloor makes the image layer of one binary the way packager
// makes a new binary's layer (tar, gzip at the default level on up to four
// cores, SHA-256 of both), discards the bytes and prints the layer's size
// and digest. bench/editloop.sh times `go build && layerfloor OUT`: the
// least any packager that compresses at that level can take for an edit,
// before the start-up, the upload and the manifests.
//
//	layerfloor [-path /usr/local/bin/app] [-level 1-9] BINARY
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/oci"
)

func main() {
	path := flag.String("path", "/usr/local/bin/app", "where the binary goes in the layer")
	level := flag.Int("level", oci.DefaultGzipLevel, "gzip level, 1 (fastest) to 9 (smallest)")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: layerfloor [-path P] [-level N] BINARY")
	}
	entries := []oci.Entry{{Path: *path, Mode: 0o755, Source: flag.Arg(0)}}
	// The layer reads the binary once, to learn the digests; Digest and
	// Size then come from that pass.
	l, err := oci.NewLayerCompressed(entries, types.OCILayer, time.Unix(0, 0), oci.Compression{Level: *level})
	if err != nil {
		log.Fatalf("layerfloor: %v", err)
	}
	d, err := l.Digest()
	if err != nil {
		log.Fatalf("layerfloor: %v", err)
	}
	size, err := l.Size()
	if err != nil {
		log.Fatalf("layerfloor: %v", err)
	}
	fmt.Println(size, d)
}
