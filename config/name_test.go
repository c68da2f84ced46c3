package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDeriveName(t *testing.T) {
	tests := []struct{ dir, main, want string }{
		{"/src", "./cmd/hello", "hello"},
		{"/src/api", ".", "api"},
		{"/src/api", "..", "src"},
		{"/src", "./cmd/Hello World/", "hello-world"},
		{"/src", "./cmd/my_tool", "my_tool"},
		{"/src", "./cmd/a..b", "a-b"},
		{"/src", "./cmd/-x-", "x"},
		{"/src", "/abs/tool", "tool"},
		{"/src", "example.com/Org/cmd/Lint", "lint"},
		{"/src", "example.com/tool/v2", "tool"},
		{"/src", "example.com/tool/v1", "v1"}, // not a major version suffix: go build names it v1 too
		{"/src", "example.com/tool/v0", "v0"},
		{"/src", "v2", "v2"},
		{"/src", "./cmd/__", ""},
		{"/", ".", ""},
	}
	for _, tt := range tests {
		if got := deriveName(tt.dir, tt.main); got != tt.want {
			t.Errorf("deriveName(%q, %q) = %q, want %q", tt.dir, tt.main, got, tt.want)
		}
		if got := deriveName(tt.dir, tt.main); got != "" && checkName(got) != "" {
			t.Errorf("deriveName(%q, %q) = %q, which is not a valid name", tt.dir, tt.main, got)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{Source: "packager.yaml", Line: 3, Col: 5, Field: "images[0].user", Msg: "bad"}, "packager.yaml:3:5: images[0].user: bad"},
		{Error{Source: "packager.yaml", Line: 3, Msg: "invalid YAML"}, "packager.yaml:3: invalid YAML"},
		{Error{Source: "--platform", Msg: "unknown"}, "--platform: unknown"},
		{Error{Msg: "no images"}, "no images"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// Inside a module, a directory package is named by its import path, so
// two checkouts in folders with different names give the same image name.
func TestDeriveNameFromImportPath(t *testing.T) {
	for _, tc := range []struct{ module, main, want string }{
		{"example.com/api", ".", "api"},
		{"example.com/tool/v2", ".", "tool"},
		{"example.com/tool/v2", "./cmd/lint", "lint"},
		{"example.com/Svc", "./", "svc"},
	} {
		dir := filepath.Join(t.TempDir(), "checkout-of-"+strings.ReplaceAll(tc.module, "/", "_"))
		if err := os.MkdirAll(filepath.Join(dir, "cmd", "lint"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+tc.module+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := deriveName(dir, tc.main); got != tc.want {
			t.Errorf("module %s, main %s in %s: name %q, want %q", tc.module, tc.main, dir, got, tc.want)
		}
	}
}
