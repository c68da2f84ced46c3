package main

import (
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestCrossPlatform builds for linux/arm64 on this (amd64) host without
// emulation, checks the image's platform and the binary's ELF machine, and
// runs the binary under qemu-aarch64-static.
func TestCrossPlatform(t *testing.T) {
	qemu := testenv.RequireTool(t, "qemu-aarch64-static")
	skopeo := testenv.RequireTool(t, "skopeo")
	dir := copyExample(t, "hello")
	mustPackager(t, dir, nil, "build", "--platform", "linux/arm64", "--oci-layout", "out", ".")

	inspect := testenv.Run(t, "", skopeo, "inspect", "--raw", "--config", "oci:"+filepath.Join(dir, "out")+":app:latest")
	if !strings.Contains(inspect, `"architecture":"arm64"`) || !strings.Contains(inspect, `"os":"linux"`) {
		t.Errorf("image config is not linux/arm64: %s", inspect)
	}
	b := testenv.Unpack(t, filepath.Join(dir, "out")+":app:latest")
	bin := filepath.Join(b.Dir, "rootfs", "usr", "local", "bin", "app")
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 {
		t.Errorf("binary is %v, want EM_AARCH64", f.Machine)
	}
	out := testenv.Run(t, "", qemu, bin, "arm")
	if !strings.Contains(out, "Hello from packager, arm!") {
		t.Errorf("qemu run output %q", out)
	}
}

// TestSelfPackage: the root packager.yaml packages packager itself.
func TestSelfPackage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "oci")
	r := mustPackager(t, repoRoot(t), nil, "build", "--oci-layout", out)
	names, _ := r.refs(t)
	if len(names) != 1 || names[0] != "oci:"+out {
		t.Fatalf("refs %v, want one image in oci:%s", names, out)
	}
	index, err := os.ReadFile(filepath.Join(out, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `"packager:latest"`) {
		t.Errorf("index.json has no packager:latest: %s", index)
	}
}

// TestScratchBase: on scratch the binary runs alone, as nonroot by uid, and
// an HTTPS client finds no CA roots: the classic FROM-scratch mistake the
// static base exists to prevent.
func TestScratchBase(t *testing.T) {
	for _, tc := range []struct{ example, want string }{
		{"hello", "uid=65532"},
		{"https-client", "no CA roots found"},
	} {
		dir := copyExample(t, tc.example)
		mustPackager(t, dir, nil, "build", "--base", "scratch", "--oci-layout", "out", ".")
		b := testenv.Unpack(t, filepath.Join(dir, "out")+":app:latest")
		entries, err := os.ReadDir(filepath.Join(b.Dir, "rootfs", "etc"))
		if err == nil {
			t.Errorf("%s on scratch has /etc: %v", tc.example, entries)
		}
		stdout, stderr, _ := b.Run(t)
		if !strings.Contains(stdout+stderr, tc.want) {
			t.Errorf("%s on scratch: output %q %q lacks %q", tc.example, stdout, stderr, tc.want)
		}
	}
}
