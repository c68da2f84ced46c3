package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

// TestRepoFromEnvironment: $PACKAGER_REPO, and ko's $KO_DOCKER_REPO when it
// is unset, push the way --repo does, and the log says which was used.
// Every run sets both variables ("" is unset), so none is inherited from
// the environment the tests run in.
func TestRepoFromEnvironment(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	for _, tc := range []struct {
		pk, ko, want, from string
	}{
		{reg.Host + "/pk", "", reg.Host + "/pk/app:latest", "PACKAGER_REPO"},
		{"", reg.Host + "/ko", reg.Host + "/ko/app:latest", "KO_DOCKER_REPO"},
		{reg.Host + "/both", "nowhere.invalid/ko", reg.Host + "/both/app:latest", "PACKAGER_REPO"}, // PACKAGER_REPO wins
	} {
		env := []string{"PACKAGER_REPO=" + tc.pk, "KO_DOCKER_REPO=" + tc.ko}
		r := mustPackager(t, dir, env, "build", ".")
		names, _ := r.refs(t)
		if len(names) != 1 || names[0] != tc.want {
			t.Errorf("%v: refs %v, want %s", env, names, tc.want)
		}
		if !strings.Contains(r.stderr, "var="+tc.from) {
			t.Errorf("%v: the log does not say the repo came from %s:\n%s", env, tc.from, r.stderr)
		}
	}
	// --repo beats both.
	r := mustPackager(t, dir, []string{"PACKAGER_REPO=nowhere.invalid/x", "KO_DOCKER_REPO=nowhere.invalid/y"}, "build", "--repo", reg.Host+"/flag", ".")
	if names, _ := r.refs(t); len(names) != 1 || names[0] != reg.Host+"/flag/app:latest" {
		t.Errorf("--repo with PACKAGER_REPO and KO_DOCKER_REPO set: refs %v", names)
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
// as ko does, and says so; so does -L (ko's --local).
func TestKoLocal(t *testing.T) {
	docker := testenv.RequireTool(t, "docker")
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	for _, tc := range []struct {
		env  []string
		args []string
		log  string
	}{
		{[]string{"PACKAGER_REPO=", "KO_DOCKER_REPO=ko.local"}, nil, "loading into the local Docker daemon, as KO_DOCKER_REPO=ko.local says"},
		{[]string{"PACKAGER_REPO=", "KO_DOCKER_REPO="}, []string{"-L"}, ""},
		{[]string{"PACKAGER_REPO=", "KO_DOCKER_REPO="}, []string{"--local"}, ""},
	} {
		tag := "kolocal-" + testenv.RandomHex(6)
		r := mustPackager(t, dir, tc.env, append(append([]string{"build", "-t", tag}, tc.args...), ".")...)
		t.Cleanup(func() { testenv.RunErr("", docker, "image", "rm", "app:"+tag) })
		if !strings.HasPrefix(r.stdout, "docker:app:"+tag+"@sha256:") || strings.Count(r.stdout, "\n") != 1 {
			t.Fatalf("%v %v: stdout %q, want one docker: reference", tc.env, tc.args, r.stdout)
		}
		if !strings.Contains(r.stderr, tc.log) {
			t.Errorf("%v: the log does not say %q:\n%s", tc.env, tc.log, r.stderr)
		}
		out := testenv.Run(t, "", docker, "run", "--rm", "app:"+tag)
		if !strings.Contains(out, "hi") {
			t.Errorf("%v %v: docker run printed %q", tc.env, tc.args, out)
		}
	}
}

// TestImageRefsPlain: --image-refs FILE (not .json) holds what stdout
// holds, one image reference per line per output, as ko's flag does;
// the SBOMs and provenance pushed with the images are not listed there.
func TestImageRefsPlain(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	dir := writeModule(t, map[string]string{"cmd/tool/main.go": helloMain, "cmd/other/main.go": helloMain})
	refsFile := filepath.Join(t.TempDir(), "refs.txt")
	layout := filepath.Join(t.TempDir(), "oci")
	r := mustPackager(t, dir, nil, "build", "--repo", reg.Host+"/refs", "-t", "v1", "--oci-layout", layout, "--push",
		"--image-refs", refsFile, "./cmd/tool", "./cmd/other")
	got, err := os.ReadFile(refsFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != r.stdout {
		t.Errorf("--image-refs file:\n%s\nstdout:\n%s", got, r.stdout)
	}
	names, digests := result{stdout: string(got)}.refs(t)
	want := []string{"oci:" + layout, "oci:" + layout, reg.Host + "/refs/tool:v1", reg.Host + "/refs/other:v1"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("--image-refs lines name %v, want %v (each output's images, in order)", names, want)
	}
	for i := 2; i < 4; i++ {
		if d := strings.TrimSpace(testenv.Run(t, "", crane, "digest", names[i])); d != digests[i] {
			t.Errorf("%s is %s in the registry, %s in the file", names[i], d, digests[i])
		}
	}
	if !strings.Contains(testenv.Run(t, "", crane, "ls", reg.Host+"/refs/tool"), "sha256-") {
		t.Errorf("no attachments were pushed; the test cannot show that the file leaves them out")
	}
}

// TestJSON: --json prints one JSON document with every image, its refs
// (one per output), every tag and its platforms' digests, which match the
// registry's and the layout's.
func TestJSON(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	layout := filepath.Join(t.TempDir(), "oci")
	r := mustPackager(t, dir, nil, "build", "--json", "--repo", reg.Host+"/j", "--platform", "linux/amd64,linux/arm64",
		"-t", "v1", "-t", "stable", "--oci-layout", layout, "--push", ".")
	var sum struct {
		Images []struct {
			Name      string
			Refs      []string
			Tags      []string
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
	if len(sum.Images) != 1 || sum.Images[0].Name != "app" || len(sum.Images[0].Refs) != 2 || len(sum.Images[0].Platforms) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	img := sum.Images[0]
	if strings.Join(img.Tags, ",") != "v1,stable" {
		t.Errorf("tags %q, want v1 and stable, as given", img.Tags)
	}
	// Outputs in order: the layout, then the registry (--push).
	ref, digest, _ := strings.Cut(img.Refs[1], "@")
	if ref != reg.Host+"/j/app:v1" || img.Refs[0] != "oci:"+layout+"@"+digest {
		t.Fatalf("refs %q, want the layout's and the registry's, with one digest", img.Refs)
	}
	for _, tag := range img.Tags {
		repoTag := reg.Host + "/j/app:" + tag
		if got := strings.TrimSpace(testenv.Run(t, "", crane, "digest", repoTag)); got != digest {
			t.Errorf("registry has %s for %s, JSON says %s", got, repoTag, digest)
		}
		if d, err := oci.Inspect(context.Background(), "oci:"+layout+":app:"+tag); err != nil || d.Digest != digest {
			t.Errorf("layout's app:%s: %v, want %s", tag, err, digest)
		}
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
		if strings.HasPrefix(a.Ref, reg.Host) { // the layout's are oci:DIR@...
			testenv.Run(t, "", crane, "digest", a.Ref)
		}
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

// TestProgressDuringSlowCompile: each compile is reported on stderr when
// it starts, every 10 s of its own while it runs (a compile that starts
// late, here behind another with -j 1, still says elapsed=10s first), and
// when it ends; -q turns progress off. A -toolexec script makes each
// compile wait 15 s once before running the real tools.
func TestProgressDuringSlowCompile(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"main.go": helloMain, "cmd/two/main.go": helloMain})
	yaml := "images:\n"
	for _, img := range []struct{ name, main string }{{"one", "."}, {"two", "./cmd/two"}} {
		script := filepath.Join(t.TempDir(), "slow-once")
		body := "#!/bin/sh\n[ -e \"$0.started\" ] || { : > \"$0.started\"; sleep 15; }\nexec \"$@\"\n"
		if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
		yaml += fmt.Sprintf("  - name: %s\n    main: %s\n    flags: [\"-toolexec=%s\"]\n", img.name, img.main, script)
	}
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustPackager(t, dir, nil, "build", "-j", "1", "--oci-layout", t.TempDir())
	lines := strings.Split(r.stderr, "\n")
	// at is the index of the first line about image with msg, -1 if none.
	at := func(image, msg string) int {
		return slices.IndexFunc(lines, func(l string) bool {
			return strings.Contains(l, msg) && strings.Contains(l, " image="+image+" ")
		})
	}
	for _, image := range []string{"one", "two"} {
		started, still, built := at(image, "msg=compiling"), at(image, `msg="still compiling"`), at(image, "msg=built")
		if started < 0 || still < started || built < still {
			t.Errorf("%s: want compiling, still compiling and built lines in that order; stderr:\n%s", image, r.stderr)
			continue
		}
		if !strings.Contains(lines[still], "elapsed=10s") {
			t.Errorf("%s: first still compiling line %q, want elapsed=10s of its own compile", image, lines[still])
		}
		if !strings.Contains(lines[built], "package=example.com/app") || !strings.Contains(lines[built], "took=") {
			t.Errorf("%s: built line %q, want its package and how long it took", image, lines[built])
		}
	}
	// With -j 1 one compile ran after the other: the second started late.
	first, second := "one", "two"
	if at("two", "msg=compiling") < at("one", "msg=compiling") {
		first, second = second, first
	}
	if at(second, "msg=compiling") < at(first, "msg=built") {
		t.Errorf("the compiles overlapped with -j 1, so none started late; stderr:\n%s", r.stderr)
	}

	if err := os.WriteFile(filepath.Join(dir, "quick.yaml"), []byte("images:\n  - main: .\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q := packager(t, dir, nil, "build", "-q", "-f", "quick.yaml", "--oci-layout", t.TempDir())
	if q.code != 0 || strings.Contains(q.stderr, "compiling") || strings.Contains(q.stderr, "level=INFO") {
		t.Errorf("-q still logs progress:\n%s", q.stderr)
	}
}

// TestVersion: `packager version` and --version print the module
// version, the commit and its time from the build info, and the Go version.
// The test binary is built without VCS stamping where GOFLAGS says
// -buildvcs=false, and go finds no repository in a git worktree (.git is
// a file there), so a copy of the source is committed to a fresh
// repository, tagged, and built from it with -buildvcs=true.
func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := mustPackager(t, t.TempDir(), nil, args...)
		if !strings.HasPrefix(r.stdout, "packager ") || !strings.Contains(r.stdout, runtime.Version()) {
			t.Errorf("%v: %q", args, r.stdout)
		}
	}

	src := copySource(t)
	commit := gitRepo(t, src, "v0.9.7")
	bin := filepath.Join(t.TempDir(), "packager")
	build := testenvCommand("go", filepath.Join(src, "cmd", "packager"), nil, "build", "-buildvcs=true", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildvcs=true: %v\n%s", err, out)
	}
	want := "packager v0.9.7 commit " + commit[:12] + " (2024-01-02T03:04:05Z) " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if r := runPackager(t, bin, t.TempDir(), nil, args...); r.code != 0 || r.stdout != want {
			t.Errorf("%v: exit %d, %q, want %q", args, r.code, r.stdout, want)
		}
	}
}

// copySource copies packager's source (the files git tracks, and new ones
// it does not ignore) into a fresh directory.
func copySource(t *testing.T) string {
	t.Helper()
	git := testenv.RequireTool(t, "git")
	root := repoRoot(t)
	list, stderr, err := testenv.RunErr(root, git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		testenv.Unavailable(t, "packager's source is not a git checkout: %v %s", err, stderr)
	}
	dst := t.TempDir()
	for _, name := range strings.Split(strings.TrimSuffix(list, "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
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
	dir := writeModule(t, map[string]string{"cmd/tool/main.go": versionMain, "cmd/other/main.go": helloMain})
	r := mustPackager(t, dir, nil, "build", "--repo", reg.Host+"/ko", "--provenance=false", "--sbom", "none",
		"--image-label", "team=payments", "--image-annotation", "org.example.a=b", "--image-user", "1234:1234",
		"--ldflags", "-X main.version=from-flag", "./cmd/tool")
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
	// --ldflags reached the linker: the image's binary says so when run.
	// (go version -m cannot tell: with -trimpath go records no -ldflags.)
	bin := imageFile(t, names[0], "usr/local/bin/tool")
	if out := testenv.Run(t, "", bin); strings.TrimSpace(out) != "version from-flag date unset" {
		t.Errorf("the image's binary prints %q, want version from-flag date unset", out)
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
	// --bare with two images would push both to REPO:latest, the last
	// winning: a usage error before anything is built.
	r = packager(t, dir, nil, "build", "--repo", reg.Host+"/bare2", "--bare", "./cmd/tool", "./cmd/other")
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "--bare pushes to REPO itself, so it takes one image, but this builds 2 (tool, other)") ||
		!strings.Contains(r.stderr, "build one package at a time with --bare, or leave --bare out") {
		t.Errorf("--bare with two packages: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "msg=compiling") {
		t.Errorf("--bare with two packages compiled before failing:\n%s", r.stderr)
	}
}

// imageFile extracts the file at path (no leading slash) from the
// registry image ref and returns where it was written.
func imageFile(t *testing.T, ref, path string) string {
	t.Helper()
	crane := testenv.RequireTool(t, "crane")
	dir := t.TempDir()
	fs := filepath.Join(dir, "fs.tar")
	testenv.Run(t, "", crane, "export", ref, fs)
	testenv.Run(t, dir, "tar", "-xf", fs, path)
	return filepath.Join(dir, path)
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
