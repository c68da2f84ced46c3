package builder

import "github.com/packager-dev/packager/internal/gomod"

// ImportPath is [gomod.ImportPath]: the import path a single-directory
// package pattern names, read from the nearest go.mod without running go.
func ImportPath(dir, pattern string) (importPath string, ok bool) {
	return gomod.ImportPath(dir, pattern)
}
