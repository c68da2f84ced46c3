package builder

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/packager-dev/packager/vocab"
	"golang.org/x/tools/go/packages"
)

// Package is a resolved main package.
type Package struct {
	ImportPath string // e.g. github.com/packager-dev/packager/examples/hello
	Dir        string // directory of its sources
	Module     string // module path ("" outside modules)
}

// ResolveOptions says where and for which platform a pattern is resolved.
// They mirror the build's Options so build constraints match the build.
type ResolveOptions struct {
	Dir      string   // directory the pattern is relative to
	Env      []string // full environment for go (the caller passes os.Environ())
	UserEnv  []string // the user's build_env ("K=V"), applied last as in Build
	Flags    []string // the user's go build flags (e.g. -tags), as in Build
	Platform vocab.Platform
	Cgo      bool
}

// loadMode asks go list only for names and files: no parsing of dependencies
// and no type checking, so resolving stays fast on big module graphs.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedModule

// maxListed bounds how many matches an error lists.
const maxListed = 10

// Resolve resolves pattern to exactly one main package, as go build would
// see it for o.Platform with CGO_ENABLED=0 (or 1 with o.Cgo).
func Resolve(ctx context.Context, pattern string, o ResolveOptions) (Package, error) {
	env, err := newGoEnv(o.Env, o.Cgo, o.Platform, o.UserEnv)
	if err != nil {
		return Package{}, fmt.Errorf("resolve %s: %w", pattern, err)
	}
	cfg := &packages.Config{
		Mode:    loadMode,
		Context: ctx,
		Dir:     o.Dir,
		// packager compiles with go build, so resolve with go list too, never
		// with a GOPACKAGESDRIVER that might disagree with it.
		Env:        dedupe(append(env.list(), "GOPACKAGESDRIVER=off")),
		BuildFlags: o.Flags,
		Tests:      false,
	}
	pkgs, err := packages.Load(cfg, pattern)
	if err != nil {
		if ctx.Err() != nil {
			return Package{}, fmt.Errorf("resolve %s: %w", pattern, ctx.Err())
		}
		if len(o.Flags) > 0 {
			return Package{}, fmt.Errorf("resolve %s in %s with build flags %q: %w", pattern, dirName(o.Dir), o.Flags, err)
		}
		return Package{}, fmt.Errorf("resolve %s in %s: %w", pattern, dirName(o.Dir), err)
	}
	if len(pkgs) != 1 {
		return Package{}, fmt.Errorf("resolve %s: %w", pattern, notOne(pkgs))
	}
	p := pkgs[0]
	if err := check(pattern, p, env, o); err != nil {
		return Package{}, fmt.Errorf("resolve %s: %w", pattern, err)
	}
	pkg := Package{ImportPath: p.PkgPath, Dir: p.Dir}
	if p.Module != nil {
		pkg.Module = p.Module.Path
	}
	return pkg, nil
}

// check turns everything go list found wrong with p into one actionable
// error. The order matters: a cgo-only package also carries Go's generic
// "build constraints exclude all Go files", which would hide the real cause.
func check(pattern string, p *packages.Package, env goEnv, o ResolveOptions) error {
	broken := len(p.Errors) > 0 || len(p.GoFiles) == 0
	if broken && !env.cgoEnabled() {
		if files := cgoOnlyFiles(p.IgnoredFiles, env, o.Flags); len(files) > 0 {
			return needsCgo(pattern, files)
		}
	}
	if len(p.Errors) > 0 {
		if p.Name == "" && len(p.GoFiles) == 0 && len(p.IgnoredFiles) == 0 {
			return fmt.Errorf("package %s not found in %s: %s", pattern, dirName(o.Dir), joinErrors(p.Errors))
		}
		return fmt.Errorf("%s", joinErrors(p.Errors))
	}
	if p.PkgPath == "command-line-arguments" {
		return fmt.Errorf("%s names files, not a package: name the package's directory (./cmd/app) or its import path", pattern)
	}
	if p.Name != "main" {
		return fmt.Errorf("%s is package %q, not a main package: an image needs package main with func main", p.PkgPath, p.Name)
	}
	// go list reads only package clauses and imports; catch syntax errors in
	// the rest now, before one build per platform reports the same thing.
	return parseFiles(p.GoFiles, o.Dir)
}

// notOne explains why a pattern must match exactly one package.
func notOne(pkgs []*packages.Package) error {
	if len(pkgs) == 0 {
		return fmt.Errorf("matched no packages, but each image needs exactly one main package: check the path (relative paths start with ./)")
	}
	paths := make([]string, 0, len(pkgs))
	for _, p := range pkgs {
		paths = append(paths, p.ID)
	}
	sort.Strings(paths)
	listed := paths
	more := ""
	if len(listed) > maxListed {
		listed = listed[:maxListed]
		more = fmt.Sprintf(" and %d more", len(paths)-maxListed)
	}
	return fmt.Errorf("matched %d packages (%s%s), but each image needs exactly one main package: name one, e.g. ./cmd/app",
		len(pkgs), strings.Join(listed, ", "), more)
}

// joinErrors renders go list's errors one per line, positions included.
func joinErrors(errs []packages.Error) string {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		if e.Pos == "" || e.Pos == "-" { // "-" marks errors without a position
			msgs = append(msgs, e.Msg)
			continue
		}
		msgs = append(msgs, e.Error())
	}
	return strings.Join(msgs, "\n")
}

// dirName names dir for messages; "" means the current directory.
func dirName(dir string) string {
	if dir == "" {
		return "the current directory"
	}
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
