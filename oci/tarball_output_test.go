package oci

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func TestTarballOutput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "dist", "app.tar")
	out, err := ParseOutput("tarball:" + file)
	if err != nil {
		t.Fatal(err)
	}
	hello := testImage(t, linuxAmd64, "hello")
	world := testImage(t, linuxAmd64, "world")
	arts := []Artifact{
		{Repository: "hello", Tags: []string{"latest", "v1"}, Image: hello},
		{Repository: "127.0.0.1:5000/team/world", Tags: []string{"v2"}, Image: world},
	}
	refs, err := out.Write(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range arts {
		digest := mustDigest(t, a.Image)
		if want := "tarball:" + file + "@" + digest.String(); refs[i] != want {
			t.Errorf("reference %q, want %q", refs[i], want)
		}
		for _, tag := range a.Tags {
			ref := a.Repository + ":" + tag
			img, err := tarball.ImageFromPath(file, mustTag(t, ref))
			if err != nil {
				t.Fatalf("%s: %v", ref, err)
			}
			mustValidate(t, img)
			// docker load keeps configs and layers, not manifests: compare what survives.
			if got, want := mustConfigName(t, img), mustConfigName(t, a.Image); got != want {
				t.Errorf("%s: config %s, want %s", ref, got, want)
			}
		}
	}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
	noStaging(t, file)
}

func TestTarballOutputFailureLeavesNothing(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "app.tar")
	out, err := ParseOutput("tarball:" + file)
	if err != nil {
		t.Fatal(err)
	}
	_, err = out.Write(ctx, []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: brokenImage(t)}})
	wantErrContains(t, err, "write tarball "+file)
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("%s exists after a failed write", file)
	}
	noStaging(t, file)

	// An existing tarball survives a cancelled write untouched.
	if _, err := out.Write(ctx, []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "ok")}}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := out.Write(cancelled, []Artifact{{Repository: "hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "new")}}); err == nil {
		t.Fatal("write with a cancelled context succeeded")
	}
	after, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Error("a cancelled write changed the tarball")
	}
	noStaging(t, file)

	// Two artifacts under one name cannot both be loaded: refuse.
	img := testImage(t, linuxAmd64, "x")
	_, err = out.Write(ctx, []Artifact{
		{Repository: "hello", Tags: []string{"latest"}, Image: img},
		{Repository: "hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "y")},
	})
	wantErrContains(t, err, "both named hello:latest")
}
