package builder

import (
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// cgoOnlyFiles returns the base names of the ignored .go files that import
// "C" and would have been part of the package had cgo been enabled. Files
// left out for another reason (foo_windows.go, a tag that is not set) are
// not cgo's fault and are not reported.
func cgoOnlyFiles(ignored []string, env goEnv, flags []string) []string {
	ctxt := build.Context{
		GOOS:        env.get("GOOS"),
		GOARCH:      env.get("GOARCH"),
		CgoEnabled:  true,
		Compiler:    "gc",
		BuildTags:   buildTags(flags),
		ReleaseTags: build.Default.ReleaseTags,
	}
	var files []string
	for _, path := range ignored {
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || !importsC(path) {
			continue
		}
		dir, name := filepath.Split(path)
		if ok, err := ctxt.MatchFile(dir, name); err == nil && ok {
			files = append(files, name)
		}
	}
	sort.Strings(files)
	return files
}

// importsC reports whether the Go file at path has `import "C"`. Only the
// imports are parsed, which is all that decides it.
func importsC(path string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
	if err != nil {
		return false
	}
	for _, imp := range f.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err == nil && p == "C" {
			return true
		}
	}
	return false
}

// needsCgo is the error for a package that cannot build without cgo.
func needsCgo(pkg string, files []string) error {
	quoted := make([]string, 0, len(files))
	for _, f := range files {
		quoted = append(quoted, f+` imports "C"`)
	}
	return fmt.Errorf("%s needs cgo (%s), but packager builds static binaries with CGO_ENABLED=0: "+
		"remove the cgo dependency, or set cgo: true and use a base image that provides libc",
		pkg, strings.Join(quoted, ", "))
}

// buildTags extracts the tags of a -tags flag (last one wins, as in go).
func buildTags(flags []string) []string {
	var tags string
	for i := 0; i < len(flags); i++ {
		f := strings.TrimPrefix(flags[i], "-")
		f = strings.TrimPrefix(f, "-")
		switch {
		case strings.HasPrefix(f, "tags="):
			tags = strings.TrimPrefix(f, "tags=")
		case f == "tags" && i+1 < len(flags):
			i++
			tags = flags[i]
		}
	}
	return strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == ' ' })
}
