package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// deployYAML has references in every style resolve supports, plus the same
// text in a comment and as a key, which must stay.
const deployYAML = `# The web app. Comments, order and quoting must survive.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # trailing comment
spec:
  template:
    spec:
      containers:
      - name: web
        image: packager://web
        env:
        - name: JOB_IMAGE
          value: "ko://example.com/app/cmd/job"
        - {name: SELF, value: 'packager://web'}
---
# the job; ko://example.com/app/cmd/job in a comment stays
apiVersion: batch/v1
kind: Job
metadata: {name: job, annotations: {"ko://example.com/app/cmd/job": "key stays"}}
spec:
  template:
    spec:
      containers: [{name: job, image: ko://example.com/app/cmd/job}]
`

// resolveModule is a module with two programs; packager.yaml names one of
// them "web", the other is referred to by import path only.
func resolveModule(t *testing.T) string {
	t.Helper()
	return writeModule(t, map[string]string{
		"cmd/web/main.go": helloMain,
		"cmd/job/main.go": strings.Replace(helloMain, `"hi"`, `"job"`, 1),
		"packager.yaml":   "base: scratch\nimages:\n  - name: web\n    main: ./cmd/web\n",
		"deploy.yaml":     deployYAML,
	})
}

var pushedRef = regexp.MustCompile(`127\.0\.0\.1:\d+/t/(web|job)@(sha256:[0-9a-f]{64})`)

// resolvedImages finds the replaced references in resolved YAML, checks
// each against the registry with crane digest, and returns name → ref.
func resolvedImages(t *testing.T, out string) map[string]string {
	t.Helper()
	crane := testenv.RequireTool(t, "crane")
	refs := map[string]string{}
	for _, m := range pushedRef.FindAllStringSubmatch(out, -1) {
		if prev, ok := refs[m[1]]; ok && prev != m[0] {
			t.Errorf("%s resolved to two references: %s and %s", m[1], prev, m[0])
		}
		refs[m[1]] = m[0]
	}
	for name, ref := range refs {
		digest := strings.TrimSpace(testenv.Run(t, "", crane, "digest", ref))
		if want := ref[strings.Index(ref, "@")+1:]; digest != want {
			t.Errorf("crane digest %s = %s", ref, digest)
		}
		tagged := strings.TrimSpace(testenv.Run(t, "", crane, "digest", ref[:strings.Index(ref, "@")]+":latest"))
		if tagged != digest {
			t.Errorf("%s:latest is %s, the YAML says %s", name, tagged, digest)
		}
	}
	if len(refs) != 2 {
		t.Fatalf("resolved images %v, want web and job; output:\n%s", refs, out)
	}
	return refs
}

// wantResolved is deployYAML with the references (and nothing else) replaced.
func wantResolved(refs map[string]string) string {
	return strings.NewReplacer(
		"image: packager://web", "image: "+refs["web"],
		`value: "ko://example.com/app/cmd/job"`, `value: "`+refs["job"]+`"`,
		"value: 'packager://web'", "value: '"+refs["web"]+"'",
		"image: ko://example.com/app/cmd/job}", "image: "+refs["job"]+"}",
	).Replace(deployYAML)
}

// TestResolveRoundTrip: resolve pushes each image once and changes only
// the references, byte for byte, in a multi-document file with comments.
func TestResolveRoundTrip(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := resolveModule(t)
	r := mustPackager(t, dir, nil, "resolve", "--repo", reg.Host+"/t", "-f", "deploy.yaml")
	refs := resolvedImages(t, r.stdout)
	if want := wantResolved(refs); r.stdout != want {
		t.Errorf("resolved YAML differs beyond the references\ngot:\n%s\nwant:\n%s", r.stdout, want)
	}
	for _, image := range []string{"web", "job"} {
		if n := strings.Count(r.stderr, "msg=built image="+image+" "); n != 1 {
			t.Errorf("%s built %d times, want once:\n%s", image, n, r.stderr)
		}
	}
	// Unchanged sources: the same digests again.
	again := mustPackager(t, dir, nil, "resolve", "--repo", reg.Host+"/t", "-f", filepath.Join(dir, "deploy.yaml"))
	if again.stdout != r.stdout {
		t.Errorf("a second resolve gave different YAML:\n%s", again.stdout)
	}
}

// TestResolveDirectoryAndStdin: a directory is its *.yaml and *.yml files
// in name order, joined with ---; - reads stdin.
func TestResolveDirectoryAndStdin(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := resolveModule(t)
	k8s := filepath.Join(dir, "k8s")
	files := map[string]string{
		"b.yml":      "b: packager://web", // no final newline
		"a.yaml":     "# a\na: 'ko://example.com/app/cmd/job'\n",
		"notes.txt":  "x: packager://not-yaml\n",
		"c.yaml.bak": "x: packager://backup\n",
	}
	for name, content := range files {
		if err := os.MkdirAll(k8s, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(k8s, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := mustPackager(t, dir, nil, "resolve", "--repo", reg.Host+"/t", "-f", "k8s")
	refs := resolvedImages(t, r.stdout)
	if want := "# a\na: '" + refs["job"] + "'\n---\nb: " + refs["web"]; r.stdout != want {
		t.Errorf("got\n%q\nwant\n%q", r.stdout, want)
	}

	cmd := testenvCommand(packagerBin, dir, nil, "resolve", "--repo", reg.Host+"/t", "-f", "-")
	cmd.Stdin = strings.NewReader(deployYAML)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("resolve -f -: %v", err)
	}
	if string(out) != wantResolved(refs) {
		t.Errorf("resolve -f - gave\n%s", out)
	}
}

// TestResolveUsageErrors: mistakes exit 2 before anything is built.
func TestResolveUsageErrors(t *testing.T) {
	dir := resolveModule(t)
	for name, content := range map[string]string{
		"block.yaml": "s: |\n  ko://example.com/app/cmd/job\n",
		"two.yaml":   "base: scratch\nimages:\n  - {name: web, main: ./cmd/web}\n  - {name: web-debug, main: ./cmd/web}\n",
		"web.yaml":   "image: packager://./cmd/web\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no -f", []string{"resolve", "--repo", "127.0.0.1:1/t"}, "name the YAML with -f"},
		{"no repo", []string{"resolve", "-f", "deploy.yaml"}, "needs a registry repository"},
		{"ko.local", []string{"resolve", "-f", "deploy.yaml"}, "KO_DOCKER_REPO=ko.local is the Docker daemon"},
		{"output flag", []string{"resolve", "--repo", "127.0.0.1:1/t", "--tarball", "x.tar", "-f", "deploy.yaml"}, "--tarball is for packager build"},
		{"missing file", []string{"resolve", "--repo", "127.0.0.1:1/t", "-f", "nope.yaml"}, "nope.yaml"},
		{"block scalar", []string{"resolve", "--repo", "127.0.0.1:1/t", "-f", "block.yaml"}, "block.yaml: line 1, column 4: ko://example.com/app/cmd/job is in a block scalar"},
		{"stdin twice", []string{"resolve", "--repo", "127.0.0.1:1/t", "-f", "-", "-f", "-"}, "stdin can be read once"},
		{"package of two images", []string{"resolve", "--repo", "127.0.0.1:1/t", "--config", "two.yaml", "-f", "web.yaml"}, "./cmd/web matches 2 images of packager.yaml (web, web-debug); refer to one by its name"},
		{"apply args before --", []string{"apply", "-f", "deploy.yaml", "extra"}, "arguments for kubectl go after --"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := []string{"PACKAGER_REPO=", "KO_DOCKER_REPO="}
			if tc.name == "ko.local" {
				env = append(env, "KO_DOCKER_REPO=ko.local")
			}
			r := packager(t, dir, env, tc.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", r.code, r.stdout, r.stderr, exitUsage, tc.want)
			}
		})
	}
}

// fakeKubectl puts a kubectl on PATH that records its arguments and stdin
// and exits with code (no cluster exists here, so the real one cannot
// apply anything; this tests packager's side of the pipe).
func fakeKubectl(t *testing.T, code string) (path, args, stdin string) {
	t.Helper()
	bin := t.TempDir()
	args, stdin = filepath.Join(bin, "args"), filepath.Join(bin, "stdin")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + args + "\ncat > " + stdin + "\necho kubectl says applied\nexit " + code + "\n"
	if err := os.WriteFile(filepath.Join(bin, "kubectl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin + string(os.PathListSeparator) + os.Getenv("PATH"), args, stdin
}

// TestApply: apply pipes exactly what resolve prints to kubectl apply -f -,
// with the arguments after --, and passes kubectl's output and failure on.
func TestApply(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := resolveModule(t)
	resolved := mustPackager(t, dir, nil, "resolve", "--repo", reg.Host+"/t", "-f", "deploy.yaml").stdout

	path, args, stdin := fakeKubectl(t, "0")
	r := mustPackager(t, dir, []string{"PATH=" + path}, "apply", "--repo", reg.Host+"/t", "-f", "deploy.yaml", "--", "-n", "staging")
	if got := readFile(t, stdin); got != resolved {
		t.Errorf("kubectl got on stdin:\n%s\nwant what resolve prints:\n%s", got, resolved)
	}
	if got := readFile(t, args); got != "apply\n-f\n-\n-n\nstaging\n" {
		t.Errorf("kubectl arguments %q", got)
	}
	if r.stdout != "kubectl says applied\n" {
		t.Errorf("stdout %q, want kubectl's", r.stdout)
	}

	path, _, _ = fakeKubectl(t, "3")
	r = packager(t, dir, []string{"PATH=" + path}, "apply", "--repo", reg.Host+"/t", "-f", "deploy.yaml")
	if r.code != 1 || !strings.Contains(r.stderr, "kubectl apply -f -") || !strings.Contains(r.stderr, "exit status 3") {
		t.Errorf("failing kubectl: exit %d, stderr %s", r.code, r.stderr)
	}
}

// TestApplyWithoutKubectl: no kubectl on PATH is a clear error before
// anything is built.
func TestApplyWithoutKubectl(t *testing.T) {
	dir := resolveModule(t)
	r := packager(t, dir, []string{"PATH=" + t.TempDir()}, "apply", "--repo", "127.0.0.1:1/t", "-f", "deploy.yaml")
	if r.code != 1 || !strings.Contains(r.stderr, "install kubectl") || !strings.Contains(r.stderr, "packager resolve") {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "built") {
		t.Errorf("built before finding kubectl:\n%s", r.stderr)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
