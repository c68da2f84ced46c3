package oci

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// tree writes files (path → contents, mode) under a new directory; a
// contents starting with "->" makes a symlink to the rest.
func tree(t *testing.T, files map[string]string, modes map[string]fs.FileMode) string {
	t.Helper()
	root := t.TempDir()
	if err := os.Chmod(root, 0o755); err != nil { // MkdirTemp makes it 0700
		t.Fatal(err)
	}
	for p, data := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(data, "->"); ok {
			if err := os.Symlink(target, full); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode, ok := modes[p]
		if !ok {
			mode = 0o644
		}
		if err := os.WriteFile(full, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(full, mode); err != nil { // not subject to the umask
			t.Fatal(err)
		}
	}
	return root
}

func TestFileEntriesTree(t *testing.T) {
	root := tree(t, map[string]string{
		"config.yaml":      "a: 1",
		"bin/run.sh":       "#!/bin/sh",
		"bin/group-x":      "x",
		"static/index.htm": "<p>",
		"static/current":   "->index.htm",
		"static/up":        "->../config.yaml",
		"static/shared":    "s",
	}, map[string]fs.FileMode{"bin/run.sh": 0o700, "bin/group-x": 0o610, "config.yaml": 0o600, "static/shared": 0o666})
	if err := os.Chmod(filepath.Join(root, "static"), 0o750); err != nil {
		t.Fatal(err)
	}

	got, err := fileEntries(File{Src: root, Dst: "/srv/app", UID: 10, GID: 20})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		path string
		mode fs.FileMode
		link string
	}{
		{"/srv/app", fs.ModeDir | 0o755, ""},
		{"/srv/app/bin", fs.ModeDir | 0o755, ""},
		// Modes on disk are kept, less write for group and others: never
		// more open than on disk.
		{"/srv/app/bin/group-x", 0o610, ""},
		{"/srv/app/bin/run.sh", 0o700, ""},
		{"/srv/app/config.yaml", 0o600, ""},
		{"/srv/app/static", fs.ModeDir | 0o750, ""},
		{"/srv/app/static/current", fs.ModeSymlink | 0o777, "index.htm"},
		{"/srv/app/static/index.htm", 0o644, ""},
		{"/srv/app/static/shared", 0o644, ""},
		{"/srv/app/static/up", fs.ModeSymlink | 0o777, "../config.yaml"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Path != w.path || g.Mode != w.mode || g.Linkname != w.link || g.UID != 10 || g.GID != 20 {
			t.Errorf("entry %d: got %s %v %q %d:%d, want %s %v %q 10:20", i, g.Path, g.Mode, g.Linkname, g.UID, g.GID, w.path, w.mode, w.link)
		}
	}

	mode := fs.FileMode(0o640)
	got, err = fileEntries(File{Src: root, Dst: "/srv/app", Mode: &mode})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range got {
		if e.Mode.IsRegular() && e.Mode != 0o640 || e.Mode.IsDir() && e.Mode != fs.ModeDir|0o755 && e.Path != "/srv/app/static" {
			t.Errorf("with Mode 0640: %s has mode %v", e.Path, e.Mode)
		}
	}

	// A directory copied to / puts its contents at the root.
	got, err = fileEntries(File{Src: filepath.Join(root, "bin"), Dst: "/"})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range got {
		paths = append(paths, e.Path)
	}
	if !slices.Equal(paths, []string{"/group-x", "/run.sh"}) {
		t.Errorf("dst /: %q", paths)
	}
}

func TestFileEntriesSingleFile(t *testing.T) {
	root := tree(t, map[string]string{"app.conf": "x", "link.conf": "->app.conf"}, nil)
	tests := []struct {
		src, dst, want string
	}{
		{"app.conf", "/etc/app.conf", "/etc/app.conf"},
		{"app.conf", "/etc/renamed", "/etc/renamed"},
		{"app.conf", "/etc/app/", "/etc/app/app.conf"},
		{"app.conf", "/", "/app.conf"},
		{"link.conf", "/etc/", "/etc/link.conf"}, // a symlinked Src is followed, as COPY does
	}
	for _, tt := range tests {
		got, err := fileEntries(File{Src: filepath.Join(root, tt.src), Dst: tt.dst, Root: root})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Path != tt.want || got[0].Mode != 0o644 || got[0].Source == "" {
			t.Errorf("%s → %s: got %+v, want one 0644 file at %s", tt.src, tt.dst, got, tt.want)
		}
	}
}

func TestFileEntriesErrors(t *testing.T) {
	root := tree(t, map[string]string{"a": "x"}, nil)
	outRel := tree(t, map[string]string{"a": "x", "sub/esc": "->../../etc/passwd"}, nil)
	outAbs := tree(t, map[string]string{"a": "x", "abs": "->/etc/passwd"}, nil)
	// "up" stays inside as written (deep/d/.. is deep), but deep/d is the
	// root itself, so up resolves to the root's parent.
	outVia := tree(t, map[string]string{"a": "x", "deep/d": "->..", "up": "->deep/d/.."}, nil)
	fifo := tree(t, map[string]string{"a": "x"}, nil)
	// A symlink at the top of Src is followed, so Root is what keeps it in.
	proj := tree(t, map[string]string{"in": "x", "top": "->/etc", "topfile": "->/etc/passwd", "ok": "->in"}, nil)
	if err := syscall.Mkfifo(filepath.Join(fifo, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := fs.ModeDir | 0o755
	tests := []struct {
		name string
		f    File
		want []string
	}{
		{"dotdot dst", File{Src: root, Dst: "../etc"}, []string{`files: dst "../etc" must be an absolute path inside the image with no ".." element`}},
		{"dotdot inside dst", File{Src: root, Dst: "/srv/../etc"}, []string{`with no ".." element`}},
		{"relative dst", File{Src: root, Dst: "srv"}, []string{"absolute"}},
		{"relative src", File{Src: "config", Dst: "/srv"}, []string{`src "config" must be an absolute path`}},
		{"missing src", File{Src: filepath.Join(root, "nope"), Dst: "/srv"}, []string{"nope"}},
		{"symlink out, relative", File{Src: outRel, Dst: "/srv"}, []string{"symlink", "esc", "../../etc/passwd", "outside"}},
		{"symlink out, absolute", File{Src: outAbs, Dst: "/srv"}, []string{"symlink", "abs", "/etc/passwd", "outside"}},
		{"symlink out through another symlink", File{Src: outVia, Dst: "/srv"}, []string{"symlink", "up", "deep/d/..", "outside"}},
		{"named pipe", File{Src: fifo, Dst: "/srv"}, []string{"pipe", "named pipe"}},
		{"symlinked src dir out of root", File{Src: filepath.Join(proj, "top"), Dst: "/srv", Root: proj}, []string{"top", "resolves to /etc, outside " + proj}},
		{"symlinked src file out of root", File{Src: filepath.Join(proj, "topfile"), Dst: "/srv", Root: proj}, []string{"resolves to /etc/passwd, outside"}},
		{"src out of root", File{Src: "/etc/passwd", Dst: "/srv", Root: proj}, []string{"outside " + proj}},
		{"negative uid", File{Src: root, Dst: "/srv", UID: -1}, []string{"negative"}},
		{"type bits in mode", File{Src: root, Dst: "/srv", Mode: &dir}, []string{"permission bits"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fileEntries(tt.f)
			wantErrContains(t, err, tt.want...)
		})
	}
}

// FuzzFileEntriesInside: whatever Src names under a project (links in and
// out, "..", absolute), fileEntries with Root either refuses it or returns
// entries whose sources all resolve inside Root and whose symlinks point
// inside the copied tree.
func FuzzFileEntriesInside(f *testing.F) {
	for _, seed := range []string{"in", "top", "topfile", "ok", "dir", "dir/up", "../x", "/etc", "dir/../top", "."} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		if strings.ContainsRune(rel, 0) {
			return
		}
		proj := tree(t, map[string]string{
			"in": "x", "top": "->/etc", "topfile": "->/etc/passwd", "ok": "->in",
			"dir/a": "a", "dir/up": "->../in", "dir/out": "->../../x",
		}, nil)
		src := filepath.Join(proj, rel)
		if filepath.IsAbs(rel) {
			src = filepath.Clean(rel)
		}
		entries, err := fileEntries(File{Src: src, Dst: "/srv/", Root: proj})
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.Source == "" {
				continue
			}
			real, err := filepath.EvalSymlinks(e.Source)
			if err != nil || !inside(proj, real) {
				t.Errorf("Src %q: entry %s reads %s (%v), outside %s", rel, e.Path, real, err, proj)
			}
		}
	})
}
