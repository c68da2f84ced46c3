package oci

import (
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/types"
)

func TestDockerFormat(t *testing.T) {
	static, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	base, err := DockerFormat(static)
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, base)
	s := testSpec(t, base)
	img := mustBuild(t, s)
	mustValidate(t, img)
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaType != types.DockerManifestSchema2 || m.Config.MediaType != types.DockerConfigJSON {
		t.Errorf("manifest %s, config %s", m.MediaType, m.Config.MediaType)
	}
	for i, l := range m.Layers {
		if l.MediaType != types.DockerLayer {
			t.Errorf("layer %d is %s", i, l.MediaType)
		}
	}
	// Same layer bytes and config as the OCI base: only descriptors differ.
	if mustConfigName(t, base) != mustConfigName(t, static) {
		t.Error("config changed")
	}
	again, err := DockerFormat(base)
	if err != nil || mustDigest(t, again) != mustDigest(t, base) {
		t.Errorf("a Docker base is not returned as it is: %v", err)
	}
}
