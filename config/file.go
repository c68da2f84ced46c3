package config

import (
	"path/filepath"
	"strings"
)

// Settings are the per-image knobs that may also appear under defaults:. A nil
// slice, empty string or nil Cgo means "not set here", so a default or the
// built-in value applies; see doc.go for how defaults and images merge.
type Settings struct {
	Tags       []string          `yaml:"tags"`
	User       string            `yaml:"user"`
	Entrypoint []string          `yaml:"entrypoint"`
	Args       []string          `yaml:"args"`
	Env        map[string]string `yaml:"env"`
	BuildEnv   map[string]string `yaml:"build_env"`
	Ldflags    []string          `yaml:"ldflags"`
	Flags      []string          `yaml:"flags"`
	Cgo        *bool             `yaml:"cgo"`
}

// Image is one entry of images: as written in the file, before defaults apply.
type Image struct {
	Name     string `yaml:"name"`
	Main     string `yaml:"main"`
	Dir      string `yaml:"dir"`
	Base     string `yaml:"base"`
	Path     string `yaml:"path"`
	Settings `yaml:",inline"`
}

// File is a parsed packager.yaml. It holds what the user wrote; Targets turns it
// into fully-resolved build targets without changing it.
type File struct {
	Repo      string   `yaml:"repo"`
	Platforms []string `yaml:"platforms"`
	Base      string   `yaml:"base"`
	Defaults  Settings `yaml:"defaults"`
	Images    []Image  `yaml:"images"`

	source  string         // file name used in errors; "" for Empty
	baseDir string         // absolute; relative dir: and oci: paths resolve against it
	pos     map[string]Pos // field path ("images[0].tags[1]") -> where its value is written
}

// Empty returns a File with no images (for flag-only builds), baseDir absolute.
func Empty(baseDir string) *File {
	return &File{baseDir: absDir(baseDir), pos: map[string]Pos{}}
}

// absDir makes dir absolute and clean. Callers are asked for absolute paths; this
// only guards against a relative one sneaking through.
func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return filepath.Clean(dir)
}

// has reports whether the user wrote the field at path, which tells "user: \"\""
// apart from no user: at all.
func (f *File) has(path string) bool {
	_, ok := f.pos[path]
	return ok
}

// posOf returns where path is written, or the position of its closest written
// parent: a missing main: is reported at the image that lacks it.
func (f *File) posOf(path string) Pos {
	for path != "" {
		if p, ok := f.pos[path]; ok {
			return p
		}
		path = parentPath(path)
	}
	return Pos{}
}

// parentPath strips the last element of a field path: "images[0].tags[1]" ->
// "images[0].tags" -> "images[0]" -> "images" -> "".
func parentPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// joinPath appends a key to a field path.
func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}
