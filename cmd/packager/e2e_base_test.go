package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

// TestRegistryBase: a multi-platform base pushed to docker-registry (the way
// distroless is published) is resolved to the build platform, and a
// platform the base lacks is an error that lists what it has.
func TestRegistryBase(t *testing.T) {
	reg := testenv.StartRegistry(t)
	baseLayout := writeBaseIndex(t, "v1", nil)
	base := reg.Host + "/bases/static:v1"
	testenv.Copy(t, "oci:"+baseLayout+":v1", "docker://"+base, "--all")

	dir := copyExample(t, "hello")
	for _, arch := range []string{"amd64", "arm64"} {
		out := filepath.Join(t.TempDir(), "oci")
		mustPackager(t, dir, nil, "build", "--base", base, "--platform", "linux/"+arch, "--oci-layout", out, ".")
		b := testenv.Unpack(t, out+":app:latest")
		marker, err := os.ReadFile(filepath.Join(b.Dir, "rootfs", "etc", "base-marker"))
		if err != nil || string(marker) != "base for linux/"+arch+"\n" {
			t.Errorf("%s image: /etc/base-marker = %q, %v; want the %s base", arch, marker, err, arch)
		}
		if arch == "amd64" && !strings.Contains(runBundle(t, b), "uid=65532") {
			t.Errorf("amd64 image on a registry base does not run as nonroot")
		}
	}

	// platforms: all is what the base has; the index records its digest.
	r := mustPackager(t, dir, nil, "build", "--base", base, "--platform", "all", "--repo", reg.Host+"/all", ".")
	_, digests := r.refs(t)
	im := craneIndex(t, reg.Host+"/all/app@"+digests[0])
	if strings.Join(im.platforms(), ",") != "linux/amd64,linux/arm64" {
		t.Errorf("platforms: all on a two-platform base gave %v", im.platforms())
	}
	baseDigest := strings.TrimSpace(testenv.Run(t, "", testenv.RequireTool(t, "crane"), "digest", "--insecure", base))
	if ann := testenv.Run(t, "", testenv.RequireTool(t, "crane"), "manifest", "--insecure", reg.Host+"/all/app@"+digests[0]); !strings.Contains(ann, `"org.opencontainers.image.base.digest":"`+baseDigest+`"`) {
		t.Errorf("index annotations lack base.digest %s: %s", baseDigest, ann)
	}

	r = packager(t, dir, nil, "build", "--base", base, "--platform", "linux/s390x", "--oci-layout", "out", ".")
	if r.code != 1 || !strings.Contains(r.stderr, "linux/amd64") || !strings.Contains(r.stderr, "linux/arm64") {
		t.Errorf("missing platform: exit %d, stderr should list the base's platforms:\n%s", r.code, r.stderr)
	}
	assertNoOutput(t, dir)
}

// TestLayoutBase: a base stored as an OCI layout on disk (offline CI),
// named in packager.yaml relative to the file.
func TestLayoutBase(t *testing.T) {
	dir := copyExample(t, "hello")
	baseLayout := writeBaseIndex(t, "v1", nil)
	if err := os.Rename(baseLayout, filepath.Join(dir, "base")); err != nil {
		t.Fatal(err)
	}
	yaml := "base: oci:base:v1\nimages:\n  - main: .\n"
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	mustPackager(t, dir, nil, "build", "--oci-layout", "out")
	b := testenv.Unpack(t, filepath.Join(dir, "out")+":app:latest")
	if marker, _ := os.ReadFile(filepath.Join(b.Dir, "rootfs", "etc", "base-marker")); string(marker) != "base for linux/amd64\n" {
		t.Errorf("/etc/base-marker = %q, want the amd64 base", marker)
	}
	if out := runBundle(t, b); !strings.Contains(out, "uid=65532") {
		t.Errorf("output %q", out)
	}
}

// writeBaseIndex writes an OCI layout holding an index tagged tag with a
// linux/amd64 and a linux/arm64 image: the static base plus a marker file
// saying which platform it is, plus extra entries. It returns the layout dir.
func writeBaseIndex(t *testing.T, tag string, extra []oci.Entry) string {
	t.Helper()
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, arch := range []string{"amd64", "arm64"} {
		p := v1.Platform{OS: "linux", Architecture: arch}
		img, err := oci.StaticBase(p)
		if err != nil {
			t.Fatal(err)
		}
		entries := append([]oci.Entry{{Path: "/etc/base-marker", Mode: 0o644, Data: []byte("base for linux/" + arch + "\n")}}, extra...)
		layer, err := oci.NewLayer(entries, types.OCILayer, time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, layer); err != nil {
			t.Fatal(err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
	}
	dir := filepath.Join(t.TempDir(), "base")
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag})); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCorruptBaseLayer: a base layer whose bytes in the registry no longer
// match their digest (cut or corrupted in storage or in transit) fails the
// build loading into the Docker engine with a checksum error that points
// at the base, by name when the image records it, and not at the Docker
// daemon, which is fine.
func TestCorruptBaseLayer(t *testing.T) {
	docker := testenv.RequireDocker(t)
	reg := testenv.StartRegistry(t)
	base := reg.Host + "/bases/static:v1"
	testenv.Copy(t, "oci:"+writeBaseIndex(t, "v1", nil)+":v1", "docker://"+base, "--all")
	corruptLayers(t, reg, base+"@"+platformDigest(t, base, "linux/amd64"))

	// An OCI image records its base's name (an annotation), so the hint
	// names it; a Docker-format one cannot.
	for format, hint := range map[string]string{"oci": "check the base image " + base, "docker": "check the base image"} {
		t.Run(format, func(t *testing.T) {
			dir := copyExample(t, "hello")
			repo := uniqueRepo(t)
			t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rmi", "-f", repo+"/app:latest") })
			r := packager(t, dir, nil, "build", "--base", base, "--platform", "linux/amd64", "--format", format, "--docker", "--repo", repo, ".")
			if r.code != 1 || r.stdout != "" {
				t.Fatalf("build on a corrupt base: exit %d, want 1; stdout %q\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			for _, want := range []string{"do not match its digest", "error verifying sha256 checksum", hint} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
				}
			}
			for _, wrong := range []string{"Docker daemon", "DOCKER_HOST"} {
				if strings.Contains(r.stderr, wrong) {
					t.Errorf("stderr blames the daemon (%q) for a corrupt base layer:\n%s", wrong, r.stderr)
				}
			}
			assertNoOutput(t, dir)
		})
	}
}

// platformDigest is the digest of the image for platform in the index ref.
func platformDigest(t *testing.T, ref, platform string) string {
	t.Helper()
	crane := testenv.RequireTool(t, "crane")
	return strings.TrimSpace(testenv.Run(t, "", crane, "digest", "--insecure", "--platform", platform, ref))
}

// corruptLayers flips bytes in the middle of every layer of the image ref
// where the registry stores them, keeping their size, so the registry
// serves them without complaint and only the digest tells.
func corruptLayers(t *testing.T, reg *testenv.Registry, ref string) {
	t.Helper()
	crane := testenv.RequireTool(t, "crane")
	var m v1.Manifest
	if err := json.Unmarshal([]byte(testenv.Run(t, "", crane, "manifest", "--insecure", ref)), &m); err != nil {
		t.Fatal(err)
	}
	for _, l := range m.Layers {
		data := filepath.Join(reg.DataDir, "docker", "registry", "v2", "blobs", "sha256", l.Digest.Hex[:2], l.Digest.Hex, "data")
		raw, err := os.ReadFile(data)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(raw) / 2; i < len(raw)/2+16 && i < len(raw); i++ {
			raw[i] ^= 0xff
		}
		if err := os.WriteFile(data, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
