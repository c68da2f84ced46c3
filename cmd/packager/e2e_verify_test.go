package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestVerifyRebuild pushes an image with provenance from a real git
// repository and has packager verify --rebuild it: a match from the
// recorded commit; exit 1 with the created time and the layers named when
// the original build set SOURCE_DATE_EPOCH and the rebuild does not (and a
// match once it does); exit 2 naming the commit to check out after a new
// commit.
func TestVerifyRebuild(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := writeModule(t, map[string]string{
		"main.go":       helloMain,
		"loud.go":       "//go:build loud\n\npackage main\n\nfunc init() { println(\"loud\") }\n",
		"packager.yaml": "images:\n  - main: .\n    env: {GREETING: '{{.Env.GREETING | default \"hi\"}}'}\n",
	})
	commit := gitRepo(t, dir, "v1.0.0")
	env := []string{"SOURCE_DATE_EPOCH=", "GREETING="}
	built := []string{"SOURCE_DATE_EPOCH=", "GREETING=hello"}
	repo := reg.Host + "/v"
	mustPackager(t, dir, built, "build", "--repo", repo, "--platform", "linux/amd64,linux/arm64", ".")
	mustPackager(t, dir, []string{"SOURCE_DATE_EPOCH=1000"}, "build", "--repo", repo, "--tag", "epoch", "--platform", "linux/amd64,linux/arm64", ".")
	flags := []string{"--image-label", "flag=given", "--image-annotation", "note=given", "--image-user", "1234", "--ldflags", "-X main.unused=x"}
	mustPackager(t, dir, built, append([]string{"build", "--repo", repo, "--tag", "flags", "--platform", "linux/amd64", "."}, flags...)...)
	// go's own environment is not recorded: GOFLAGS adds loud.go.
	mustPackager(t, dir, append(built, "GOFLAGS=-tags=loud"), "build", "--repo", repo, "--tag", "goflags", "--platform", "linux/amd64", ".")
	// A linker flag other than -X, -s, -w: recorded, never run by a rebuild.
	mustPackager(t, dir, built, "build", "--repo", repo, "--tag", "linkmode", "--platform", "linux/amd64", "--ldflags", "-linkmode=internal", ".")
	ref := repo + "/app:latest"

	r := mustPackager(t, dir, env, "verify", ref)
	for _, want := range []string{commit, "packager.yaml sha256:", "linux/amd64 linux/arm64", "packages:", "GREETING=hello", "SOURCE_DATE_EPOCH(unset)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("verify without --rebuild does not print %q:\n%s", want, r.stdout)
		}
	}

	// The recorded environment is used, whatever the verifier's is.
	for _, tag := range []string{"latest", "epoch"} {
		r = packager(t, dir, env, "verify", "--rebuild", repo+"/app:"+tag)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "match sha256:") {
			t.Fatalf("verify --rebuild of :%s at the recorded commit: exit %d\nstdout:\n%s\nstderr:\n%s", tag, r.code, r.stdout, r.stderr)
		}
	}

	// The flags laid over packager.yaml are recorded, printed and applied.
	r = mustPackager(t, dir, env, "verify", repo+"/app:flags")
	for _, want := range []string{"--image-label=flag=given", "--image-annotation=note=given", "--image-user=1234", "--ldflags=-X main.unused=x"} {
		if !strings.Contains(r.stdout, "flag:") || !strings.Contains(r.stdout, want) {
			t.Errorf("verify does not print the flag %q:\n%s", want, r.stdout)
		}
	}
	r = packager(t, dir, env, "verify", "--rebuild", repo+"/app:flags")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "match sha256:") {
		t.Fatalf("verify --rebuild of a build with flags: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// What the provenance does not record (go's own environment) shows as
	// a mismatch, layer by layer.
	r = packager(t, dir, env, "verify", "--rebuild", repo+"/app:goflags")
	t.Logf("mismatch report:\n%s", r.stdout)
	if r.code != 1 {
		t.Fatalf("verify --rebuild of a build with GOFLAGS=-tags=loud: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"mismatch", "layer "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("mismatch report does not say %q:\n%s", want, r.stdout)
		}
	}

	r = packager(t, dir, env, "verify", "--rebuild", repo+"/app:linkmode")
	if r.code != 2 || !strings.Contains(r.stderr, `--ldflags "-linkmode=internal"`) || !strings.Contains(r.stderr, "takes only -X NAME=VALUE") ||
		strings.Contains(r.stderr, "rebuilding") {
		t.Errorf("verify --rebuild of a build with --ldflags -linkmode=internal: exit %d, want 2 refusing it before building\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// From an OCI layout: the provenance is found under the fallback name.
	layoutDir := filepath.Join(t.TempDir(), "layout")
	mustPackager(t, dir, env, "build", "--oci-layout", layoutDir, "--provenance", "--platform", "linux/amd64", ".")
	r = packager(t, dir, env, "verify", "--rebuild", "oci:"+layoutDir+":app:latest")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "match sha256:") {
		t.Errorf("verify --rebuild of a layout: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// A changed packager.yaml, uncommitted: the digest and the dirty tree are named.
	yaml := filepath.Join(dir, "packager.yaml")
	if err := os.WriteFile(yaml, []byte("images:\n  - main: .\n    env: {GREETING: bye}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = packager(t, dir, env, "verify", "--rebuild", ref)
	if r.code != 2 || !strings.Contains(r.stderr, "commit or stash") || !strings.Contains(r.stderr, "packager.yaml is sha256:") {
		t.Errorf("verify --rebuild with packager.yaml changed: exit %d, want 2 naming the change\nstderr:\n%s", r.code, r.stderr)
	}
	gitCommitAll(t, dir, "change the greeting")
	r = packager(t, dir, env, "verify", "--rebuild", ref)
	if r.code != 2 || !strings.Contains(r.stderr, fmt.Sprintf("check out %s first", commit)) {
		t.Errorf("verify --rebuild after a new commit: exit %d, want 2 naming %s\nstderr:\n%s", r.code, commit, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("a precondition error printed on stdout: %q", r.stdout)
	}
}

// gitCommitAll commits every change in dir, as gitRepo's commits are made.
func gitCommitAll(t *testing.T, dir, msg string) {
	t.Helper()
	git := testenv.RequireTool(t, "git")
	env := []string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_AUTHOR_DATE=2024-02-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-02-02T03:04:05Z"}
	if out, err := testenvCommand(git, dir, env, "commit", "-q", "-am", msg).CombinedOutput(); err != nil {
		t.Fatalf("git commit: %v\n%s", err, out)
	}
}

// TestKilledVerifyLeavesNothingForLong: verify --rebuild stages its layout
// where builds stage (here, with --no-cache, in $TMPDIR/packager-staging-UID),
// so after SIGKILL in the middle of the rebuild's compile the next run
// removes it; nothing is left in $TMPDIR itself.
func TestKilledVerifyLeavesNothingForLong(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	gitRepo(t, dir, "v1.0.0")
	layout := filepath.Join(t.TempDir(), "layout")
	mustPackager(t, dir, nil, "build", "--oci-layout", layout, "--provenance", "--platform", "linux/amd64", ".")

	// A -toolexec script stands in for a slow compile: it says through a
	// fifo that the rebuild compiles, then blocks.
	fifo := filepath.Join(t.TempDir(), "started")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "slow-tool")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho started > "+fifo+"\nexec sleep 600\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	env := []string{"TMPDIR=" + tmp}
	cmd := testenvCommand(packagerBin, dir, append(env, "GOFLAGS=-toolexec="+script),
		"verify", "--rebuild", "--no-cache", "oci:"+layout+":app:latest")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // to kill go build too
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Opening the fifo for reading blocks until the tool has started.
	if _, err := os.ReadFile(fifo); err != nil {
		t.Fatal(err)
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Wait()

	staging := filepath.Join(tmp, fmt.Sprintf("packager-staging-%d", os.Getuid()))
	killed, _ := filepath.Glob(filepath.Join(staging, "packager-*"))
	if len(killed) < 2 {
		t.Fatalf("the killed verify left %v in %s, want its own staging and its build's; stderr:\n%s", killed, staging, stderr.String())
	}
	mustPackager(t, dir, env, "build", "--no-cache", "--oci-layout", t.TempDir(), ".")
	if left, _ := filepath.Glob(filepath.Join(staging, "*")); len(left) != 0 {
		t.Errorf("staging left after the next run: %v", left)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "packager-*")); len(left) != 1 || left[0] != staging {
		t.Errorf("the killed verify left %v in $TMPDIR", left)
	}
}
