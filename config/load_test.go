package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "deploy", "packager.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	data := "images:\n  - main: ./cmd/app\n    dir: ../src\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Targets(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	// dir: is relative to the file's directory, not to where packager runs.
	if want := filepath.Join(root, "src"); len(got) != 1 || got[0].Dir != want || got[0].Name != "app" {
		t.Errorf("Targets = %+v, want one image app in %s", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want fs.ErrNotExist", err)
	}

	bad := filepath.Join(dir, "packager.yaml")
	if err := os.WriteFile(bad, []byte("images:\n  - main: ./a\n    tgas: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	if err == nil || !strings.HasPrefix(err.Error(), bad+":3:5: images[0]: unknown key \"tgas\"; did you mean \"tags\"?") {
		t.Errorf("Load(bad) = %v, want an error naming %s:3:5", err, bad)
	}
}
