package oci

import (
	"io/fs"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// layeredBase returns a scratch-based image with one layer per entry list,
// bottom first.
func layeredBase(t *testing.T, layers ...[]Entry) v1.Image {
	t.Helper()
	img, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	for _, entries := range layers {
		l, err := NewLayer(entries, types.OCILayer, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

func file(p, data string) Entry { return Entry{Path: p, Mode: 0o644, Data: []byte(data)} }

func TestReadBaseFiles(t *testing.T) {
	bottom := []Entry{file("/etc/passwd", "bottom"), file("/etc/group", "g-bottom"), file("/etc/hosts", "h")}
	tests := []struct {
		name   string
		layers [][]Entry
		want   map[string]string // path → contents; absent = missing
	}{
		{"one layer", [][]Entry{bottom}, map[string]string{"/etc/passwd": "bottom", "/etc/group": "g-bottom"}},
		{"upper wins", [][]Entry{bottom, {file("/etc/passwd", "top")}}, map[string]string{"/etc/passwd": "top", "/etc/group": "g-bottom"}},
		{"whiteout", [][]Entry{bottom, {file("/etc/.wh.passwd", "")}}, map[string]string{"/etc/group": "g-bottom"}},
		{"parent whiteout", [][]Entry{bottom, {file("/.wh.etc", "")}}, map[string]string{}},
		{"opaque dir", [][]Entry{bottom, {file("/etc/.wh..wh..opq", ""), file("/etc/group", "g-top")}}, map[string]string{"/etc/group": "g-top"}},
		{"recreated above whiteout", [][]Entry{bottom, {file("/etc/.wh.passwd", "")}, {file("/etc/passwd", "again")}},
			map[string]string{"/etc/passwd": "again", "/etc/group": "g-bottom"}},
		{"symlink", [][]Entry{bottom, {{Path: "/etc/passwd", Mode: fs.ModeSymlink | 0o777, Linkname: "../usr/lib/passwd"}, file("/usr/lib/passwd", "linked")}},
			map[string]string{"/etc/passwd": "linked", "/etc/group": "g-bottom"}},
		{"dangling symlink", [][]Entry{{{Path: "/etc/passwd", Mode: fs.ModeSymlink | 0o777, Linkname: "/nowhere"}}}, map[string]string{}},
		{"symlink loop", [][]Entry{{{Path: "/etc/passwd", Mode: fs.ModeSymlink | 0o777, Linkname: "passwd"}}}, map[string]string{}},
		{"directory", [][]Entry{{{Path: "/etc/passwd", Mode: fs.ModeDir | 0o755}}}, map[string]string{}},
		{"empty file", [][]Entry{{file("/etc/passwd", "")}}, map[string]string{"/etc/passwd": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readBaseFiles(layeredBase(t, tt.layers...), []string{"/etc/passwd", "/etc/group"})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Errorf("got %d files %q, want %q", len(got), got, tt.want)
			}
			for p, w := range tt.want {
				if d, ok := got[p]; !ok || string(d) != w {
					t.Errorf("%s: got %q (present %v), want %q", p, d, ok, w)
				}
			}
		})
	}
}
