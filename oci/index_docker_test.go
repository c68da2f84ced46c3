package oci

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
	"github.com/packager-dev/packager/internal/testenv"
)

// dockerImage builds a small image on a Docker schema 2 base, as on most
// registry bases.
func dockerImage(t *testing.T, p v1.Platform, content string) v1.Image {
	t.Helper()
	base, err := StaticBase(p)
	if err != nil {
		t.Fatal(err)
	}
	if base, err = DockerFormat(base); err != nil {
		t.Fatal(err)
	}
	img, err := Build(context.Background(), Spec{
		Base:     base,
		Platform: p,
		Binaries: []Binary{{Source: writeFile(t, "app", []byte(content)), Path: "/app"}},
		Created:  time.Unix(1700000000, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	if mt, _ := img.MediaType(); mt != types.DockerManifestSchema2 {
		t.Fatalf("image on a Docker base is %s", mt)
	}
	return img
}

// TestNewIndexDockerBase: a multi-platform build on a Docker base with
// index annotations gives an OCI index of OCI images with the same layers,
// which registries, crane and skopeo accept; without annotations it stays a
// Docker manifest list.
func TestNewIndexDockerBase(t *testing.T) {
	imgs := []v1.Image{dockerImage(t, linuxAmd64, "d"), dockerImage(t, linuxArm64, "d")}
	idx, err := NewIndex(imgs, map[string]string{"org.opencontainers.image.source": "https://example.com/app"})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Index(idx); err != nil {
		t.Fatalf("validate.Index: %v", err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if im.MediaType != types.OCIImageIndex || im.Annotations["org.opencontainers.image.source"] == "" {
		t.Fatalf("index is %s with annotations %v", im.MediaType, im.Annotations)
	}
	for i, d := range im.Manifests {
		child, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		m, err := child.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		if d.MediaType != types.OCIManifestSchema1 || m.Config.MediaType != types.OCIConfigJSON {
			t.Errorf("image %d: %s with config %s", i, d.MediaType, m.Config.MediaType)
		}
		want, err := imgs[i].Manifest()
		if err != nil {
			t.Fatal(err)
		}
		if m.Config.Digest != want.Config.Digest || len(m.Layers) != len(want.Layers) {
			t.Fatalf("image %d: config or layers changed", i)
		}
		for j, l := range m.Layers {
			if l.MediaType != types.OCILayer || l.Digest != want.Layers[j].Digest {
				t.Errorf("image %d layer %d: %s %s, want %s %s", i, j, l.MediaType, l.Digest, types.OCILayer, want.Layers[j].Digest)
			}
		}
	}

	list, err := NewIndex(imgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mt, _ := list.MediaType(); mt != types.DockerManifestList {
		t.Errorf("without annotations: %s, want a Docker manifest list", mt)
	}

	// What real tools say about the result.
	crane := testenv.RequireTool(t, "crane")
	reg := testenv.StartRegistry(t)
	out, err := ParseOutput("registry", anonymous)
	if err != nil {
		t.Fatal(err)
	}
	repo := reg.Host + "/docker-base/app"
	if _, err := out.Write(context.Background(), []Artifact{{Repository: repo, Tags: []string{"v1"}, Index: idx}}); err != nil {
		t.Fatal(err)
	}
	testenv.Run(t, "", crane, "validate", "--insecure", "--remote", repo+":v1")
	testenv.Copy(t, "docker://"+repo+":v1", "oci:"+filepath.Join(t.TempDir(), "copy")+":v1", "--all")
}
