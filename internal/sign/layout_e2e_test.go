package sign_test

import (
	"archive/tar"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

// TestAttachmentsInLayout writes an image with its referrers and cosign
// images into an OCI layout, and finds them again with Inspect.
func TestAttachmentsInLayout(t *testing.T) {
	ctx := context.Background()
	b := buildImage(t, "test/syncdemo")
	s := must(loadPKCS8(t))
	extra := must(oci.AttachmentArtifacts(b.repo, b.attachments(t, s)))
	arts := append([]oci.Artifact{{Repository: b.repo, Tags: []string{"v1"}, Image: b.img}}, extra...)
	dir := filepath.Join(t.TempDir(), "oci")
	if _, err := must(oci.ParseOutput("oci:"+dir)).Write(ctx, arts); err != nil {
		t.Fatal(err)
	}
	desc, err := oci.Inspect(ctx, "oci:"+dir+":syncdemo:v1")
	if err != nil {
		t.Fatal(err)
	}
	att := desc.Images[0].Attached
	if len(att.Referrers) != 3 || att.Signature == "" || att.Attestation == "" {
		t.Errorf("inspect of the layout finds %+v, want 3 referrers, a signature and an attestation", att)
	}
	if desc.Digest != b.digest.String() {
		t.Errorf("inspect digest %s, want %s", desc.Digest, b.digest)
	}
	// skopeo still picks the image by name from a layout with attachments.
	testenv.Copy(t, "oci:"+dir+":syncdemo:v1", "oci:"+filepath.Join(t.TempDir(), "copy")+":x")
}

// TestAttachmentsInTarball: the tarball's OCI half carries the
// attachments, its docker-load manifest.json only the image.
func TestAttachmentsInTarball(t *testing.T) {
	ctx := context.Background()
	b := buildImage(t, "test/syncdemo")
	extra := must(oci.AttachmentArtifacts(b.repo, b.attachments(t, must(loadPKCS8(t)))))
	arts := append([]oci.Artifact{{Repository: b.repo, Tags: []string{"v1"}, Image: b.img}}, extra...)
	file := filepath.Join(t.TempDir(), "img.tar")
	if _, err := must(oci.ParseOutput("tarball:"+file)).Write(ctx, arts); err != nil {
		t.Fatal(err)
	}
	var index struct{ Manifests []json.RawMessage }
	var docker []struct{ RepoTags []string }
	f := must(os.Open(file))
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch h.Name {
		case "index.json":
			if err := json.NewDecoder(tr).Decode(&index); err != nil {
				t.Fatal(err)
			}
		case "manifest.json":
			if err := json.NewDecoder(tr).Decode(&docker); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(index.Manifests) != 4 { // image, referrers index, .sig, .att
		t.Errorf("index.json has %d manifests, want 4", len(index.Manifests))
	}
	if len(docker) != 1 || len(docker[0].RepoTags) != 1 {
		t.Errorf("manifest.json = %+v, want the image only", docker)
	}
}
