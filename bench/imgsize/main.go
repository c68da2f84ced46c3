// Command imgsize prints the compressed size of an image in a registry, as
// the registry stores it: the config blob plus every layer, from the
// manifest's descriptors (what `crane manifest` lists), and the size of the
// last layer (the application layer for both packager and ko).
//
//	imgsize [-platform linux/amd64] REF
//
// Output, one line: TOTAL_BYTES APP_LAYER_BYTES LAYERS. For an index it
// measures the image for -platform.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

func main() {
	platform := flag.String("platform", "linux/amd64", "image to measure when REF is an index")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: imgsize [-platform P] REF")
	}
	if err := run(flag.Arg(0), *platform); err != nil {
		log.Fatalf("imgsize: %v", err)
	}
}

func run(refStr, platform string) error {
	ref, err := name.ParseReference(refStr)
	if err != nil {
		return err
	}
	p, err := v1.ParsePlatform(platform)
	if err != nil {
		return err
	}
	img, err := remote.Image(ref, remote.WithPlatform(*p))
	if err != nil {
		return err
	}
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	if len(m.Layers) == 0 {
		return fmt.Errorf("%s has no layers", ref)
	}
	total := m.Config.Size
	for _, l := range m.Layers {
		total += l.Size
	}
	fmt.Println(total, m.Layers[len(m.Layers)-1].Size, len(m.Layers))
	return nil
}
