package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// packagerBin is the packager binary built once for the end-to-end tests:
// they run it as a user would, as a separate process.
var packagerBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "packager-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	packagerBin = filepath.Join(dir, "packager")
	// One cache for the whole run, away from the user's: later tests get
	// warm builds, as a developer's machine would.
	os.Setenv("PACKAGER_CACHE_DIR", filepath.Join(dir, "cache"))
	// A temporary directory of this run's own, so that assertNoOutput can
	// tell what this run's packager processes left in $TMPDIR (--no-cache
	// staging) from what other processes on the machine keep there.
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TMPDIR", tmp)
	out, err := exec.Command("go", "build", "-o", packagerBin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build packager: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one packager run produced.
type result struct {
	stdout, stderr string
	code           int
}

// packager runs the packager binary in dir with extra environment.
func packager(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	return runPackager(t, packagerBin, dir, env, args...)
}

// runPackager runs the packager binary bin; it may be called from several
// goroutines (it never fails the test itself).
func runPackager(t *testing.T, bin, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if r.code = exitCodeOf(err); r.code == -1 {
		r.stderr = fmt.Sprintf("run packager: %v", err)
	}
	return r
}

// exitCodeOf is a finished command's exit code, or -1 when it did not run
// or was killed.
func exitCodeOf(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	return -1
}

// mustPackager runs packager and fails the test unless it succeeds.
func mustPackager(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	r := packager(t, dir, env, args...)
	if r.code != 0 {
		t.Fatalf("packager %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

var refLine = regexp.MustCompile(`^(\S+)@(sha256:[0-9a-f]{64})$`)

// refs parses packager's stdout: exactly one "ref@sha256:..." per line and
// nothing else.
func (r result) refs(t *testing.T) (names, digests []string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		m := refLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("stdout line %q is not REF@sha256:DIGEST; stdout:\n%s", line, r.stdout)
		}
		names, digests = append(names, m[1]), append(digests, m[2])
	}
	return names, digests
}

// repoRoot is the module root, where examples/ lives.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// writeModule writes a small module into a fresh directory named "app"
// (so the image is named app wherever the test runs): files maps paths to
// contents; go.mod is added unless given.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "app")
	if _, ok := files["go.mod"]; !ok {
		files["go.mod"] = "module example.com/app\n\ngo 1.26\n"
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// copyExample copies examples/NAME/main.go into a fresh module so a test
// can build it in a directory of its own.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", name, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	return writeModule(t, map[string]string{"main.go": string(src)})
}

// testenvCommand is exec.Command with dir and extra environment.
func testenvCommand(name, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// writeSlowConfig writes packager.yaml-style FILE into dir for an image of
// the module whose go build runs a -toolexec script: it runs first (a
// shell line, e.g. to signal that the compile started, or "") and then
// blocks, standing in for a slow compile until the build is stopped.
func writeSlowConfig(t *testing.T, dir, file, first string) {
	t.Helper()
	script := filepath.Join(t.TempDir(), "slow-tool")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"+first+"\nexec sleep 600\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	yaml := "images:\n  - main: .\n    flags: [\"-toolexec=" + script + "\"]\n"
	if err := os.WriteFile(filepath.Join(dir, file), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
}
