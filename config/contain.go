package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// fileRoot is the directory every files: source must stay inside: the root
// of the module packager.yaml belongs to (the nearest directory at or above
// it with a go.mod), or the directory of packager.yaml when there is none.
// A build copies project files into an image; a path leaving the project
// (/etc/shadow, ~/.ssh, a symlink to either) is far more likely a mistake or
// a hostile config than an intent.
type fileRoot struct {
	dir    string // as found, for messages
	real   string // dir with symlinks resolved, for comparisons
	module bool   // dir has a go.mod
}

// root finds the fileRoot once per resolver.
func (r *resolver) root() fileRoot {
	if r.fileRoot != nil {
		return *r.fileRoot
	}
	fr := fileRoot{dir: r.f.baseDir}
	for d := r.f.baseDir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && st.Mode().IsRegular() {
			fr.dir, fr.module = d, true
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	fr.real = fr.dir
	if real, err := filepath.EvalSymlinks(fr.dir); err == nil {
		fr.real = real
	}
	r.fileRoot = &fr
	return fr
}

func (fr fileRoot) String() string {
	if fr.module {
		return "the module " + fr.dir
	}
	return fr.dir + " (the directory of packager.yaml; there is no go.mod above it)"
}

// checkInside says what is wrong when src (as written) leaves the root,
// lexically or through a symlink. A source that does not exist is left to
// checkSource.
func (r *resolver) checkInside(src string) string {
	fr := r.root()
	const fix = "; copy the file into the project, since packager adds only files of the project to images"
	abs := localPath(r.f.baseDir, src)
	if !within(fr.dir, abs) && !within(fr.real, abs) {
		return fmt.Sprintf("src %q is outside %s%s", src, fr, fix)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return ""
	}
	if !within(fr.real, real) {
		return fmt.Sprintf("src %q is a symlink to %s, outside %s%s", src, real, fr, fix)
	}
	return ""
}

// within reports whether p is root or below it, lexically.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// checkOverBinaries reports files: entries of the image e that would
// replace one of its binaries, or put a file where a binary's directory must
// be: the image would silently run something else, or not start.
func (r *resolver) checkOverBinaries(e *entry, files []FileSpec, from string) {
	for i, f := range files {
		if f.Src == "" || checkDst(f.Dst) != "" {
			continue // reported by checkFiles
		}
		src := localPath(r.f.baseDir, f.Src)
		st, err := os.Stat(src)
		if err != nil {
			continue
		}
		dst := path.Clean(f.Dst)
		if !st.IsDir() && strings.HasSuffix(f.Dst, "/") {
			dst = path.Join(dst, filepath.Base(src))
		}
		for _, b := range e.t.Binaries {
			if msg := overBinary(f, src, st.IsDir(), dst, b, e.t.Name); msg != "" {
				r.fileErr(fmt.Sprintf("%s.files[%d].dst", from, i), msg)
				break
			}
		}
	}
}

// overBinary says how copying src (a directory when isDir) to dst collides
// with binary b of image name, or "" when it does not.
func overBinary(f FileSpec, src string, isDir bool, dst string, b Binary, name string) string {
	const fix = "; choose another dst"
	switch {
	case dst == b.Path:
		return fmt.Sprintf("dst %q is where image %s has its binary (from main %s)%s", f.Dst, name, b.Main, fix)
	case strings.HasPrefix(dst, b.Path+"/"):
		return fmt.Sprintf("dst %q is inside %s, where image %s has its binary%s", f.Dst, b.Path, name, fix)
	case !strings.HasPrefix(b.Path, strings.TrimSuffix(dst, "/")+"/"):
		return ""
	case !isDir:
		return fmt.Sprintf("dst %q would be a file where image %s needs the directory of its binary %s%s", f.Dst, name, b.Path, fix)
	}
	rel := strings.TrimPrefix(b.Path, strings.TrimSuffix(dst, "/")+"/")
	p := src
	for _, part := range strings.Split(rel, "/") {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || err != nil {
			return ""
		}
		if !st.IsDir() || p == filepath.Join(src, filepath.FromSlash(rel)) {
			return fmt.Sprintf("copies %s to %s, where image %s has its binary%s, or leave %s out of %s",
				path.Join(filepath.ToSlash(f.Src), rel), b.Path, name, fix, rel, f.Src)
		}
	}
	return ""
}
