package verify

import (
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/oci"
)

// Media is how a published artifact was encoded, in the values of `packager
// build`'s flags, so that a rebuild can encode its image the same way.
type Media struct {
	Format      string // "oci", or "docker" for Docker schema 2 media types (--format)
	Compression string // "gzip", or "zstd" when any layer is zstd (--compression)
	Index       bool   // an image index, even of one platform (--index)
}

// MediaOf reads the format, layer compression and index-ness of d from its
// media types.
func MediaOf(d *oci.Description) Media {
	m := Media{Format: "oci", Compression: "gzip", Index: types.MediaType(d.MediaType).IsIndex()}
	if strings.Contains(d.MediaType, "docker") {
		m.Format = "docker"
	}
	for _, img := range d.Images {
		for _, l := range img.Layers {
			if strings.Contains(l.MediaType, "zstd") {
				m.Compression = "zstd"
			}
		}
	}
	return m
}
