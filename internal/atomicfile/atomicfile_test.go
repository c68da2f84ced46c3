package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplaces(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "sub", "f")
	if err := WriteFile(dst, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dst, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil || string(got) != "two" {
		t.Fatalf("read %q, %v", got, err)
	}
	if fi, _ := os.Stat(dst); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	assertOnly(t, filepath.Dir(dst), "f")
}

func TestFailedWriteLeavesOldFile(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "f")
	if err := WriteFile(dst, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(context.Background(), dst, 0o644, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, dst, 0o644, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write after cancel = %v", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "old" {
		t.Errorf("dst = %q, want the old content", got)
	}
	assertOnly(t, filepath.Dir(dst), "f")
}

func TestCommitTo(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "blob"))
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("content"))
	if err := f.CommitTo(filepath.Join(dir, "sha256-abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, dir, "sha256-abc")
}

// assertOnly fails unless dir holds exactly the named entry: no temporary
// file is left behind.
func assertOnly(t *testing.T, dir, name string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != name {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %v, want only %s", dir, names, name)
	}
}
