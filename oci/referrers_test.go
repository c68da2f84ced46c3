package oci

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

func TestNewReferrer(t *testing.T) {
	subject := v1.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", Size: 7,
		Digest: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("ab", 32)}, Annotations: map[string]string{"dropped": "yes"}}
	img, err := NewReferrer(subject, "application/spdx+json", []byte(`{"spdxVersion":"SPDX-2.3"}`), map[string]string{"k": "v"})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Image(img); err != nil {
		t.Fatalf("validate.Image: %v", err)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case m.ArtifactType != "application/spdx+json":
		t.Errorf("artifactType %q", m.ArtifactType)
	case m.Subject == nil || m.Subject.Digest != subject.Digest || m.Subject.Annotations != nil:
		t.Errorf("subject %+v, want digest, media type and size only", m.Subject)
	case m.Config.MediaType != emptyConfigMediaType || m.Config.Size != 2:
		t.Errorf("config %+v, want the empty descriptor", m.Config)
	case len(m.Layers) != 1 || m.Layers[0].MediaType != "application/spdx+json":
		t.Errorf("layers %+v", m.Layers)
	}
	again, _ := NewReferrer(subject, "application/spdx+json", []byte(`{"spdxVersion":"SPDX-2.3"}`), map[string]string{"k": "v"})
	d1, _ := img.Digest()
	d2, _ := again.Digest()
	if d1 != d2 {
		t.Error("the same referrer twice has two digests")
	}
	if _, err := NewReferrer(subject, "", nil, nil); err == nil {
		t.Error("no artifact type: no error")
	}
}

func TestAttachmentArtifactsRejectsOtherTags(t *testing.T) {
	static, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	_, err = AttachmentArtifacts("x/app", Attachments{Tagged: []Tagged{{Tag: "latest", Image: static}}})
	if err == nil {
		t.Error("tag latest accepted as an attachment")
	}
}
