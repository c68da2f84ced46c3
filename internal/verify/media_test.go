package verify

import (
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/oci"
)

func TestMediaOf(t *testing.T) {
	image := func(mt types.MediaType, layers ...types.MediaType) oci.ImageDoc {
		d := oci.ImageDoc{MediaType: string(mt)}
		for _, l := range layers {
			d.Layers = append(d.Layers, oci.LayerDoc{MediaType: string(l)})
		}
		return d
	}
	tests := []struct {
		name string
		d    oci.Description
		want Media
	}{
		{"oci image", oci.Description{MediaType: string(types.OCIManifestSchema1),
			Images: []oci.ImageDoc{image(types.OCIManifestSchema1, types.OCILayer, types.OCILayer)}},
			Media{Format: "oci", Compression: "gzip"}},
		{"oci index", oci.Description{MediaType: string(types.OCIImageIndex),
			Images: []oci.ImageDoc{image(types.OCIManifestSchema1, types.OCILayer)}},
			Media{Format: "oci", Compression: "gzip", Index: true}},
		{"docker image", oci.Description{MediaType: string(types.DockerManifestSchema2),
			Images: []oci.ImageDoc{image(types.DockerManifestSchema2, types.DockerLayer)}},
			Media{Format: "docker", Compression: "gzip"}},
		{"docker index", oci.Description{MediaType: string(types.DockerManifestList),
			Images: []oci.ImageDoc{image(types.DockerManifestSchema2, types.DockerLayer), image(types.DockerManifestSchema2, types.DockerLayer)}},
			Media{Format: "docker", Compression: "gzip", Index: true}},
		{"zstd in any layer of any platform", oci.Description{MediaType: string(types.OCIImageIndex),
			Images: []oci.ImageDoc{image(types.OCIManifestSchema1, types.OCILayer), image(types.OCIManifestSchema1, types.OCILayer, types.OCILayerZStd)}},
			Media{Format: "oci", Compression: "zstd", Index: true}},
	}
	for _, tt := range tests {
		if got := MediaOf(&tt.d); got != tt.want {
			t.Errorf("%s: MediaOf = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
