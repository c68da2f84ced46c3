package oci

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/packager-dev/packager/internal/atomicfile"
)

// writeFileAtomic writes file by calling write on a temporary file in the same
// directory and renaming it over file only when write (and the flush to disk)
// succeeded. On any error, including a cancelled ctx, the temporary file is
// removed and file is left as it was: Ctrl-C never leaves half an artifact.
// The file gets mode 0644 less the umask. A temporary file left by a killed
// process is removed by the next lockOutput of the directory.
func writeFileAtomic(ctx context.Context, file string, write func(io.Writer) error) error {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create directory for %s: %w", file, err)
	}
	perm, _, err := outputModes(dir)
	if err != nil {
		return err
	}
	return atomicfile.Write(ctx, file, perm, write)
}
