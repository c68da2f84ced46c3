package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
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
	// main "." takes its name from the import path, example.com/app: "app".
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

// TestReproducible builds examples/hello for linux/amd64 and linux/arm64
// in two folders with different names, with different GOCACHE, HOME,
// packager cache and umask, and expects the same digests, equal to the
// golden ones recorded for the pinned Go version (docs/cli.md
// "Reproducible builds" says what must be held equal).
func TestReproducible(t *testing.T) {
	goVersion := strings.TrimSpace(testenv.Run(t, "", "go", "env", "GOVERSION"))
	golden := readGolden(t)
	// Inside a git checkout the image would carry the commit (go stamps it
	// into the binary, packager into the revision label, and HEAD's time
	// is the created time), changing the golden digest with every commit;
	// the golden is for the source alone, so it is built outside git.
	noVCS := []string{"GOFLAGS=-buildvcs=false"}
	var runs []map[string]string
	for i, c := range []struct{ folder, umask string }{{"app", "022"}, {"checkout-2", "077"}} {
		dir := copyExampleIn(t, "hello", c.folder)
		env := noVCS
		if i > 0 {
			home := t.TempDir()
			env = append(env, "HOME="+home, "GOCACHE="+filepath.Join(home, "gocache"),
				"GOMODCACHE="+filepath.Join(home, "gomodcache"), "PACKAGER_CACHE_DIR="+filepath.Join(home, "packager"))
			for _, f := range []string{"main.go", "go.mod"} {
				if err := os.Chmod(filepath.Join(dir, f), 0o600); err != nil {
					t.Fatal(err)
				}
			}
		}
		args := []string{"-c", `umask "$0"; exec "$@"`, c.umask, packagerBin,
			"build", "--oci-layout", "out", "--platform", "linux/amd64,linux/arm64", "."}
		if r := runPackager(t, "sh", dir, env, args...); r.code != 0 {
			t.Fatalf("packager build in %s: exit %d\n%s", dir, r.code, r.stderr)
		}
		desc, err := oci.Inspect(context.Background(), "oci:"+filepath.Join(dir, "out")+":app:latest")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, img := range desc.Images {
			m[img.Platform] = img.Digest
		}
		runs = append(runs, m)
	}
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		got := runs[0][p]
		if runs[1][p] != got {
			t.Errorf("%s: two builds of the same source: %s (folder app) != %s (folder checkout-2)", p, got, runs[1][p])
		}
		switch want, ok := golden[goVersion+" "+p]; {
		case ok && got != want:
			t.Errorf("examples/hello with %s for %s: digest %s, golden %s (update testdata/golden-digests.txt only for an intended change)", goVersion, p, got, want)
		case !ok && testenv.InCI():
			// Under CI the check must run: a Go version without a golden
			// digest would otherwise let any change to the output pass.
			t.Errorf("CI=true: no golden digest for %s %s in testdata/golden-digests.txt; examples/hello built as %s: add it after checking the change is intended", goVersion, p, got)
		case !ok:
			t.Logf("no golden digest for %s %s; examples/hello built as %s", goVersion, p, got)
		}
	}
}

// TestSourceDateEpoch: SOURCE_DATE_EPOCH moves every timestamp, so the
// digest changes, and stays stable for the same value.
func TestSourceDateEpoch(t *testing.T) {
	noVCS := []string{"GOFLAGS=-buildvcs=false"}
	_, plain := mustPackager(t, copyExample(t, "hello"), noVCS, "build", "--oci-layout", "out", ".").refs(t)
	dir := copyExample(t, "hello")
	epoch := append(noVCS, "SOURCE_DATE_EPOCH=1700000000")
	_, withEpoch := mustPackager(t, dir, epoch, "build", "--oci-layout", "out", ".").refs(t)
	if withEpoch[0] == plain[0] {
		t.Errorf("SOURCE_DATE_EPOCH did not change the digest %s", plain[0])
	}
	skopeo := testenv.RequireTool(t, "skopeo")
	if cfg := testenv.Run(t, "", skopeo, "inspect", "--config", "oci:"+filepath.Join(dir, "out")+":app:latest"); !strings.Contains(cfg, `"created": "2023-11-14T22:13:20Z"`) {
		t.Errorf("image config does not say created 2023-11-14T22:13:20Z:\n%s", cfg)
	}
	if _, again := mustPackager(t, copyExample(t, "hello"), epoch, "build", "--oci-layout", "out", ".").refs(t); again[0] != withEpoch[0] {
		t.Errorf("same SOURCE_DATE_EPOCH, different digests: %s != %s", again[0], withEpoch[0])
	}
}

// copyExampleIn is copyExample into a folder named folder.
func copyExampleIn(t *testing.T, name, folder string) string {
	t.Helper()
	dir := copyExample(t, name)
	moved := filepath.Join(t.TempDir(), folder)
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	return moved
}

// readGolden reads testdata/golden-digests.txt: "GOVERSION PLATFORM
// DIGEST" lines for examples/hello with the static base, keyed by
// "GOVERSION PLATFORM".
func readGolden(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "golden-digests.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) == 3 && !strings.HasPrefix(line, "#") {
			m[f[0]+" "+f[1]] = f[2]
		}
	}
	return m
}

// TestTarballDockerLoad: --tarball writes a file `docker load` accepts, and
// the loaded image runs under the Docker engine as nonroot.
func TestTarballDockerLoad(t *testing.T) {
	docker := testenv.RequireDocker(t)
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
