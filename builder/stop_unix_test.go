//go:build unix

package builder

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestBuildStopsWhenCancelled runs a real go build whose tools hang (via
// -toolexec), cancels it once it is known to be running, and expects Build
// to return promptly with the cancellation and leave nothing behind.
func TestBuildStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	tools := t.TempDir()
	fifo := filepath.Join(tools, "started")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// The first tool go runs announces itself on the fifo, then hangs like a
	// stuck compiler until it is signalled.
	script := filepath.Join(tools, "hang.sh")
	body := "#!/bin/sh\necho started > '" + fifo + "'\nexec sleep 600\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := filepath.Join(t.TempDir(), "hello")
	done := make(chan error, 1)
	go func() {
		pkg := Package{ImportPath: testModule, Dir: dir, Module: testModule}
		done <- Build(ctx, pkg, out, Options{
			Dir: dir, Env: os.Environ(), Platform: linux("amd64"), Flags: []string{"-toolexec=" + script},
		})
	}()

	// Opening the fifo blocks until the script opens it: go build is running.
	f, err := os.Open(fifo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(f).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cancel()

	err = <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Build after cancel: err = %v, want context.Canceled", err)
	}
	assertOnlyFile(t, filepath.Dir(out), "")
}
