package oci

import (
	"context"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// testImage builds a small real image whose contents depend on content.
func testImage(t *testing.T, p v1.Platform, content string) v1.Image {
	t.Helper()
	base, err := StaticBase(p)
	if err != nil {
		t.Fatal(err)
	}
	img, err := Build(context.Background(), Spec{
		Base:      base,
		Platform:  p,
		Binaries:  []Binary{{Source: writeFile(t, "app", []byte(content)), Path: "/app"}},
		Created:   time.Unix(1700000000, 0),
		CreatedBy: "packager test",
	})
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, img)
	return img
}

func TestParseOutput(t *testing.T) {
	tests := []struct {
		dest, want string
	}{
		{"registry", "registry"},
		{"oci:dist/oci", "oci:dist/oci"},
		{"tarball:app.tar", "tarball:app.tar"},
		{"docker", "docker"},
	}
	for _, tt := range tests {
		out, err := ParseOutput(tt.dest)
		if err != nil {
			t.Fatalf("%s: %v", tt.dest, err)
		}
		if out.String() != tt.want {
			t.Errorf("%s: String() = %q", tt.dest, out.String())
		}
	}
	for _, bad := range []string{"", "Docker", "oci:", "tarball:", "Registry"} {
		if _, err := ParseOutput(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestOutputsRejectBadArtifacts(t *testing.T) {
	img := testImage(t, linuxAmd64, "x")
	dir := t.TempDir()
	arts := map[string][]Artifact{
		"no tags":       {{Repository: "hello", Image: img}},
		"no repository": {{Tags: []string{"latest"}, Image: img}},
		"no image":      {{Repository: "hello", Tags: []string{"latest"}}},
		"both":          {{Repository: "hello", Tags: []string{"latest"}, Image: img, Index: testIndex(t, "x")}},
		"bad tag":       {{Repository: "hello", Tags: []string{"a b"}, Image: img}},
		"nothing":       nil,
	}
	for _, dest := range []string{"registry", "oci:" + dir + "/oci", "tarball:" + dir + "/app.tar", "docker"} {
		out, err := ParseOutput(dest, anonymous)
		if err != nil {
			t.Fatal(err)
		}
		for name, a := range arts {
			if _, err := out.Write(context.Background(), a); err == nil {
				t.Errorf("%s: %s accepted", dest, name)
			}
		}
	}
}
