package config

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// tree writes files (path relative to root → contents) under a new
// temporary directory and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestFind(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		from  string // directory to search from, relative to the root
		want  string // "" for none, else relative to the root
	}{
		{"here", []string{"go.mod", "packager.yaml"}, ".", "packager.yaml"},
		{"in the module root", []string{"go.mod", "packager.yaml", "cmd/app/main.go"}, "cmd/app", "packager.yaml"},
		{"nearest wins", []string{"go.mod", "packager.yaml", "cmd/packager.yaml", "cmd/app/main.go"}, "cmd/app", "cmd/packager.yaml"},
		{"not above the module root", []string{"packager.yaml", "mod/go.mod", "mod/cmd/app/main.go"}, "mod/cmd/app", ""},
		{"in the module root next to go.mod", []string{"mod/go.mod", "mod/packager.yaml", "mod/cmd/main.go"}, "mod/cmd", "mod/packager.yaml"},
		{"none", []string{"go.mod", "cmd/app/main.go"}, "cmd/app", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for _, f := range tt.files {
				files[f] = ""
			}
			root := tree(t, files)
			want := ""
			if tt.want != "" {
				want = filepath.Join(root, filepath.FromSlash(tt.want))
			}
			if got := Find(filepath.Join(root, filepath.FromSlash(tt.from))); got != want {
				t.Errorf("Find = %q, want %q", got, want)
			}
		})
	}
}

func TestLoadNearest(t *testing.T) {
	root := tree(t, map[string]string{
		"go.mod":              "module example.com/m\n",
		"packager.yaml":       "images:\n  - main: ./cmd/app\n",
		"cmd/app/main.go":     "package main\n",
		"deploy/other.yaml":   "images:\n  - main: ../cmd/app\n    name: other\n",
		"outside/broken.yaml": "images: [\n",
	})
	tests := []struct {
		name, path, workDir string
		wantSource          string // "" for Empty
		wantImages          int
	}{
		{"found from a subdirectory", "", "cmd/app", "packager.yaml", 1},
		{"relative -f", "deploy/other.yaml", ".", "deploy/other.yaml", 1},
		{"relative -f from a subdirectory", "../../deploy/other.yaml", "cmd/app", "deploy/other.yaml", 1},
		{"absolute -f", filepath.Join(root, "deploy/other.yaml"), "cmd", "deploy/other.yaml", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := LoadNearest(context.Background(), tt.path, filepath.Join(root, tt.workDir))
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(root, filepath.FromSlash(tt.wantSource)); f.Source() != want {
				t.Errorf("Source() = %q, want %q", f.Source(), want)
			}
			if len(f.Images) != tt.wantImages {
				t.Errorf("%d images, want %d", len(f.Images), tt.wantImages)
			}
		})
	}

	t.Run("none: empty", func(t *testing.T) {
		dir := tree(t, map[string]string{"go.mod": "module example.com/n\n"})
		f, err := LoadNearest(context.Background(), "", dir)
		if err != nil || f.Source() != "" || len(f.Images) != 0 {
			t.Errorf("LoadNearest = %+v, %v; want an empty file", f, err)
		}
	})
	t.Run("errors are LoadContext's", func(t *testing.T) {
		_, err := LoadNearest(context.Background(), "outside/broken.yaml", root)
		if err == nil || problems(t, err)[0].Line == 0 {
			t.Errorf("LoadNearest(broken) = %v, want a syntax error with its line", err)
		}
		_, err = LoadNearest(context.Background(), "missing.yaml", root)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("LoadNearest(missing) = %v, want not exist", err)
		}
	})
}
