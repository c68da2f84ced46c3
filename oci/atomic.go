package oci

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeFileAtomic writes file by calling write on a temporary file in the same
// directory and renaming it over file only when write (and the flush to disk)
// succeeded. On any error, including a cancelled ctx, the temporary file is
// removed and file is left as it was: Ctrl-C never leaves half an artifact.
// The file gets mode 0644 less the umask. A temporary file left by a killed
// process is removed by the next lockOutput of the directory.
func writeFileAtomic(ctx context.Context, file string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create directory for %s: %w", file, err)
	}
	tmp, err := os.CreateTemp(dir, stagingPattern(file))
	if err != nil {
		return fmt.Errorf("create temporary file next to %s: %w", file, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(&ctxWriter{ctx: ctx, w: tmp}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	perm, _, err := outputModes(dir)
	if err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// ctxWriter fails writes once ctx is done, so a long write stops on Ctrl-C.
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
