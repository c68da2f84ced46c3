// Command pushbase pushes packager's built-in static base (oci.StaticBase:
// CA bundle, passwd, group, nsswitch.conf, /home/nonroot, /tmp) as a
// multi-platform index to a registry, and prints REF@DIGEST. bench/vs-ko.sh
// gives it to ko as KO_DEFAULTBASEIMAGE, so ko and packager put their
// binaries on the same bytes and only the tools differ.
//
//	pushbase [-platforms linux/amd64,linux/arm64] 127.0.0.1:5000/base/static:latest
package main

import (
	"flag"
	"fmt"
	"log"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/packager-dev/packager/oci"
)

func main() {
	platforms := flag.String("platforms", "linux/amd64,linux/arm64", "comma-separated platforms to include")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: pushbase [-platforms P,P] REF")
	}
	out, err := push(flag.Arg(0), strings.Split(*platforms, ","))
	if err != nil {
		log.Fatalf("pushbase: %v", err)
	}
	fmt.Println(out)
}

func push(refStr string, platforms []string) (string, error) {
	ref, err := name.ParseReference(refStr)
	if err != nil {
		return "", err
	}
	var images []v1.Image
	for _, s := range platforms {
		p, err := v1.ParsePlatform(s)
		if err != nil {
			return "", fmt.Errorf("platform %q: %w", s, err)
		}
		img, err := oci.StaticBase(*p)
		if err != nil {
			return "", err
		}
		images = append(images, img)
	}
	idx, err := oci.NewIndex(images, nil)
	if err != nil {
		return "", err
	}
	if err := remote.WriteIndex(ref, idx); err != nil {
		return "", fmt.Errorf("push %s: %w", ref, err)
	}
	d, err := idx.Digest()
	if err != nil {
		return "", err
	}
	return ref.Context().Digest(d.String()).String(), nil
}
