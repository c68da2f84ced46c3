package testenv

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// InCI reports whether the tests run under CI, where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// RequireTool returns the path of a command the test needs. Outside CI a
// missing command skips the test; under CI it fails it.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, "%s is not installed (scripts/test installs it)", name)
	}
	return p
}

// RequireDocker returns the docker command when a Docker engine answers
// it. Outside CI a missing engine skips the test; under CI it fails it.
func RequireDocker(t testing.TB) string {
	t.Helper()
	docker := RequireTool(t, "docker")
	if _, stderr, err := RunErr("", docker, "info"); err != nil {
		Unavailable(t, "no Docker engine: %v %s", err, stderr)
	}
	return docker
}

// Unavailable skips the test outside CI and fails it under CI.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true: "+format, args...)
	}
	t.Skipf(format, args...)
}

// SkipShort skips a long test under -short, except under CI: there -short
// must not drop a guarantee the suite proves (docs/reliability.md), so the
// test runs anyway. why says what makes the test long.
func SkipShort(t testing.TB, why string) {
	t.Helper()
	if testing.Short() && !InCI() {
		t.Skipf("-short: %s", why)
	}
}

// Run runs a command with a time limit and fails the test if it fails,
// showing its output. It returns stdout.
func Run(t testing.TB, dir, name string, args ...string) string {
	t.Helper()
	out, stderr, err := RunErr(dir, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), err, out, stderr)
	}
	return out
}

// RunErr runs a command with a time limit and returns stdout, stderr and
// the error.
func RunErr(dir, name string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}
