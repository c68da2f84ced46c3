package oci

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// File copies a file or directory tree from disk into the image, like a
// Dockerfile COPY.
type File struct {
	Src string // absolute path on disk of a file or directory
	// Dst is the absolute path in the image. A directory Src becomes Dst
	// itself; a file Src becomes Dst, or goes into Dst when Dst ends in "/".
	Dst string
	// Mode, if set, is the mode of every regular file copied. Otherwise a
	// file or directory keeps its permission bits on disk without write
	// for group and others (mode & 0755): a 0600 secret stays 0600, and the
	// common umasks 022 and 002 give the same image. Nothing is ever made
	// more accessible than it is on disk, and setuid, setgid and sticky
	// come only from Mode. Directories always keep their own bits.
	Mode     *fs.FileMode
	UID, GID int // owner of everything copied, Dst included
	// Root, if set, is a directory Src must stay inside once symlinks are
	// resolved (the module root): a Src that is, or passes through, a
	// symlink leading out of it is refused, as a link inside a copied tree is.
	Root string
}

// keptBits are the permission bits a file keeps from disk when File.Mode
// is not set.
const keptBits fs.FileMode = 0o755

// checkFile checks what can be checked without reading the disk.
func checkFile(f File) error {
	switch {
	case f.Src == "":
		return fmt.Errorf("files: an entry has no src; name a file or directory on disk")
	case !filepath.IsAbs(f.Src):
		return fmt.Errorf("files: src %q must be an absolute path", f.Src)
	case !path.IsAbs(f.Dst) || hasDotDot(f.Dst):
		return fmt.Errorf("files: dst %q must be an absolute path inside the image with no \"..\" element", f.Dst)
	case f.UID < 0 || f.GID < 0:
		return fmt.Errorf("files: %s: uid and gid must not be negative", f.Dst)
	case f.Mode != nil && *f.Mode&fs.ModeType != 0:
		return fmt.Errorf("files: %s: mode %v must be permission bits (and setuid, setgid or sticky), e.g. 0o644", f.Dst, *f.Mode)
	}
	return nil
}

// fileEntries walks f.Src and returns the layer entries it becomes. Regular
// files are streamed from disk when the layer is written.
func fileEntries(f File) ([]Entry, error) {
	if err := checkFile(f); err != nil {
		return nil, err
	}
	st, err := os.Stat(f.Src) // follows a symlinked Src, as COPY does
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	if err := checkSrcInside(f); err != nil {
		return nil, err
	}
	if !st.IsDir() {
		dst := f.Dst
		if strings.HasSuffix(dst, "/") {
			dst = path.Join(dst, filepath.Base(f.Src))
		}
		e, err := fileEntry(f, f.Src, path.Clean(dst), st)
		if err != nil {
			return nil, err
		}
		return []Entry{e}, nil
	}
	root, err := filepath.EvalSymlinks(f.Src)
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	dstRoot := path.Clean(f.Dst)
	var entries []Entry
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("files: %w", err)
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		dst := path.Join(dstRoot, filepath.ToSlash(rel))
		if dst == "/" {
			return nil // the image root is not an entry; its contents are
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("files: %w", err)
		}
		e, err := fileEntry(f, p, dst, info)
		if err != nil {
			return err
		}
		if e.Mode&fs.ModeSymlink != 0 {
			if err := checkLinkInside(root, p, e.Linkname); err != nil {
				return err
			}
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// fileEntry is the entry for one file, directory or symlink at p on disk.
func fileEntry(f File, p, dst string, info fs.FileInfo) (Entry, error) {
	e := Entry{Path: dst, UID: f.UID, GID: f.GID}
	switch m := info.Mode(); {
	case m.IsDir():
		e.Mode = fs.ModeDir | m.Perm()&keptBits
	case m&fs.ModeSymlink != 0:
		target, err := os.Readlink(p)
		if err != nil {
			return e, fmt.Errorf("files: %w", err)
		}
		e.Mode, e.Linkname = fs.ModeSymlink|0o777, target
	case m.IsRegular():
		e.Source = p
		e.Mode = m.Perm() & keptBits
		if f.Mode != nil {
			e.Mode = *f.Mode
		}
	default:
		return e, fmt.Errorf("files: %s is a %s, not a regular file, directory or symlink; leave it out of %s", p, kind(m), f.Src)
	}
	return e, nil
}

// checkLinkInside rejects a symlink at link (on disk, under root) whose
// target leaves root: in the image it would point at whatever the base has
// there, not at what was on disk. Absolute targets count as outside.
//
// The target is checked as written and, when it exists, as the file system
// resolves it: a target that stays inside as written can still leave
// through another symlink on the way (l -> d/.. where d -> ..).
func checkLinkInside(root, link, target string) error {
	if !filepath.IsAbs(target) && inside(root, filepath.Join(filepath.Dir(link), target)) {
		resolved, err := filepath.EvalSymlinks(link)
		if err != nil {
			return nil // dangling inside the tree: nothing on the way leaves it
		}
		realRoot, err := filepath.EvalSymlinks(root)
		if err == nil && inside(realRoot, resolved) {
			return nil
		}
	}
	return fmt.Errorf("files: symlink %s points to %s, outside %s; copy the target instead, or make the link relative and inside the tree", link, target, root)
}

// checkSrcInside refuses a Src that leaves f.Root once symlinks are
// resolved. The config checks this at validation; the build checks again
// because the disk may have changed since.
func checkSrcInside(f File) error {
	if f.Root == "" {
		return nil
	}
	real, err := filepath.EvalSymlinks(f.Src)
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	root, err := filepath.EvalSymlinks(f.Root)
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	if !inside(root, real) {
		return fmt.Errorf("files: src %s resolves to %s, outside %s; copy the file into the project", f.Src, real, f.Root)
	}
	return nil
}

// inside reports whether p is root or below it, lexically.
func inside(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}
