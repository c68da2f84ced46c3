package oci

import (
	"context"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/packager-dev/packager/vocab"
)

// platformIndex builds a multi-platform index of scratch images, one per
// platform, and returns it with the image digest for each platform.
func platformIndex(t *testing.T, ps ...v1.Platform) (v1.ImageIndex, map[string]v1.Hash) {
	t.Helper()
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	digests := map[string]v1.Hash{}
	for _, p := range ps {
		img, err := ScratchBase(p)
		if err != nil {
			t.Fatal(err)
		}
		p := p
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
		digests[platformString(p)] = mustDigest(t, img)
	}
	return idx, digests
}

func TestBaseFromRegistry(t *testing.T) {
	ctx := context.Background()
	host := startRegistry(t)
	single, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(mustRef(t, host+"/base/single:1"), single); err != nil {
		t.Fatal(err)
	}
	arm64v8 := v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}
	idx, digests := platformIndex(t, linuxAmd64, arm64v8, linuxArmV7)
	if err := remote.WriteIndex(mustRef(t, host+"/base/multi:latest"), idx); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		ref  string
		p    v1.Platform
		want v1.Hash
	}{
		{"single image", host + "/base/single:1", linuxAmd64, mustDigest(t, single)},
		{"index amd64", host + "/base/multi:latest", linuxAmd64, digests["linux/amd64"]},
		{"index arm64 matches v8", host + "/base/multi", linuxArm64, digests["linux/arm64/v8"]},
		{"index arm/v7", host + "/base/multi:latest", linuxArmV7, digests["linux/arm/v7"]},
		{"index arm without variant", host + "/base/multi:latest", v1.Platform{OS: "linux", Architecture: "arm"}, digests["linux/arm/v7"]},
		{"by digest", host + "/base/multi@" + mustDigest(t, idx).String(), linuxAmd64, digests["linux/amd64"]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Base(ctx, tt.ref, tt.p, anonymous)
			if err != nil {
				t.Fatal(err)
			}
			if got := mustDigest(t, img); got != tt.want {
				t.Errorf("digest %s, want %s", got, tt.want)
			}
			mustValidate(t, img)
		})
	}
}

func TestBaseRegistryErrors(t *testing.T) {
	ctx := context.Background()
	host := startRegistry(t)
	idx, _ := platformIndex(t, linuxAmd64, linuxArm64)
	if err := remote.WriteIndex(mustRef(t, host+"/base/multi:latest"), idx); err != nil {
		t.Fatal(err)
	}
	_, err := Base(ctx, host+"/base/multi:latest", v1.Platform{OS: "linux", Architecture: "s390x"}, anonymous)
	wantErrContains(t, err, "no image for linux/s390x", "linux/amd64, linux/arm64")

	_, err = Base(ctx, host+"/base/missing:latest", linuxAmd64, anonymous)
	wantErrContains(t, err, "base "+host+"/base/missing:latest not found in registry: check the name and tag")

	_, err = Base(ctx, host+"/base/multi:nope", linuxAmd64, anonymous)
	wantErrContains(t, err, "not found in registry")

	_, err = Base(ctx, closedAddr(t)+"/base/x:1", linuxAmd64, anonymous)
	wantErrContains(t, err, "cannot reach registry", "connection refused")

	single, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(mustRef(t, host+"/base/single:1"), single); err != nil {
		t.Fatal(err)
	}
	_, err = Base(ctx, host+"/base/single:1", linuxArm64, anonymous)
	wantErrContains(t, err, "is a single linux/amd64 image, not linux/arm64")

	_, err = Base(ctx, "Not A Ref!", linuxAmd64, anonymous)
	wantErrContains(t, err, "not a valid image reference")
}

func TestBaseBuiltins(t *testing.T) {
	ctx := context.Background()
	static, err := Base(ctx, "static", linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	want, err := StaticBase(linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, static) != mustDigest(t, want) {
		t.Error(`Base("static") differs from StaticBase`)
	}
	scratch, err := Base(ctx, "scratch", linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	if ls, _ := scratch.Layers(); len(ls) != 0 {
		t.Errorf("scratch has %d layers", len(ls))
	}
	if _, err := Base(ctx, "static", v1.Platform{}); err == nil {
		t.Error("empty platform accepted")
	}
}

func TestBaseFromLayout(t *testing.T) {
	ctx := context.Background()
	static, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	// A layout with one image, as `skopeo copy ... oci:DIR:base:1` writes it.
	one := t.TempDir()
	lp, err := layout.Write(one, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(static, layout.WithAnnotations(map[string]string{refNameAnnotation: "base:1"})); err != nil {
		t.Fatal(err)
	}
	// A layout with a multi-platform index and a plain image.
	many := t.TempDir()
	idx, digests := platformIndex(t, linuxAmd64, linuxArm64)
	lp, err = layout.Write(many, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx, layout.WithAnnotations(map[string]string{refNameAnnotation: "multi:latest"})); err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(static, layout.WithAnnotations(map[string]string{refNameAnnotation: "static"})); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		ref  string
		p    v1.Platform
		want v1.Hash
	}{
		{"only manifest", "oci:" + one, linuxAmd64, mustDigest(t, static)},
		{"tag after colon", "oci:" + one + ":1", linuxAmd64, mustDigest(t, static)},
		{"full name", "oci:" + one + ":base:1", linuxAmd64, mustDigest(t, static)},
		{"index by tag", "oci:" + many + ":latest", linuxArm64, digests["linux/arm64"]},
		{"index by name", "oci:" + many + ":multi:latest", linuxAmd64, digests["linux/amd64"]},
		{"image without tag part", "oci:" + many + ":static", linuxAmd64, mustDigest(t, static)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Base(ctx, tt.ref, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := mustDigest(t, img); got != tt.want {
				t.Errorf("digest %s, want %s", got, tt.want)
			}
			mustValidate(t, img)
		})
	}

	_, err = Base(ctx, "oci:"+many, linuxAmd64)
	wantErrContains(t, err, "holds 2 manifests", "multi:latest", "add :TAG")
	_, err = Base(ctx, "oci:"+many+":nope", linuxAmd64)
	wantErrContains(t, err, `no manifest named "nope"`)
	_, err = Base(ctx, "oci:"+many+":latest", linuxArmV7)
	wantErrContains(t, err, "no image for linux/arm/v7", "linux/amd64, linux/arm64")
	_, err = Base(ctx, "oci:"+one, linuxArm64)
	wantErrContains(t, err, "is a single linux/amd64 image, not linux/arm64")
	_, err = Base(ctx, "oci:"+t.TempDir(), linuxAmd64)
	wantErrContains(t, err, "not a readable OCI image layout")
}

func TestBasePlatforms(t *testing.T) {
	ctx := context.Background()
	got, err := BasePlatforms(ctx, "static")
	if err != nil || len(got) != len(vocab.All) {
		t.Fatalf("static: %v %v", got, err)
	}
	host := startRegistry(t)
	arm64v8 := v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}
	idx, _ := platformIndex(t, linuxAmd64, arm64v8, linuxArmV7)
	ref := host + "/base/multi:1"
	if err := remote.WriteIndex(mustTag(t, ref), idx); err != nil {
		t.Fatal(err)
	}
	got, err = BasePlatforms(ctx, ref, anonymous)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, platformString(p))
	}
	if strings.Join(names, ",") != "linux/amd64,linux/arm64,linux/arm/v7" {
		t.Errorf("platforms %v", names)
	}
}
