package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestDefaultLayout: with no repo and no output flag, the image lands in
// ./dist/oci, readable by skopeo and runnable, with no registry or daemon.
func TestDefaultLayout(t *testing.T) {
	dir := copyExample(t, "hello")
	r := mustPackager(t, dir, nil, "build", ".")
	names, digests := r.refs(t)
	layout := filepath.Join(dir, "dist", "oci")
	if len(names) != 1 || names[0] != "oci:"+layout {
		t.Fatalf("stdout refs %v, want [oci:%s]", names, layout)
	}
	// main "." takes its name from the directory, "app".
	pulled := filepath.Join(t.TempDir(), "pulled")
	testenv.Copy(t, "oci:"+layout+":app:latest", "oci:"+pulled+":img")
	skopeo := testenv.RequireTool(t, "skopeo")
	inspect := testenv.Run(t, "", skopeo, "inspect", "oci:"+pulled+":img")
	if !strings.Contains(inspect, digests[0]) {
		t.Errorf("skopeo inspect of the copied image does not show digest %s:\n%s", digests[0], inspect)
	}
	out := runBundle(t, testenv.Unpack(t, pulled+":img"))
	if !strings.Contains(out, "uid=65532") {
		t.Errorf("output %q does not show uid 65532", out)
	}
}

// TestReproducible builds the same source in two different directories and
// expects the same digest; for the in-repo hello example it also checks a
// golden digest recorded with the pinned Go version.
func TestReproducible(t *testing.T) {
	var digests []string
	for range 2 {
		dir := copyExample(t, "hello")
		_, d := mustPackager(t, dir, nil, "build", "--oci-layout", "out", ".").refs(t)
		digests = append(digests, d[0])
	}
	if digests[0] != digests[1] {
		t.Errorf("two builds of the same source in different dirs: %s != %s", digests[0], digests[1])
	}

	// SOURCE_DATE_EPOCH moves every timestamp, so the digest changes, and
	// stays stable for the same value.
	dir := copyExample(t, "hello")
	epoch := []string{"SOURCE_DATE_EPOCH=1700000000"}
	_, withEpoch := mustPackager(t, dir, epoch, "build", "--oci-layout", "out", ".").refs(t)
	if withEpoch[0] == digests[0] {
		t.Errorf("SOURCE_DATE_EPOCH did not change the digest %s", digests[0])
	}
	skopeo := testenv.RequireTool(t, "skopeo")
	if cfg := testenv.Run(t, "", skopeo, "inspect", "--config", "oci:"+filepath.Join(dir, "out")+":app:latest"); !strings.Contains(cfg, `"created": "2023-11-14T22:13:20Z"`) {
		t.Errorf("image config does not say created 2023-11-14T22:13:20Z:\n%s", cfg)
	}
	if _, again := mustPackager(t, copyExample(t, "hello"), epoch, "build", "--oci-layout", "out", ".").refs(t); again[0] != withEpoch[0] {
		t.Errorf("same SOURCE_DATE_EPOCH, different digests: %s != %s", again[0], withEpoch[0])
	}

	goVersion := strings.TrimSpace(testenv.Run(t, "", "go", "env", "GOVERSION"))
	golden := readGolden(t)
	out := filepath.Join(t.TempDir(), "oci")
	// Inside a git checkout the image would carry the commit (go stamps it
	// into the binary, packager into the revision label), changing the
	// golden digest with every commit; the golden is for the source alone,
	// so it is built from a copy outside git.
	noVCS := []string{"GOFLAGS=-buildvcs=false"}
	_, d := mustPackager(t, copyExample(t, "hello"), noVCS, "build", "--oci-layout", out, "--platform", "linux/amd64", ".").refs(t)
	want, ok := golden[goVersion]
	switch {
	case ok && d[0] != want:
		t.Errorf("examples/hello with %s: digest %s, golden %s (update testdata/golden-digests.txt only for an intended change)", goVersion, d[0], want)
	case !ok && testenv.InCI():
		// Under CI the check must run: a Go version without a golden digest
		// would otherwise let any change to the output pass unnoticed.
		t.Errorf("CI=true: no golden digest for %s in testdata/golden-digests.txt; examples/hello built as %s: add the line \"%s %s\" after checking the change is intended", goVersion, d[0], goVersion, d[0])
	case !ok:
		t.Logf("no golden digest for %s; examples/hello built as %s", goVersion, d[0])
	}
}

// readGolden reads testdata/golden-digests.txt: "GOVERSION DIGEST" lines
// for examples/hello on linux/amd64 with the static base.
func readGolden(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "golden-digests.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) == 2 && !strings.HasPrefix(line, "#") {
			m[f[0]] = f[1]
		}
	}
	return m
}

// TestTarballDockerLoad: --tarball writes a file `docker load` accepts, and
// the loaded image runs under the Docker engine as nonroot.
func TestTarballDockerLoad(t *testing.T) {
	docker := testenv.RequireTool(t, "docker")
	if _, stderr, err := testenv.RunErr("", docker, "info"); err != nil {
		testenv.Unavailable(t, "no Docker engine: %v %s", err, stderr)
	}
	dir := copyExample(t, "hello")
	tag := "e2e-" + filepath.Base(filepath.Dir(dir))
	tarball := filepath.Join(t.TempDir(), "hello.tar")
	repo := uniqueRepo(t)
	r := mustPackager(t, dir, nil, "build", "--tarball", tarball, "--repo", repo, "-t", tag, ".")
	names, _ := r.refs(t)
	if len(names) != 1 || names[0] != "tarball:"+tarball {
		t.Fatalf("stdout refs %v, want [tarball:%s]", names, tarball)
	}
	ref := repo + "/app:" + tag
	t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rmi", "-f", ref) })
	load := testenv.Run(t, "", docker, "load", "-i", tarball)
	if !strings.Contains(load, ref) {
		t.Errorf("docker load output %q does not name %s", load, ref)
	}
	out := testenv.Run(t, "", docker, "run", "--rm", "--network=none", ref, "docker")
	if !strings.Contains(out, "Hello from packager, docker!") || !strings.Contains(out, "uid=65532") {
		t.Errorf("docker run output %q", out)
	}
}
