package oci

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
)

// writeTar writes sorted, complete entries as a tar stream to w. Headers carry
// only what the entries say: no user or group names, no access or change
// times, one modification time for all.
func writeTar(w io.Writer, entries []Entry, mtime time.Time) error {
	tw := tar.NewWriter(w)
	for _, e := range entries {
		if err := writeEntry(tw, e, mtime); err != nil {
			return err
		}
	}
	return tw.Close()
}

func writeEntry(tw *tar.Writer, e Entry, mtime time.Time) error {
	hdr := &tar.Header{
		// Layers name files relative to the root, as docker and containerd write them.
		Name:    strings.TrimPrefix(e.Path, "/"),
		Mode:    tarMode(e.Mode),
		Uid:     e.UID,
		Gid:     e.GID,
		ModTime: mtime,
	}
	var body io.Reader
	switch {
	case e.Mode.IsDir():
		hdr.Typeflag = tar.TypeDir
		hdr.Name += "/"
	case e.Mode&fs.ModeSymlink != 0:
		hdr.Typeflag = tar.TypeSymlink
		hdr.Linkname = e.Linkname
	case e.Source != "":
		f, err := os.Open(e.Source)
		if err != nil {
			return fmt.Errorf("layer entry %s: %w", e.Path, err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return fmt.Errorf("layer entry %s: %w", e.Path, err)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("layer entry %s: source %s is not a regular file", e.Path, e.Source)
		}
		hdr.Typeflag, hdr.Size, body = tar.TypeReg, st.Size(), f
	default:
		hdr.Typeflag, hdr.Size, body = tar.TypeReg, int64(len(e.Data)), bytes.NewReader(e.Data)
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("layer entry %s: %w", e.Path, err)
	}
	if body == nil {
		return nil
	}
	// CopyN, not Copy: a source that grew since Stat must not corrupt the tar.
	if _, err := io.CopyN(tw, body, hdr.Size); err != nil {
		return fmt.Errorf("layer entry %s: read %s: %w", e.Path, e.Source, err)
	}
	return nil
}

// tarMode converts Go's file mode bits to the tar (and Unix) encoding.
func tarMode(m fs.FileMode) int64 {
	mode := int64(m.Perm())
	if m&fs.ModeSetuid != 0 {
		mode |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		mode |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		mode |= 0o1000
	}
	return mode
}
