package config

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Settings are the per-image knobs that may also appear under defaults:. A nil
// slice, empty string or nil Cgo means "not set here", so a default or the
// built-in value applies; see doc.go for how defaults and images merge.
type Settings struct {
	Tags        []string          `yaml:"tags"`
	User        string            `yaml:"user"`
	Entrypoint  []string          `yaml:"entrypoint"`
	Args        []string          `yaml:"args"`
	Env         map[string]string `yaml:"env"`
	BuildEnv    map[string]string `yaml:"build_env"`
	Ldflags     []string          `yaml:"ldflags"`
	Flags       []string          `yaml:"flags"`
	Cgo         *bool             `yaml:"cgo"`
	Ports       []string          `yaml:"ports"`
	Workdir     string            `yaml:"workdir"`
	Volumes     []string          `yaml:"volumes"`
	StopSignal  string            `yaml:"stopsignal"`
	Healthcheck *HealthcheckSpec  `yaml:"healthcheck"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
	Files       []FileSpec        `yaml:"files"`
	CACerts     []string          `yaml:"ca_certs"`
	Tzdata      *bool             `yaml:"tzdata"`
}

// HealthcheckSpec is healthcheck: as written. Durations stay text here and are
// parsed by Targets, so a bad one is reported with its position.
type HealthcheckSpec struct {
	Test        []string `yaml:"test"`
	Interval    string   `yaml:"interval"`
	Timeout     string   `yaml:"timeout"`
	StartPeriod string   `yaml:"start_period"`
	Retries     *int     `yaml:"retries"`
}

// FileSpec is one entry of files: as written.
type FileSpec struct {
	Src  string    `yaml:"src"`
	Dst  string    `yaml:"dst"`
	Mode OctalMode `yaml:"mode"`
	UID  *int      `yaml:"uid"`
	GID  *int      `yaml:"gid"`
}

// OctalMode is a file mode as written, 0644 or "0644". It is kept as text
// because YAML reads 0644 as the number 420, and 644 as six hundred and
// forty-four; Targets parses the digits as octal and rejects the ambiguous form.
type OctalMode string

// BinarySpec is one entry of binaries: as written.
type BinarySpec struct {
	Main string `yaml:"main"`
	Path string `yaml:"path"`
}

// Image is one entry of images: as written in the file, before defaults apply.
type Image struct {
	Name      string       `yaml:"name"`
	Main      string       `yaml:"main"`
	Binaries  []BinarySpec `yaml:"binaries"`
	Dir       string       `yaml:"dir"`
	Base      string       `yaml:"base"`
	Path      string       `yaml:"path"`
	Platforms []string     `yaml:"platforms"`
	Settings  `yaml:",inline"`
}

// File is a parsed packager.yaml. It holds what the user wrote; Targets turns it
// into fully-resolved build targets without changing it.
type File struct {
	Repo      string   `yaml:"repo"`
	Platforms []string `yaml:"platforms"`
	Base      string   `yaml:"base"`
	// RemoteCache is the registry repository of the shared Go build cache
	// (docs/remote-cache.md); --remote-cache and $PACKAGER_REMOTE_CACHE win.
	RemoteCache string   `yaml:"remote_cache"`
	Defaults    Settings `yaml:"defaults"`
	Images      []Image  `yaml:"images"`

	source  string         // file name used in errors; "" for Empty
	baseDir string         // absolute; relative dir: and oci: paths resolve against it
	pos     map[string]Pos // field path ("images[0].tags[1]") -> where its value is written
}

// Source is the file f was read from, as passed to Load; "" for Empty.
func (f *File) Source() string { return f.source }

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

// position formats p the way errors do: "packager.yaml:3:5".
func (f *File) position(p Pos) string {
	return fmt.Sprintf("%s:%d:%d", f.source, p.Line, p.Col)
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
