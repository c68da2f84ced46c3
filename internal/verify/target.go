package verify

import (
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/oci"
)

// PickTarget returns the one target whose main packages are p's; when
// several images build the same packages, the one named as p's subject.
// ok is false when none or more than one is left.
func PickTarget(targets []config.Target, p Provenance) (t config.Target, ok bool) {
	want := slices.Sorted(slices.Values(p.Packages))
	var found []config.Target
	for _, t := range targets {
		var mains []string
		for _, b := range t.Binaries {
			if !slices.Contains(mains, b.Main) {
				mains = append(mains, b.Main)
			}
		}
		slices.Sort(mains)
		if slices.Equal(mains, want) {
			found = append(found, t)
		}
	}
	if len(found) > 1 {
		found = slices.DeleteFunc(found, func(t config.Target) bool {
			return p.SubjectName != t.Name && !strings.HasSuffix(p.SubjectName, "/"+t.Name)
		})
	}
	if len(found) != 1 {
		return config.Target{}, false
	}
	return found[0], true
}

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
