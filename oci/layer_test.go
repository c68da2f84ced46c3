package oci

import (
	"io/fs"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

func TestNewLayerContents(t *testing.T) {
	src := writeFile(t, "app", []byte("#!binary\n"))
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 500, time.UTC)
	entries := []Entry{
		{Path: "/usr/local/bin/app", Mode: 0o755, Source: src},
		{Path: "/etc/app/config.yaml", Mode: 0o640, UID: 10, GID: 20, Data: []byte("a: 1\n")},
		{Path: "/usr/bin/app", Mode: fs.ModeSymlink | 0o777, Linkname: "../local/bin/app"},
		{Path: "/var/run/app", Mode: fs.ModeDir | fs.ModeSetgid | 0o750},
		{Path: "/usr/local/bin/suid", Mode: fs.ModeSetuid | 0o4755, Data: []byte{}},
	}
	layer, err := NewLayer(entries, types.OCILayer, mtime)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Layer(layer); err != nil {
		t.Fatal(err)
	}
	names, files := readLayer(t, layer)
	want := []string{
		"etc/", "etc/app/", "etc/app/config.yaml",
		"usr/", "usr/bin/", "usr/bin/app",
		"usr/local/", "usr/local/bin/", "usr/local/bin/app", "usr/local/bin/suid",
		"var/", "var/run/", "var/run/app/",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("entries\n got %q\nwant %q", names, want)
	}
	for _, name := range names {
		h := files[name].hdr
		if !h.ModTime.Equal(mtime.Truncate(time.Second)) || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: mtime %v uname %q gname %q", name, h.ModTime, h.Uname, h.Gname)
		}
	}
	checks := []struct {
		name     string
		mode     int64
		uid, gid int
		data     string
		link     string
	}{
		{"etc/", 0o755, 0, 0, "", ""},
		{"etc/app/config.yaml", 0o640, 10, 20, "a: 1\n", ""},
		{"usr/bin/app", 0o777, 0, 0, "", "../local/bin/app"},
		{"usr/local/bin/app", 0o755, 0, 0, "#!binary\n", ""},
		{"usr/local/bin/suid", 0o4755, 0, 0, "", ""},
		{"var/run/app/", 0o2750, 0, 0, "", ""},
	}
	for _, c := range checks {
		f := files[c.name]
		if f.hdr.Mode != c.mode || f.hdr.Uid != c.uid || f.hdr.Gid != c.gid || string(f.data) != c.data || f.hdr.Linkname != c.link {
			t.Errorf("%s: mode %o uid %d gid %d data %q link %q", c.name, f.hdr.Mode, f.hdr.Uid, f.hdr.Gid, f.data, f.hdr.Linkname)
		}
	}
}

func TestNewLayerDeterministic(t *testing.T) {
	src := writeFile(t, "app", []byte("binary"))
	entries := func() []Entry {
		return []Entry{
			{Path: "/b", Mode: 0o644, Data: []byte("b")},
			{Path: "/a/app", Mode: 0o755, Source: src},
		}
	}
	mtime := time.Unix(1700000000, 0)
	a, err := NewLayer(entries(), types.OCILayer, mtime)
	if err != nil {
		t.Fatal(err)
	}
	reversed := entries()
	slices.Reverse(reversed)
	b, err := NewLayer(reversed, types.OCILayer, mtime)
	if err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, a) != mustDigest(t, b) {
		t.Error("same entries in another order give another digest")
	}
	// Only the file contents matter, not the source's own mtime or name.
	if err := os.Chtimes(src, time.Now(), time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	c, err := NewLayer(entries(), types.OCILayer, mtime)
	if err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, a) != mustDigest(t, c) {
		t.Error("the source file's mtime changed the digest")
	}
	docker, err := NewLayer(entries(), types.DockerLayer, mtime)
	if err != nil {
		t.Fatal(err)
	}
	if mt, _ := docker.MediaType(); mt != types.DockerLayer {
		t.Errorf("media type %s", mt)
	}
}

func TestNewLayerRejects(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		mt      types.MediaType
	}{
		{"relative", []Entry{{Path: "usr/bin/app", Data: []byte("x")}}, types.OCILayer},
		{"root", []Entry{{Path: "/", Mode: fs.ModeDir | 0o755}}, types.OCILayer},
		{"unclean", []Entry{{Path: "/usr//bin/app", Data: []byte("x")}}, types.OCILayer},
		{"trailing slash", []Entry{{Path: "/usr/bin/", Mode: fs.ModeDir | 0o755}}, types.OCILayer},
		{"dotdot", []Entry{{Path: "/../etc/passwd", Data: []byte("x")}}, types.OCILayer},
		{"dot", []Entry{{Path: "/usr/./app", Data: []byte("x")}}, types.OCILayer},
		{"duplicate", []Entry{{Path: "/a", Data: []byte("x")}, {Path: "/a", Data: []byte("y")}}, types.OCILayer},
		{"file parent", []Entry{{Path: "/a", Data: []byte("x")}, {Path: "/a/b", Data: []byte("y")}}, types.OCILayer},
		{"symlink without target", []Entry{{Path: "/a", Mode: fs.ModeSymlink | 0o777}}, types.OCILayer},
		{"data and source", []Entry{{Path: "/a", Data: []byte("x"), Source: "/bin/sh"}}, types.OCILayer},
		{"dir with data", []Entry{{Path: "/a", Mode: fs.ModeDir | 0o755, Data: []byte("x")}}, types.OCILayer},
		{"device", []Entry{{Path: "/dev/null", Mode: fs.ModeDevice | 0o666}}, types.OCILayer},
		{"zstd media type", []Entry{{Path: "/a", Data: []byte("x")}}, types.OCILayerZStd},
		{"missing source", []Entry{{Path: "/a", Source: "/does/not/exist"}}, types.OCILayer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewLayer(tt.entries, tt.mt, time.Unix(0, 0)); err == nil {
				t.Error("NewLayer accepted it")
			}
		})
	}
}
