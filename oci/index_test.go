package oci

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// testIndex is a two-platform index (amd64, arm64) of small real images.
func testIndex(t *testing.T, content string) v1.ImageIndex {
	t.Helper()
	idx, err := NewIndex([]v1.Image{
		testImage(t, linuxAmd64, content+"-amd64"),
		testImage(t, linuxArm64, content+"-arm64"),
	}, map[string]string{"org.opencontainers.image.source": "https://example.com/app"})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Index(idx); err != nil {
		t.Fatal(err)
	}
	return idx
}

func TestNewIndex(t *testing.T) {
	idx := testIndex(t, "x")
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if im.MediaType != types.OCIImageIndex || len(im.Manifests) != 2 {
		t.Fatalf("index %s with %d manifests", im.MediaType, len(im.Manifests))
	}
	for i, want := range []string{"linux/amd64", "linux/arm64"} {
		if got := platformString(*im.Manifests[i].Platform); got != want {
			t.Errorf("manifest %d platform %s, want %s", i, got, want)
		}
	}
	if im.Annotations["org.opencontainers.image.source"] == "" {
		t.Error("index annotations lost")
	}
	again := testIndex(t, "x")
	if mustDigest(t, idx) != mustDigest(t, again) {
		t.Error("the same images give a different index digest")
	}

	img := testImage(t, linuxAmd64, "a")
	_, err = NewIndex([]v1.Image{img, testImage(t, linuxAmd64, "b")}, nil)
	wantErrContains(t, err, "two images are for linux/amd64")
	_, err = NewIndex(nil, nil)
	wantErrContains(t, err, "no images")
}

func TestIndexOutputs(t *testing.T) {
	ctx := context.Background()
	idx := testIndex(t, "multi")
	dir := t.TempDir()
	art := []Artifact{{Repository: "127.0.0.1:1/team/multi", Tags: []string{"latest", "v1"}, Index: idx}}
	digest := mustDigest(t, idx).String()

	t.Run("layout", func(t *testing.T) {
		out, _ := ParseOutput("oci:" + filepath.Join(dir, "oci"))
		refs, err := out.Write(ctx, art)
		if err != nil {
			t.Fatal(err)
		}
		if refs[0] != "oci:"+filepath.Join(dir, "oci")+"@"+digest {
			t.Errorf("reference %s", refs[0])
		}
		lidx, err := layout.ImageIndexFromPath(filepath.Join(dir, "oci"))
		if err != nil {
			t.Fatal(err)
		}
		child, err := lidx.ImageIndex(mustDigest(t, idx))
		if err != nil {
			t.Fatal(err)
		}
		if err := validate.Index(child); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("tarball", func(t *testing.T) {
		file := filepath.Join(dir, "multi.tar")
		out, _ := ParseOutput("tarball:" + file)
		refs, err := out.Write(ctx, art)
		if err != nil {
			t.Fatal(err)
		}
		if refs[0] != "tarball:"+file+"@"+digest {
			t.Errorf("reference %s", refs[0])
		}
		// The docker side holds the host platform's image under every tag.
		host, err := imageFor(idx, HostPlatform())
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range art[0].Tags {
			img, err := tarball.ImageFromPath(file, mustTag(t, art[0].Repository+":"+tag))
			if err != nil {
				t.Fatal(err)
			}
			mustValidate(t, img)
			if mustConfigName(t, img) != mustConfigName(t, host) {
				t.Errorf("%s: not the host platform's image", tag)
			}
		}
		first := readFile(t, file)
		if _, err := out.Write(ctx, art); err != nil {
			t.Fatal(err)
		}
		if string(readFile(t, file)) != string(first) {
			t.Error("the same artifacts give a different tarball")
		}
	})
}

func TestRegistryOutputIndexAndUploadCount(t *testing.T) {
	host := startRegistry(t)
	idx := testIndex(t, "pushed")
	art := []Artifact{{Repository: host + "/team/multi", Tags: []string{"latest"}, Index: idx}}
	var sent atomic.Int64
	out, err := ParseOutput("registry", anonymous, WithUploadCounter(&sent))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write(context.Background(), art); err != nil {
		t.Fatal(err)
	}
	if sent.Load() == 0 {
		t.Error("first push counted no uploaded bytes")
	}
	pulled, err := remote.Index(mustRef(t, art[0].Repository+":latest"))
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Index(pulled); err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, pulled) != mustDigest(t, idx) {
		t.Error("pulled index differs")
	}
	sent.Store(0)
	if _, err := out.Write(context.Background(), art); err != nil {
		t.Fatal(err)
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("a second push of the same index uploaded %d bytes, want 0", n)
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
