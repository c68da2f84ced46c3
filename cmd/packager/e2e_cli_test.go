package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

// TestRepoFromEnvironment: $PACKAGER_REPO, and ko's $KO_DOCKER_REPO when it
// is unset, push the way --repo does, and the log says which was used.
func TestRepoFromEnvironment(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	for _, tc := range []struct{ env, want string }{
		{"PACKAGER_REPO=" + reg.Host + "/pk", reg.Host + "/pk/app:latest"},
		{"KO_DOCKER_REPO=" + reg.Host + "/ko", reg.Host + "/ko/app:latest"},
	} {
		r := mustPackager(t, dir, []string{tc.env}, "build", ".")
		names, _ := r.refs(t)
		if len(names) != 1 || names[0] != tc.want {
			t.Errorf("%s: refs %v, want %s", tc.env, names, tc.want)
		}
		if v, _, _ := strings.Cut(tc.env, "="); !strings.Contains(r.stderr, "var="+v) {
			t.Errorf("%s: the log does not say where the repo came from:\n%s", tc.env, r.stderr)
		}
	}
	// --repo beats both.
	r := mustPackager(t, dir, []string{"PACKAGER_REPO=nowhere.invalid/x"}, "build", "--repo", reg.Host+"/flag", ".")
	if names, _ := r.refs(t); len(names) != 1 || names[0] != reg.Host+"/flag/app:latest" {
		t.Errorf("--repo with PACKAGER_REPO set: refs %v", names)
	}
}

// TestJobsMustBePositive: -j 0 or less would build nothing or hang; it is a
// usage error before anything starts.
func TestJobsMustBePositive(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	for _, j := range []string{"0", "-5"} {
		r := packager(t, dir, nil, "build", "-j", j, ".")
		if r.code != 2 || !strings.Contains(r.stderr, "-j "+j+": give at least 1") || r.stdout != "" {
			t.Errorf("-j %s: exit %d, stderr:\n%s", j, r.code, r.stderr)
		}
		assertNoOutput(t, dir)
	}
}

// TestPushTimeoutFlag: --push-timeout bounds the push; a registry that
// never answers the manifest PUT ends the build with the message naming
// the flag, well before the 30 s stall timeout would cut the request.
func TestPushTimeoutFlag(t *testing.T) {
	reg := testenv.StartRegistry(t)
	proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{testenv.FaultStall}, StallFor: time.Minute,
		Match: func(r *http.Request) bool {
			return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/manifests/")
		}})
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	r := packager(t, dir, nil, "build", "--repo", proxy.Host+"/slow", "--push-timeout", "2s", ".")
	if r.code != 1 || !strings.Contains(r.stderr, "the push did not finish within 2s (raise the limit with --push-timeout)") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if proxy.Injected(testenv.FaultStall) == 0 {
		t.Error("the proxy stalled nothing")
	}
}

// TestKoLocal: KO_DOCKER_REPO=ko.local loads into the local Docker daemon,
// as ko does.
func TestKoLocal(t *testing.T) {
	docker := testenv.RequireTool(t, "docker")
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	tag := "kolocal-" + testenv.RandomHex(6)
	r := mustPackager(t, dir, []string{"KO_DOCKER_REPO=ko.local"}, "build", "-t", tag, ".")
	t.Cleanup(func() { testenv.RunErr("", docker, "image", "rm", "app:"+tag) })
	if !strings.HasPrefix(r.stdout, "docker:app:"+tag+"@sha256:") {
		t.Fatalf("stdout %q, want a docker: reference", r.stdout)
	}
	out := testenv.Run(t, "", docker, "run", "--rm", "app:"+tag)
	if !strings.Contains(out, "hi") {
		t.Errorf("docker run printed %q", out)
	}
}

// TestJSON: --json prints one JSON document with every image, its refs
// and its platforms' digests, which match the registry's.
func TestJSON(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	r := mustPackager(t, dir, nil, "build", "--json", "--repo", reg.Host+"/j", "--platform", "linux/amd64,linux/arm64", ".")
	var sum struct {
		Images []struct {
			Name      string
			Refs      []string
			Platforms []struct {
				Platform, Digest string
				Size             int64
			}
			Attachments []struct{ Subject, Type, Ref string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if len(sum.Images) != 1 || sum.Images[0].Name != "app" || len(sum.Images[0].Refs) != 1 || len(sum.Images[0].Platforms) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	img := sum.Images[0]
	ref, digest, _ := strings.Cut(img.Refs[0], "@")
	if got := strings.TrimSpace(testenv.Run(t, "", crane, "digest", ref)); got != digest {
		t.Errorf("registry has %s for %s, JSON says %s", got, ref, digest)
	}
	sboms := map[string]bool{}
	for _, p := range img.Platforms {
		got := strings.TrimSpace(testenv.Run(t, "", crane, "digest", "--platform", p.Platform, ref))
		if got != p.Digest || p.Size < 1000 {
			t.Errorf("%s: registry has %s, JSON says %s (size %d)", p.Platform, got, p.Digest, p.Size)
		}
		sboms[p.Digest] = false
	}
	// Pushing attaches an SBOM to each platform's image and provenance to
	// the index; the JSON lists them with references that exist.
	provenance := false
	for _, a := range img.Attachments {
		if _, ok := sboms[a.Subject]; ok && a.Type == "application/spdx+json" {
			sboms[a.Subject] = true
		}
		provenance = provenance || a.Subject == digest && strings.Contains(a.Type, "in-toto")
		testenv.Run(t, "", crane, "digest", a.Ref)
	}
	for d, found := range sboms {
		if !found {
			t.Errorf("no SBOM for %s in the JSON attachments %+v", d, img.Attachments)
		}
	}
	if !provenance {
		t.Errorf("no provenance for the index %s in %+v", digest, img.Attachments)
	}
}

// TestProgressDuringSlowCompile: a compile that runs for a while is
// reported when it starts and every 10 s while it runs, on stderr; -q
// turns progress off.
func TestProgressDuringSlowCompile(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	writeSlowConfig(t, dir, "packager.yaml", "")
	cmd := exec.Command(packagerBin, "build")
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var seen []string
	for lines.Scan() {
		seen = append(seen, lines.Text())
		if strings.Contains(lines.Text(), "msg=\"still compiling\"") {
			break
		}
	}
	if len(seen) < 2 || !strings.Contains(seen[0], "msg=compiling image=app package=.") ||
		!strings.Contains(seen[len(seen)-1], "elapsed=10s") {
		t.Errorf("stderr lines %q, want a compiling line, then still compiling after 10s", seen)
	}
	// Stop it: it holds the cache's lock for this package and platform.
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, stderr) // until packager exits and closes it
	if code := exitCodeOf(cmd.Wait()); code != 130 {
		t.Errorf("exit %d after SIGINT, want 130", code)
	}

	if err := os.WriteFile(filepath.Join(dir, "quick.yaml"), []byte("images:\n  - main: .\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := packager(t, dir, nil, "build", "-q", "-f", "quick.yaml")
	if r.code != 0 || strings.Contains(r.stderr, "compiling") || strings.Contains(r.stderr, "level=INFO") {
		t.Errorf("-q still logs progress:\n%s", r.stderr)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := mustPackager(t, t.TempDir(), nil, args...)
		if !strings.HasPrefix(r.stdout, "packager ") || !strings.Contains(r.stdout, runtime.Version()) {
			t.Errorf("%v: %q", args, r.stdout)
		}
	}
}

// TestConfigFoundFromSubdirectory: `packager build .` in a subdirectory uses
// the module's packager.yaml and the image whose main is that directory,
// with its settings (here: the port and the entrypoint path).
func TestConfigFoundFromSubdirectory(t *testing.T) {
	yaml := "images:\n  - name: api\n    main: ./cmd/api\n    path: /srv/api\n    ports: [\"8080\"]\n"
	dir := writeModule(t, map[string]string{"cmd/api/main.go": helloMain, "packager.yaml": yaml})
	sub := filepath.Join(dir, "cmd", "api")
	layout := filepath.Join(t.TempDir(), "oci")
	r := mustPackager(t, sub, nil, "build", "--oci-layout", layout, ".")
	if !strings.Contains(r.stderr, "using packager.yaml of the module") {
		t.Errorf("the log does not say which packager.yaml was used:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "has no image for this package") {
		t.Errorf("the package matched the api image, but the log says it did not:\n%s", r.stderr)
	}
	// A package the file has no entry for is built with its defaults, and
	// the log says so.
	other := filepath.Join(dir, "cmd", "other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "main.go"), []byte(helloMain), 0o644); err != nil {
		t.Fatal(err)
	}
	r = mustPackager(t, other, nil, "build", "--oci-layout", t.TempDir(), ".")
	if !strings.Contains(r.stderr, "packager.yaml has no image for this package") {
		t.Errorf("building a package packager.yaml has no entry for does not say so:\n%s", r.stderr)
	}
	d, err := oci.Inspect(context.Background(), "oci:"+layout+":api:latest")
	if err != nil {
		t.Fatal(err)
	}
	c := d.Images[0].Config
	if len(c.Entrypoint) != 1 || c.Entrypoint[0] != "/srv/api" || len(c.Ports) != 1 || c.Ports[0] != "8080/tcp" {
		t.Errorf("config %+v, want the api image's path and port from the module's packager.yaml", c)
	}
}

// TestKoFlags: ko's image flags and naming flags mean what they mean in ko.
func TestKoFlags(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	dir := writeModule(t, map[string]string{"cmd/tool/main.go": helloMain})
	r := mustPackager(t, dir, nil, "build", "--repo", reg.Host+"/ko", "--provenance=false", "--sbom", "none",
		"--image-label", "team=payments", "--image-annotation", "org.example.a=b", "--image-user", "1234:1234",
		"--ldflags", "-X main.unused=1", "./cmd/tool")
	names, _ := r.refs(t)
	if len(names) != 1 || names[0] != reg.Host+"/ko/tool:latest" {
		t.Fatalf("refs %v", names)
	}
	cfg := testenv.Run(t, "", crane, "config", names[0])
	if !strings.Contains(cfg, `"team":"payments"`) || !strings.Contains(cfg, `"User":"1234:1234"`) {
		t.Errorf("config %s, want the label and the user", cfg)
	}
	if m := testenv.Run(t, "", crane, "manifest", names[0]); !strings.Contains(m, `"org.example.a":"b"`) {
		t.Errorf("manifest %s, want the annotation", m)
	}
	for _, tc := range []struct{ flag, want string }{
		{"--bare", reg.Host + "/ko:latest"},
		{"-P", reg.Host + "/ko/example.com/app/cmd/tool:latest"},
		{"-B", reg.Host + "/ko/tool:latest"},
	} {
		r := mustPackager(t, dir, nil, "build", "--repo", reg.Host+"/ko", tc.flag, "./cmd/tool")
		if names, _ := r.refs(t); len(names) != 1 || names[0] != tc.want {
			t.Errorf("%s: refs %v, want %s", tc.flag, names, tc.want)
		}
	}
	if r := packager(t, dir, nil, "build", "--bare", "-P", "./cmd/tool"); r.code != 2 {
		t.Errorf("--bare -P: exit %d, want 2", r.code)
	}
}

// TestKilledRunLeavesNothingForLong: after SIGKILL in the middle of a
// compile, the next run removes the staging the killed one left in the
// cache.
func TestKilledRunLeavesNothingForLong(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	writeSlowConfig(t, dir, "slow.yaml", "")
	cache := t.TempDir()
	cmd := exec.Command(packagerBin, "build", "-f", "slow.yaml")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "PACKAGER_CACHE_DIR="+cache)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // to kill go build too
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	for lines.Scan() && !strings.Contains(lines.Text(), "msg=compiling") {
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Wait()
	staging, _ := filepath.Glob(filepath.Join(cache, "tmp", "packager-*"))
	if len(staging) == 0 {
		t.Fatal("the killed run left no staging; the test proves nothing")
	}
	mustPackager(t, dir, []string{"PACKAGER_CACHE_DIR=" + cache}, "build", "--oci-layout", t.TempDir(), ".")
	if left, _ := filepath.Glob(filepath.Join(cache, "tmp", "packager-*")); len(left) != 0 {
		t.Errorf("staging left after the next run: %v", left)
	}
}

// TestLiveProgressOnTerminal: on a terminal (a pty made by util-linux's
// script, with a width set, as a real one has) the build draws a live line
// per image × platform and one for the push, instead of log lines.
func TestLiveProgressOnTerminal(t *testing.T) {
	script := testenv.RequireTool(t, "script")
	reg := testenv.StartRegistry(t)
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	command := fmt.Sprintf("stty cols 160 rows 40; %s build --repo %s/tty --platform linux/amd64,linux/arm64 .", packagerBin, reg.Host)
	out := testenv.Run(t, dir, script, "-qec", command, "/dev/null")
	screen := regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`).ReplaceAllString(out, "")
	for _, want := range []string{"app linux/amd64", "app linux/arm64", "built ", "registry", "published 1 images", "uploaded", reg.Host + "/tty/app:latest@sha256:"} {
		if !strings.Contains(screen, want) {
			t.Errorf("terminal shows no %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "level=INFO") {
		t.Errorf("log lines on a terminal, where the live display should be:\n%s", screen)
	}
}
