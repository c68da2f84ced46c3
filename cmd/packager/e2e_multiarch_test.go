package main

import (
	"debug/elf"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// indexManifest is the part of an image index these tests read.
type indexManifest struct {
	MediaType string `json:"mediaType"`
	Manifests []struct {
		Digest   string `json:"digest"`
		Platform struct {
			OS           string `json:"os"`
			Architecture string `json:"architecture"`
			Variant      string `json:"variant"`
		} `json:"platform"`
	} `json:"manifests"`
}

func craneIndex(t *testing.T, ref string) indexManifest {
	t.Helper()
	raw := testenv.Run(t, "", testenv.RequireTool(t, "crane"), "manifest", "--insecure", ref)
	var im indexManifest
	if err := json.Unmarshal([]byte(raw), &im); err != nil {
		t.Fatalf("crane manifest %s: %v\n%s", ref, err, raw)
	}
	return im
}

func (im indexManifest) platforms() []string {
	var out []string
	for _, m := range im.Manifests {
		p := m.Platform.OS + "/" + m.Platform.Architecture
		if m.Platform.Variant != "" {
			p += "/" + m.Platform.Variant
		}
		out = append(out, p)
	}
	return out
}

// TestMultiArchPush: two platforms become one index in docker-registry; each
// platform pulls on its own with skopeo; amd64 runs under runc, the arm64
// binary is EM_AARCH64 and runs under qemu-aarch64-static.
func TestMultiArchPush(t *testing.T) {
	reg := testenv.StartRegistry(t)
	qemu := testenv.RequireTool(t, "qemu-aarch64-static")
	dir := copyExample(t, "hello")
	repo := reg.Host + "/multi"
	r := mustPackager(t, dir, nil, "build", "--repo", repo, "--platform", "linux/amd64,linux/arm64", ".")
	names, digests := r.refs(t)
	if len(names) != 1 || names[0] != repo+"/app:latest" {
		t.Fatalf("refs %v, want one index %s/app:latest", names, repo)
	}
	im := craneIndex(t, repo+"/app@"+digests[0])
	if im.MediaType != "application/vnd.oci.image.index.v1+json" || strings.Join(im.platforms(), ",") != "linux/amd64,linux/arm64" {
		t.Fatalf("pushed %s with platforms %v", im.MediaType, im.platforms())
	}
	for _, tc := range []struct {
		arch    string
		machine elf.Machine
	}{{"amd64", elf.EM_X86_64}, {"arm64", elf.EM_AARCH64}} {
		out := filepath.Join(t.TempDir(), "oci")
		testenv.Copy(t, "docker://"+repo+"/app:latest", "oci:"+out+":app", "--override-arch", tc.arch)
		b := testenv.Unpack(t, out+":app")
		bin := filepath.Join(b.Dir, "rootfs", "usr", "local", "bin", "app")
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if f.Machine != tc.machine {
			t.Errorf("%s image holds a %v binary", tc.arch, f.Machine)
		}
		var got string
		if tc.arch == "amd64" {
			got = runBundle(t, b)
		} else {
			got = testenv.Run(t, "", qemu, bin, "arm")
		}
		if !strings.Contains(got, "Hello from packager") {
			t.Errorf("%s: output %q", tc.arch, got)
		}
	}
}

// TestMultiArchFiles: a two-platform tarball is an OCI archive skopeo
// reads per platform, and docker load (any version) takes the host's image.
func TestMultiArchFiles(t *testing.T) {
	skopeo := testenv.RequireTool(t, "skopeo")
	dir := copyExample(t, "hello")
	tarball := filepath.Join(t.TempDir(), "multi.tar")
	layoutDir := filepath.Join(t.TempDir(), "oci")
	repo := uniqueRepo(t)
	r := mustPackager(t, dir, nil, "build", "--platform", "linux/amd64,linux/arm64",
		"--tarball", tarball, "--oci-layout", layoutDir, "--repo", repo, "-t", "e2e-multi", ".")
	_, digests := r.refs(t)
	if len(digests) != 2 || digests[0] != digests[1] {
		t.Fatalf("layout and tarball digests differ: %v", digests)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		inspect := testenv.Run(t, "", skopeo, "inspect", "--override-arch", arch, "--config", "oci-archive:"+tarball+":app:e2e-multi")
		if !strings.Contains(inspect, `"architecture": "`+arch+`"`) {
			t.Errorf("oci-archive %s: config %s", arch, inspect)
		}
		testenv.Run(t, "", skopeo, "inspect", "--override-arch", arch, "oci:"+layoutDir+":app:e2e-multi")
	}

	docker := testenv.RequireDocker(t)
	ref := repo + "/app:e2e-multi"
	t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rmi", "-f", ref) })
	testenv.Run(t, "", docker, "load", "-i", tarball)
	if out := testenv.Run(t, "", docker, "run", "--rm", "--network=none", ref, "multi"); !strings.Contains(out, "Hello from packager, multi!") {
		t.Errorf("docker run: %q", out)
	}
}

// TestIndexCreate: per-platform pushes (one CI runner each) merge into one
// index without a rebuild; the index points at exactly the pushed images.
func TestIndexCreate(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := copyExample(t, "hello")
	repo := reg.Host + "/fanout"
	byArch := map[string]string{}
	for _, arch := range []string{"amd64", "arm64"} {
		r := mustPackager(t, dir, nil, "build", "--repo", repo, "--platform", "linux/"+arch, "-t", "ci-"+arch, ".")
		_, digests := r.refs(t)
		byArch[arch] = digests[0]
	}
	r := mustPackager(t, dir, nil, "index", "create", repo+"/app:v1",
		"--from", repo+"/app@"+byArch["amd64"], "--from", repo+"/app:ci-arm64")
	names, digests := r.refs(t)
	if len(names) != 1 || names[0] != repo+"/app:v1" {
		t.Fatalf("refs %v", names)
	}
	im := craneIndex(t, repo+"/app@"+digests[0])
	if strings.Join(im.platforms(), ",") != "linux/amd64,linux/arm64" {
		t.Fatalf("platforms %v", im.platforms())
	}
	for i, arch := range []string{"amd64", "arm64"} {
		if im.Manifests[i].Digest != byArch[arch] {
			t.Errorf("%s entry %s, pushed %s", arch, im.Manifests[i].Digest, byArch[arch])
		}
	}

	bad := packager(t, dir, nil, "index", "create", repo+"/app:v2", "--from", repo+"/app:ci-amd64", "--from", repo+"/app@"+byArch["amd64"])
	if bad.code != 1 || !strings.Contains(bad.stderr, "both have an image for linux/amd64") || bad.stdout != "" {
		t.Errorf("duplicate platform: exit %d stdout %q stderr %q", bad.code, bad.stdout, bad.stderr)
	}
	usage := packager(t, dir, nil, "index", "create", repo+"/app:v2")
	if usage.code != 2 || !strings.Contains(usage.stderr, "--from") {
		t.Errorf("no --from: exit %d stderr %q", usage.code, usage.stderr)
	}
}

// TestDockerOutput: --docker loads into the local daemon with every tag.
func TestDockerOutput(t *testing.T) {
	docker := testenv.RequireDocker(t)
	dir := copyExample(t, "hello")
	repo := uniqueRepo(t)
	r := mustPackager(t, dir, nil, "build", "--docker", "--repo", repo, "-t", "e2e-a", "-t", "e2e-b", ".")
	names, _ := r.refs(t)
	if len(names) != 1 || names[0] != "docker:"+repo+"/app:e2e-a" {
		t.Fatalf("refs %v", names)
	}
	for _, tag := range []string{"e2e-a", "e2e-b"} {
		ref := repo + "/app:" + tag
		t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rmi", "-f", ref) })
		if out := testenv.Run(t, "", docker, "run", "--rm", "--network=none", ref, tag); !strings.Contains(out, "Hello from packager, "+tag+"!") {
			t.Errorf("docker run %s: %q", ref, out)
		}
	}
}

// TestNoChangePush: pushing an unchanged image again uploads nothing but
// the new build's provenance (which records when it ran).
func TestNoChangePush(t *testing.T) {
	reg := testenv.StartRegistry(t)
	// A proxy that injects nothing, to count the pushes' writes.
	var puts atomic.Int64
	proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Match: func(r *http.Request) bool {
		if r.Method == http.MethodPut || r.Method == http.MethodPost || r.Method == http.MethodPatch {
			puts.Add(1)
		}
		return false
	}})
	dir := copyExample(t, "hello")
	args := []string{"build", "--repo", proxy.Host + "/again", "."}
	first := mustPackager(t, dir, nil, args...)
	// The image's layers (hello's binary alone is about 800 kB compressed),
	// not just the attestations, count as uploaded.
	if n := uploadedBytes(t, first.stderr); n < 500_000 {
		t.Fatalf("first push uploaded %d bytes, want the image's layers counted:\n%s", n, first.stderr)
	}
	second := mustPackager(t, dir, nil, append(args, "--provenance=false")...)
	if n := uploadedBytes(t, second.stderr); n != 0 {
		t.Errorf("second push uploaded %d bytes:\n%s", n, second.stderr)
	}
	if first.stdout != second.stdout {
		t.Errorf("digest changed: %s vs %s", first.stdout, second.stdout)
	}
	// With provenance (on by default when pushing): the registry has the
	// first build's statement for this digest, which is kept, so nothing
	// is uploaded and the fallback index does not grow. The SBOM is the
	// same document about the same image, listed in the fallback index:
	// nothing at all is written.
	puts.Store(0)
	third := mustPackager(t, dir, nil, append(args, "-v")...)
	if n := puts.Load(); n != 0 {
		t.Errorf("third push, nothing changed: %d writes (PUT, POST, PATCH) to the registry, want none", n)
	}
	n := -1
	if m := regexp.MustCompile(`uploaded_bytes=([0-9]+)`).FindStringSubmatch(third.stderr); m != nil {
		n, _ = strconv.Atoi(m[1])
	}
	if n != 0 || !strings.Contains(third.stderr, "provenance already") {
		t.Errorf("third push, with provenance: uploaded %d bytes, want 0 and the first provenance kept:\n%s", n, third.stderr)
	}
}

// TestEarlyUploadWithUsedCache: with a layer cache that has been used, a
// changed binary's layer is uploaded while it is compressed, and the push
// then finds it there; a new cache (a fresh CI runner) uploads nothing
// early. Either way the registry ends up with a complete image.
func TestEarlyUploadWithUsedCache(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	dir := writeModule(t, map[string]string{"main.go": versionMain})
	args := []string{"build", "-v", "--repo", reg.Host + "/early", "--sbom", "none", "--provenance=false", "."}
	const early = "uploaded a new layer while compressing it"
	env := []string{"PACKAGER_CACHE_DIR=" + t.TempDir()} // new, not the suite's
	first := mustPackager(t, dir, env, args...)
	if strings.Contains(first.stderr, early) {
		t.Errorf("a new cache uploaded early:\n%s", first.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(strings.Replace(versionMain, `"unset", "unset"`, `"changed", "unset"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	second := mustPackager(t, dir, env, args...)
	if !strings.Contains(second.stderr, early) {
		t.Errorf("a changed binary with a used cache was not uploaded early:\n%s", second.stderr)
	}
	if n := uploadedBytes(t, second.stderr); n < 100_000 {
		t.Errorf("the early upload is not counted: uploaded_bytes=%d", n)
	}
	names, _ := second.refs(t)
	testenv.Run(t, "", crane, "validate", "--remote", names[0])
}

// uploadedBytes reads the uploaded_bytes=N field of the one "published"
// log line for the registry; the field may end the line.
func uploadedBytes(t *testing.T, stderr string) int64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)\buploaded_bytes=(\d+)(\s|$)`).FindAllStringSubmatch(stderr, -1)
	if len(m) != 1 {
		t.Fatalf("want one uploaded_bytes=N field in the log, found %d:\n%s", len(m), stderr)
	}
	n, err := strconv.ParseInt(m[0][1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConcurrentProcessesShareCache: two packager processes building the
// same program into one fresh cache directory at the same time both succeed
// and agree on the digest. Under go test -race the two processes are a
// race-enabled packager too.
//
// Each process reads its packager.yaml from a named pipe, and the test
// writes either pipe only once both processes hold theirs open: neither
// can start building before the other is running, so the two builds
// overlap.
func TestConcurrentProcessesShareCache(t *testing.T) {
	bin := packagerBin
	if testenv.RaceEnabled {
		bin = filepath.Join(t.TempDir(), "packager-race")
		if out, err := exec.Command("go", "build", "-race", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build -race: %v\n%s", err, out)
		}
	}
	dir := copyExample(t, "hello")
	cache := []string{"PACKAGER_CACHE_DIR=" + filepath.Join(t.TempDir(), "cache")}
	results := make([]result, 2)
	exited := make(chan int, 2)
	fifos := make([]string, 2)
	for i := range results {
		fifos[i] = filepath.Join(dir, fmt.Sprintf("packager-%d.yaml", i))
		if err := syscall.Mkfifo(fifos[i], 0o600); err != nil {
			t.Fatal(err)
		}
		go func() {
			results[i] = runPackager(t, bin, dir, cache, "build", "-f", fifos[i], "--platform", "linux/amd64,linux/arm64",
				"--oci-layout", filepath.Join(t.TempDir(), "oci"))
			exited <- i
		}()
	}
	// The barrier: opening a pipe for writing returns once its reader has
	// opened it, i.e. once that process is running and waits for its config.
	writers := make([]*os.File, 2)
	for i, p := range fifos {
		opened := make(chan error, 1)
		go func() {
			var err error
			writers[i], err = os.OpenFile(p, os.O_WRONLY, 0)
			opened <- err
		}()
		select {
		case err := <-opened:
			if err != nil {
				t.Fatal(err)
			}
		case j := <-exited:
			t.Fatalf("process %d exited before reading its config: exit %d\n%s", j, results[j].code, results[j].stderr)
		}
	}
	for _, w := range writers {
		if _, err := w.WriteString("images: [{main: .}]\n"); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for range results {
		<-exited
	}
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("process %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	_, a := results[0].refs(t)
	_, b := results[1].refs(t)
	if a[0] != b[0] {
		t.Errorf("digests differ: %s vs %s", a[0], b[0])
	}
}

// TestIndexFlagAndZstd: --index makes an index of one platform, and
// --compression zstd writes zstd layers (what containerd and Docker 23+ read).
func TestIndexFlagAndZstd(t *testing.T) {
	skopeo := testenv.RequireTool(t, "skopeo")
	dir := copyExample(t, "hello")
	out := filepath.Join(t.TempDir(), "oci")
	mustPackager(t, dir, nil, "build", "--index", "--compression", "zstd", "--oci-layout", out, ".")
	raw := testenv.Run(t, "", skopeo, "inspect", "--raw", "oci:"+out+":app:latest")
	var im indexManifest
	if err := json.Unmarshal([]byte(raw), &im); err != nil {
		t.Fatal(err)
	}
	if im.MediaType != "application/vnd.oci.image.index.v1+json" || strings.Join(im.platforms(), ",") != "linux/amd64" {
		t.Fatalf("--index gave %s %v", im.MediaType, im.platforms())
	}
	child, err := os.ReadFile(filepath.Join(out, "blobs", "sha256", strings.TrimPrefix(im.Manifests[0].Digest, "sha256:")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(child), "application/vnd.oci.image.layer.v1.tar+zstd") != 1 { // the base keeps its gzip layer
		t.Errorf("--compression zstd: manifest %s", child)
	}
	r := packager(t, dir, nil, "build", "--compression", "brotli", ".")
	if r.code != 2 || !strings.Contains(r.stderr, "use gzip or zstd") {
		t.Errorf("bad --compression: exit %d %s", r.code, r.stderr)
	}
}

// TestDockerFormat: --format docker gives Docker schema 2 images (and a
// Docker manifest list for several platforms) that docker load runs.
func TestDockerFormat(t *testing.T) {
	dir := copyExample(t, "hello")
	out := filepath.Join(t.TempDir(), "oci")
	r := mustPackager(t, dir, nil, "build", "--format", "docker", "--platform", "linux/amd64,linux/arm64", "--oci-layout", out, ".")
	_, digests := r.refs(t)
	// skopeo's oci: transport reads only OCI manifests from a layout, so the
	// blobs are read directly.
	blob := func(digest string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:")))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var im indexManifest
	if err := json.Unmarshal(blob(digests[0]), &im); err != nil {
		t.Fatal(err)
	}
	if im.MediaType != "application/vnd.docker.distribution.manifest.list.v2+json" {
		t.Fatalf("index media type %s", im.MediaType)
	}
	child := blob(im.Manifests[0].Digest)
	if strings.Contains(string(child), "vnd.oci") || !strings.Contains(string(child), "application/vnd.docker.image.rootfs.diff.tar.gzip") {
		t.Errorf("child manifest is not all Docker media types: %s", child)
	}
	r = packager(t, dir, nil, "build", "--format", "docker", "--compression", "zstd", ".")
	if r.code != 2 || !strings.Contains(r.stderr, "no zstd layer") {
		t.Errorf("docker + zstd: exit %d %s", r.code, r.stderr)
	}

	docker := testenv.RequireDocker(t)
	tarball := filepath.Join(t.TempDir(), "app.tar")
	repo := uniqueRepo(t)
	mustPackager(t, dir, nil, "build", "--format", "docker", "--tarball", tarball, "--repo", repo, "-t", "e2e-docker-format", ".")
	ref := repo + "/app:e2e-docker-format"
	t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rmi", "-f", ref) })
	testenv.Run(t, "", docker, "load", "-i", tarball)
	if out := testenv.Run(t, "", docker, "run", "--rm", "--network=none", ref, "format"); !strings.Contains(out, "Hello from packager, format!") {
		t.Errorf("docker run: %q", out)
	}
}

// TestPlatformVariants: arm/v6 and amd64/v3 reach go as GOARM=6 and
// GOAMD64=v3 (go version -m reads it back from the binary), and the index
// records each variant.
func TestPlatformVariants(t *testing.T) {
	dir := copyExample(t, "hello")
	out := filepath.Join(t.TempDir(), "oci")
	r := mustPackager(t, dir, nil, "build", "--platform", "linux/arm/v6,linux/amd64/v3", "--oci-layout", out, ".")
	_, digests := r.refs(t)
	raw, err := os.ReadFile(filepath.Join(out, "blobs", "sha256", strings.TrimPrefix(digests[0], "sha256:")))
	if err != nil {
		t.Fatal(err)
	}
	var im indexManifest
	if err := json.Unmarshal(raw, &im); err != nil {
		t.Fatal(err)
	}
	if strings.Join(im.platforms(), ",") != "linux/arm/v6,linux/amd64/v3" {
		t.Fatalf("index platforms %v", im.platforms())
	}
	for _, tc := range []struct{ arch, variant, want string }{{"arm", "v6", "GOARM=6"}, {"amd64", "v3", "GOAMD64=v3"}} {
		layout := filepath.Join(t.TempDir(), "one")
		testenv.Copy(t, "oci:"+out+":app:latest", "oci:"+layout+":app", "--override-arch", tc.arch, "--override-variant", tc.variant)
		b := testenv.Unpack(t, layout+":app")
		info := testenv.Run(t, "", "go", "version", "-m", filepath.Join(b.Dir, "rootfs", "usr", "local", "bin", "app"))
		if !strings.Contains(info, tc.want) {
			t.Errorf("%s binary lacks %s:\n%s", tc.arch, tc.want, info)
		}
	}
}

// TestDockerOutputNoDaemon: --docker without a reachable daemon says so.
func TestDockerOutputNoDaemon(t *testing.T) {
	dir := copyExample(t, "hello")
	r := packager(t, dir, []string{"DOCKER_HOST=unix://" + filepath.Join(t.TempDir(), "no.sock")}, "build", "--docker", ".")
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "is the Docker daemon running and DOCKER_HOST right?") {
		t.Errorf("exit %d stdout %q stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}
