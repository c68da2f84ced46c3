package builder

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"golang.org/x/tools/go/packages"
)

// MainPackages lists every main package of the module in dir (the pattern
// ./...), sorted by import path: what `packager init` writes an image for.
// env is the full environment for go (the caller passes os.Environ()). A
// main package go list reports errors for is an error, since its image could
// not be built either; errors in other packages are not this function's
// business.
func MainPackages(ctx context.Context, dir string, env []string) ([]Package, error) {
	cfg := &packages.Config{
		Mode:    loadMode,
		Context: ctx,
		Dir:     dir,
		Env:     dedupe(append(append([]string(nil), env...), "GOPACKAGESDRIVER=off")),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("list main packages: %w", ctx.Err())
		}
		return nil, fmt.Errorf("list main packages in %s: %w", dirName(dir), err)
	}
	var mains []Package
	var errs []error
	for _, p := range pkgs {
		if p.Name != "main" {
			continue
		}
		if len(p.Errors) > 0 {
			errs = append(errs, fmt.Errorf("%s: %s", p.PkgPath, joinErrors(p.Errors)))
			continue
		}
		pkg := Package{ImportPath: p.PkgPath, Dir: p.Dir}
		if p.Module != nil {
			pkg.Module = p.Module.Path
		}
		mains = append(mains, pkg)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("list main packages in %s: %w; fix them or build the others by name", dirName(dir), err)
	}
	sort.Slice(mains, func(i, j int) bool { return mains[i].ImportPath < mains[j].ImportPath })
	return mains, nil
}
