package builder

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMainPackages(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		want    []string
		wantErr string
	}{
		{
			name: "mains and libraries",
			files: map[string]string{
				"main.go":             "package main\nfunc main() {}\n",
				"cmd/api/main.go":     "package main\nfunc main() {}\n",
				"cmd/worker/main.go":  "package main\nfunc main() {}\n",
				"internal/lib/lib.go": "package lib\n",
			},
			want: []string{"example.com/m", "example.com/m/cmd/api", "example.com/m/cmd/worker"},
		},
		{
			name:  "no main",
			files: map[string]string{"lib.go": "package m\n"},
			want:  nil,
		},
		{
			name: "broken main",
			files: map[string]string{
				"cmd/bad/main.go":  "package main\nfunc main() {}\n",
				"cmd/bad/other.go": "package other\n",
			},
			wantErr: "example.com/m/cmd/bad",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
			for name, content := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := MainPackages(context.Background(), dir, append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off"))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, p := range got {
				paths = append(paths, p.ImportPath)
				if !strings.HasPrefix(p.Dir, dir) {
					t.Errorf("%s: Dir %s not under %s", p.ImportPath, p.Dir, dir)
				}
			}
			if !slices.Equal(paths, tt.want) {
				t.Errorf("MainPackages = %v, want %v", paths, tt.want)
			}
		})
	}
}
