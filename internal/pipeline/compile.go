package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/packager-dev/packager/builder"
	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/vocab"
)

// compileJob is one binary of one image for one platform.
type compileJob struct {
	t    *config.Target
	main string
	bin  string          // where it is built
	done <-chan struct{} // closed when pkg or err is set
	pkg  builder.Package
	err  error
}

// compileGroup is the binaries that can share one go build: those with the
// same platform, directory, flags, ldflags, build_env and cgo. done is
// closed when every job in it has its pkg or err.
type compileGroup struct {
	t    *config.Target // the first job's target: its settings are everyone's
	p    vocab.Platform
	jobs []*compileJob
	done chan struct{}
}

// groupKey says which binaries can share a go build.
func groupKey(t *config.Target, p vocab.Platform) string {
	return fmt.Sprintf("%s %q %v %q %q %q", p, t.Dir, t.Cgo, t.Flags, t.Ldflags, t.BuildEnv)
}

// compile builds every binary of g with as few go commands as builder
// can manage (usually one) and reports each binary as an event of its own.
func (r *Request) compile(ctx context.Context, g *compileGroup) {
	defer close(g.done)
	start := time.Now()
	pkgs := make([]builder.Package, len(g.jobs))
	outs := make([]string, len(g.jobs))
	for k, j := range g.jobs {
		r.emit(Event{Kind: CompileStarted, Image: j.t.Name, Main: j.main, Platform: g.p})
		// go build takes the pattern as written, in the same directory, so
		// a package that builds into a valid binary needs no `go list`
		// first: Resolve runs only to explain a failure, or when the import
		// path cannot be read from go.mod.
		pkgs[k] = builder.Package{ImportPath: j.main}
		if strings.HasPrefix(j.main, ".") || filepath.IsAbs(j.main) {
			pkgs[k].Dir = localDir(g.t.Dir, j.main)
		}
		outs[k] = j.bin
	}
	t := g.t
	bo := builder.Options{
		Dir: t.Dir, Env: r.Environ, UserEnv: t.BuildEnv, Platform: g.p,
		Ldflags: t.Ldflags, Flags: t.Flags, Cgo: t.Cgo, GoBin: r.GoBin,
	}
	var errs []error
	if r.CacheDir != "" {
		errs = builder.BuildManyCached(ctx, pkgs, outs, filepath.Join(r.CacheDir, "bin"), bo)
	} else {
		errs = builder.BuildMany(ctx, pkgs, outs, bo)
	}
	for k, j := range g.jobs {
		j.pkg, j.err = r.explain(ctx, t, j.main, g.p, j.bin, pkgs[k], errs[k])
		r.emit(Event{Kind: CompileFinished, Image: j.t.Name, Main: j.main, Package: j.pkg.ImportPath, Platform: g.p, Took: time.Since(start), Err: j.err})
	}
}

// explain turns a build's outcome into the package built, or into the
// clearest error: Resolve says plainly what the compiler or the ELF check
// only hints at (not a main package, cgo-only, no such package).
func (r *Request) explain(ctx context.Context, t *config.Target, main string, p vocab.Platform, bin string, pkg builder.Package, err error) (builder.Package, error) {
	resolve := func() (builder.Package, error) {
		return builder.Resolve(ctx, main, builder.ResolveOptions{
			Dir: t.Dir, Env: r.Environ, UserEnv: t.BuildEnv, Flags: t.Flags, Platform: p, Cgo: t.Cgo,
		})
	}
	if err != nil {
		if ctx.Err() != nil {
			return pkg, err
		}
		if _, rerr := resolve(); rerr != nil {
			os.Remove(bin)
			return pkg, rerr
		}
		return pkg, err
	}
	if ip, ok := builder.ImportPath(t.Dir, main); ok {
		pkg.ImportPath = ip
		return pkg, nil
	}
	return resolve()
}

// localDir is the directory of a directory-style package pattern.
func localDir(dir, pattern string) string {
	if filepath.IsAbs(pattern) {
		return pattern
	}
	return filepath.Join(dir, pattern)
}
