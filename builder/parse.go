package builder

import (
	"errors"
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"path/filepath"
)

// parseFiles parses the package's files (syntax only: no imports are
// followed, no types checked) and returns the syntax errors, positioned
// relative to dir like go's own messages.
func parseFiles(files []string, dir string) error {
	fset := token.NewFileSet()
	var all scanner.ErrorList
	for _, path := range files {
		_, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err == nil {
			continue
		}
		var list scanner.ErrorList
		if !errors.As(err, &list) {
			return fmt.Errorf("read %s: %w", path, err)
		}
		for _, e := range list {
			e.Pos.Filename = relTo(dir, e.Pos.Filename)
			all = append(all, e)
		}
	}
	if len(all) == 0 {
		return nil
	}
	return fmt.Errorf("syntax error: %w: fix the source and build again", all)
}

// relTo shortens path to be relative to dir when that is shorter and does
// not climb out of dir, so messages read like go build's "./main.go:3:1".
func relTo(dir, path string) string {
	base, err := filepath.Abs(dir)
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(base, path)
	if err != nil || !filepath.IsLocal(rel) {
		return path
	}
	return "." + string(filepath.Separator) + rel
}
