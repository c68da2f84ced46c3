package config

import (
	"context"
	"os"
	"path/filepath"
)

// FileName is the name Find looks for.
const FileName = "packager.yaml"

// Find looks for packager.yaml in dir and its parents, stopping at the
// module root (the directory with go.mod), so `packager build` in a
// subdirectory uses the module's file; "" when there is none. dir should
// be absolute.
func Find(dir string) string {
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// LoadNearest reads the configuration of a build run in workDir: path when
// it is given (relative to workDir), else the packager.yaml Find finds from
// workDir, else Empty(workDir) for a flag-only build. A file it loads has
// an absolute Source. Its errors are LoadContext's.
func LoadNearest(ctx context.Context, path, workDir string) (*File, error) {
	if path == "" {
		if path = Find(workDir); path == "" {
			return Empty(workDir), nil
		}
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(workDir, path)
	}
	return LoadContext(ctx, path)
}
