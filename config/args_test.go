package config

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestPackageArgs(t *testing.T) {
	root := t.TempDir() // the module
	tests := []struct {
		name      string
		args      []string
		workDir   string // relative to root
		configDir string // relative to root
		want      []string
	}{
		{"same directory", []string{".", "./cmd/app"}, ".", ".", []string{".", "./cmd/app"}},
		{"from a subdirectory", []string{".", "./sub", "../other"}, "cmd", ".", []string{"./cmd", "./cmd/sub", "./other"}},
		{"config below the working directory", []string{"./cmd/app", "."}, ".", "deploy", []string{"../cmd/app", ".."}},
		{"absolute", []string{filepath.Join(root, "cmd", "app")}, "elsewhere", ".", []string{"./cmd/app"}},
		{"import paths unchanged", []string{"example.com/m/cmd/app", "cmd/app"}, "cmd", ".", []string{"example.com/m/cmd/app", "cmd/app"}},
		{"dot-prefixed names that are not paths stay", []string{".hidden"}, "cmd", ".", []string{".hidden"}},
		{"a bare .. is a directory, as for go", []string{".."}, "cmd/app", ".", []string{"./cmd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workDir, configDir := filepath.Join(root, tt.workDir), filepath.Join(root, tt.configDir)
			if got := PackageArgs(tt.args, workDir, configDir); !slices.Equal(got, tt.want) {
				t.Errorf("PackageArgs(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestArgsFromConfigDir(t *testing.T) {
	root := t.TempDir() // the module
	tests := []struct {
		name      string
		pkgs      []string // as recorded, relative to configDir
		workDir   string   // relative to root
		configDir string   // relative to root
		want      []string
	}{
		{"same directory", []string{"./cmd/app"}, ".", ".", []string{"./cmd/app"}},
		{"the directory itself", []string{"."}, ".", ".", []string{"."}},
		{"from a subdirectory", []string{"./cmd/app", "./other"}, "cmd", ".", []string{"./app", "../other"}},
		{"config in a subdirectory", []string{"../cmd/app", "."}, ".", "deploy", []string{"./cmd/app", "./deploy"}},
		{"import paths unchanged", []string{"example.com/m/cmd/app"}, "cmd", "deploy", []string{"example.com/m/cmd/app"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workDir, configDir := filepath.Join(root, tt.workDir), filepath.Join(root, tt.configDir)
			if got := ArgsFromConfigDir(tt.pkgs, workDir, configDir); !slices.Equal(got, tt.want) {
				t.Errorf("ArgsFromConfigDir(%q) = %q, want %q", tt.pkgs, got, tt.want)
			}
		})
	}
}

// TestArgsRoundTrip: ArgsFromConfigDir undoes PackageArgs, up to the
// spelling of the path.
func TestArgsRoundTrip(t *testing.T) {
	root := t.TempDir()
	args := []string{".", "./sub", "../other/x", "example.com/m/cmd/app"}
	for _, dirs := range [][2]string{{".", "."}, {"cmd", "."}, {".", "deploy"}, {"a/b", "c"}} {
		workDir, configDir := filepath.Join(root, dirs[0]), filepath.Join(root, dirs[1])
		back := ArgsFromConfigDir(PackageArgs(args, workDir, configDir), workDir, configDir)
		for i, a := range args {
			if isLocal(a) && filepath.Join(workDir, back[i]) != filepath.Join(workDir, a) || !isLocal(a) && back[i] != a {
				t.Errorf("work %s, config %s: %q came back as %q", dirs[0], dirs[1], a, back[i])
			}
		}
	}
}
