package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadTooLarge: Load stops reading at MaxFileSize, so a wrong -f (a huge
// file, /dev/zero) costs 4 MiB of memory, not all of it.
func TestLoadTooLarge(t *testing.T) {
	big := filepath.Join(t.TempDir(), "packager.yaml")
	data := "images: [{main: ./a}]\n" + "#" + strings.Repeat("x", MaxFileSize) + "\n"
	if err := os.WriteFile(big, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{big}
	if runtime.GOOS == "linux" {
		paths = append(paths, "/dev/zero")
	}
	for _, p := range paths {
		_, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), "larger than 4 MiB") {
			t.Errorf("Load(%s) = %v, want an error saying it is larger than 4 MiB", p, err)
		}
	}
	// Exactly at the limit is fine.
	ok := filepath.Join(t.TempDir(), "packager.yaml")
	pad := "images: [{main: ./a}]\n#"
	if err := os.WriteFile(ok, []byte(pad+strings.Repeat("x", MaxFileSize-len(pad))), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ok); err != nil {
		t.Errorf("Load(file of exactly MaxFileSize) = %v", err)
	}
}

func mkfifo(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no named pipes with mkfifo on windows")
	}
	p := filepath.Join(t.TempDir(), "packager.yaml")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadContextFIFO: a named pipe nobody writes to would block Load
// forever; LoadContext returns when ctx is done.
func TestLoadContextFIFO(t *testing.T) {
	p := mkfifo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := LoadContext(ctx, p)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("LoadContext(fifo without writer) = %v, want context.DeadlineExceeded", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("LoadContext(fifo without writer) still blocked 10s after its context ended")
	}
}

// TestLoadContextFIFOWriter: a pipe that is written to, slowly and from a
// writer that opens it after LoadContext started, is read to its end.
func TestLoadContextFIFOWriter(t *testing.T) {
	p := mkfifo(t)
	started := make(chan struct{})
	go func() {
		<-started
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		defer w.Close()
		w.Write([]byte("images:\n"))
		w.Write([]byte("  - main: ./cmd/app\n"))
	}()
	close(started)
	f, err := LoadContext(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Images) != 1 || f.Images[0].Main != "./cmd/app" {
		t.Errorf("LoadContext(fifo) images = %+v, want one with main ./cmd/app", f.Images)
	}
}
