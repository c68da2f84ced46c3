package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/packager-dev/packager/builder"
	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/vocab"
)

// compile resolves t's main package and builds it into bin.
func (r *Request) compile(ctx context.Context, t config.Target, main string, p vocab.Platform, bin string) (pkg builder.Package, err error) {
	start := time.Now()
	r.emit(Event{Kind: CompileStarted, Image: t.Name, Main: main, Platform: p})
	defer func() {
		r.emit(Event{Kind: CompileFinished, Image: t.Name, Main: main, Package: pkg.ImportPath, Platform: p, Took: time.Since(start), Err: err})
	}()
	bo := builder.Options{
		Dir: t.Dir, Env: r.Environ, UserEnv: t.BuildEnv, Platform: p,
		Ldflags: t.Ldflags, Flags: t.Flags, Cgo: t.Cgo, GoBin: r.GoBin,
	}
	resolve := func() (builder.Package, error) {
		return builder.Resolve(ctx, main, builder.ResolveOptions{
			Dir: t.Dir, Env: r.Environ, UserEnv: t.BuildEnv, Flags: t.Flags, Platform: p, Cgo: t.Cgo,
		})
	}
	// go build takes the pattern as written, in the same directory, so a
	// package that builds into a valid binary needs no `go list` first:
	// Resolve (one more go process per image and platform) runs only to
	// explain a failure, or when the import path cannot be read from go.mod.
	pkg = builder.Package{ImportPath: main}
	if strings.HasPrefix(main, ".") || filepath.IsAbs(main) {
		pkg.Dir = localDir(t.Dir, main)
	}
	if r.CacheDir != "" {
		err = builder.BuildCached(ctx, pkg, bin, filepath.Join(r.CacheDir, "bin"), bo)
	} else {
		err = builder.Build(ctx, pkg, bin, bo)
	}
	if err != nil {
		if ctx.Err() != nil {
			return pkg, err
		}
		// Resolve says plainly what the compiler or the ELF check only
		// hints at: not a main package, cgo-only, no such package.
		if _, rerr := resolve(); rerr != nil {
			os.Remove(bin)
			return pkg, rerr
		}
		return pkg, err
	}
	if ip, ok := builder.ImportPath(t.Dir, main); ok {
		pkg.ImportPath = ip
	} else if pkg, err = resolve(); err != nil {
		return pkg, err
	}
	return pkg, nil
}

// localDir is the directory of a directory-style package pattern.
func localDir(dir, pattern string) string {
	if filepath.IsAbs(pattern) {
		return pattern
	}
	return filepath.Join(dir, pattern)
}
