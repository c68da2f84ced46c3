package resolve

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/packager-dev/packager/config"
)

func TestFindAll(t *testing.T) {
	srcs := []Source{
		{Name: "a.yaml", Data: []byte("x: packager://web\ny: ko://example.com/m/cmd/job\n")},
		{Name: "b.yaml", Data: []byte("z: [ko://example.com/m/cmd/job, packager://api]\n---\nw: packager://web\n")},
		{Name: "c.yaml", Data: []byte("nothing: here\n")},
	}
	got, err := FindAll(srcs)
	if want := []string{"packager://web", "ko://example.com/m/cmd/job", "packager://api"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("FindAll = %q, %v; want %q", got, err, want)
	}
	if got, err := FindAll(nil); err != nil || len(got) != 0 {
		t.Errorf("FindAll(nil) = %q, %v; want nothing", got, err)
	}
	_, err = FindAll(append(srcs, Source{Name: "bad.yaml", Data: []byte("a: [\n")}))
	if err == nil || !strings.HasPrefix(err.Error(), "bad.yaml: ") {
		t.Errorf("FindAll(bad) = %v, want an error naming bad.yaml", err)
	}
}

func TestPackages(t *testing.T) {
	refs := []string{"packager://web", "ko://example.com/m/cmd/job", "packager://example.com/m/cmd/job", "packager://./cmd/api"}
	pkgOf, pkgs, err := Packages(refs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"web", "example.com/m/cmd/job", "./cmd/api"}; !slices.Equal(pkgs, want) {
		t.Errorf("packages = %q, want %q (each once, in order)", pkgs, want)
	}
	wantOf := map[string]string{"packager://web": "web", "ko://example.com/m/cmd/job": "example.com/m/cmd/job",
		"packager://example.com/m/cmd/job": "example.com/m/cmd/job", "packager://./cmd/api": "./cmd/api"}
	if !maps.Equal(pkgOf, wantOf) {
		t.Errorf("pkgOf = %v, want %v", pkgOf, wantOf)
	}
	if _, _, err := Packages([]string{"packager://web", "ko://"}); err == nil || !strings.Contains(err.Error(), `"ko://"`) {
		t.Errorf("Packages(ko://) = %v, want Package's error", err)
	}
}

func TestImageNames(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file, err := config.Parse("packager.yaml", dir, []byte(`images:
  - main: ./cmd/api
  - name: web
    main: ./cmd/server
  - name: web-debug
    binaries: [{main: ./cmd/server}, {main: ./cmd/debug}]
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pkgs    []string
		want    map[string]string
		wantErr string
	}{
		{"by directory", []string{"./cmd/api"}, map[string]string{"./cmd/api": "api"}, ""},
		{"by name", []string{"web", "web-debug"}, map[string]string{"web": "web", "web-debug": "web-debug"}, ""},
		{"from the defaults", []string{"./cmd/other"}, map[string]string{"./cmd/other": "other"}, ""},
		{"one package, two images", []string{"./cmd/api", "./cmd/server"}, nil,
			"./cmd/server matches 2 images of packager.yaml (web, web-debug); refer to one by its name, packager://NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ImageNames(file, tt.pkgs)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("ImageNames = %v, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !maps.Equal(got, tt.want) {
				t.Errorf("ImageNames = %v, %v; want %v", got, err, tt.want)
			}
		})
	}

	t.Run("config errors are config's", func(t *testing.T) {
		bad, err := config.Parse("packager.yaml", dir, []byte("platforms: [linux/amd46]\n"))
		if err != nil {
			t.Fatal(err)
		}
		var ce *config.Error
		if _, err := ImageNames(bad, []string{"./cmd/api"}); !errors.As(err, &ce) {
			t.Errorf("ImageNames = %v, want a *config.Error", err)
		}
	})
	t.Run("flag-only", func(t *testing.T) {
		got, err := ImageNames(config.Empty(dir), []string{"./cmd/tool", "example.com/x/v2"})
		if want := map[string]string{"./cmd/tool": "tool", "example.com/x/v2": "x"}; err != nil || !maps.Equal(got, want) {
			t.Errorf("ImageNames = %v, %v; want %v", got, err, want)
		}
	})
}

func TestDigestRef(t *testing.T) {
	const d = "@sha256:0123"
	tests := []struct{ in, want string }{
		{"127.0.0.1:5000/t/web:latest" + d, "127.0.0.1:5000/t/web" + d},
		{"127.0.0.1:5000/t/web" + d, "127.0.0.1:5000/t/web" + d},
		{"ghcr.io/o/a:v1.2" + d, "ghcr.io/o/a" + d},
		{"localhost:5000/x" + d, "localhost:5000/x" + d},
		{"localhost:5000/x:v1", "localhost:5000/x:v1"}, // no digest: as it is
		{"", ""},
	}
	for _, tt := range tests {
		if got := DigestRef(tt.in); got != tt.want {
			t.Errorf("DigestRef(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPinned(t *testing.T) {
	const d = "@sha256:0123"
	refs := []string{"packager://web", "ko://example.com/m/cmd/server", "packager://./cmd/api"}
	pkgOf, _, err := Packages(refs)
	if err != nil {
		t.Fatal(err)
	}
	imageOf := map[string]string{"web": "web", "example.com/m/cmd/server": "web", "./cmd/api": "api"}
	pushed := map[string]string{"web": "r.example/t/web:v1" + d, "api": "r.example/t/api:latest" + d}
	got := Pinned(refs, pkgOf, imageOf, pushed)
	want := map[string]string{"packager://web": "r.example/t/web" + d, "ko://example.com/m/cmd/server": "r.example/t/web" + d,
		"packager://./cmd/api": "r.example/t/api" + d}
	if !maps.Equal(got, want) {
		t.Errorf("Pinned = %v, want %v", got, want)
	}
}
