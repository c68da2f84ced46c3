package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// TempMarker is in the name of every temporary file: ".NAME" + TempMarker +
// random. Whoever owns a directory (under its lock) may remove such files
// that a killed process left behind.
const TempMarker = ".packager-tmp-"

// File is a temporary file that becomes its destination on Commit. Write
// to it, then call Commit or Abort exactly once.
type File struct {
	*os.File
	dst string
}

// Create opens a temporary file in dst's directory, creating the directory
// if needed. dst may be decided later: see [File.CommitTo].
func Create(dst string) (*File, error) {
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create directory for %s: %w", dst, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(dst)+TempMarker+"*")
	if err != nil {
		return nil, fmt.Errorf("create temporary file next to %s: %w", dst, err)
	}
	return &File{File: f, dst: dst}, nil
}

// Commit gives the file mode perm, flushes it and renames it over its
// destination. On error the temporary file is removed.
func (f *File) Commit(perm fs.FileMode) error { return f.CommitTo(f.dst, perm) }

// CommitTo is Commit to another destination in the same directory, for
// content-addressed files whose name is known only once written.
func (f *File) CommitTo(dst string, perm fs.FileMode) error {
	err := f.Chmod(perm)
	err = errors.Join(err, f.Sync())
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(f.Name(), dst)
	}
	if err == nil {
		err = syncDir(filepath.Dir(dst))
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return nil
}

// Abort closes and removes the temporary file; the destination is untouched.
func (f *File) Abort() {
	_ = f.Close()
	_ = os.Remove(f.Name())
}

// Write replaces dst with what write produces. write's writer fails once
// ctx is done, so a long write stops on Ctrl-C; then, or on any other
// error, dst is left as it was.
func Write(ctx context.Context, dst string, perm fs.FileMode, write func(io.Writer) error) error {
	f, err := Create(dst)
	if err != nil {
		return err
	}
	if err := write(&ctxWriter{ctx: ctx, w: f}); err != nil {
		f.Abort()
		return err
	}
	if err := ctx.Err(); err != nil {
		f.Abort()
		return err
	}
	return f.Commit(perm)
}

// WriteFile replaces dst with data.
func WriteFile(dst string, data []byte, perm fs.FileMode) error {
	return Write(context.Background(), dst, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// syncDir flushes a directory, so a rename in it is on disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// ctxWriter fails writes once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
