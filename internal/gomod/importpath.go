package gomod

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// ImportPath works out, without running go, the import path a package
// pattern names when it is a single directory ("./cmd/app", ".", an
// absolute path) inside a module: the module path from the nearest go.mod
// plus the directory below it. A pattern that already is an import path is
// returned as is. ok is false for anything it cannot tell for sure (no
// go.mod, "..." wildcards, a directory outside its module); callers then ask
// go with [Resolve].
func ImportPath(dir, pattern string) (importPath string, ok bool) {
	if pattern == "" || strings.Contains(pattern, "...") {
		return "", false
	}
	local := pattern == "." || pattern == ".." || strings.HasPrefix(pattern, "./") ||
		strings.HasPrefix(pattern, "../") || filepath.IsAbs(pattern)
	if !local {
		return pattern, true
	}
	pkgDir := pattern
	if !filepath.IsAbs(pkgDir) {
		pkgDir = filepath.Join(dir, pattern)
	}
	for modDir := pkgDir; ; {
		if data, err := os.ReadFile(filepath.Join(modDir, "go.mod")); err == nil {
			mod := modfile.ModulePath(data)
			if mod == "" {
				return "", false
			}
			rel, err := filepath.Rel(modDir, pkgDir)
			if err != nil {
				return "", false
			}
			if rel == "." {
				return mod, true
			}
			return path.Join(mod, filepath.ToSlash(rel)), true
		}
		parent := filepath.Dir(modDir)
		if parent == modDir {
			return "", false
		}
		modDir = parent
	}
}
