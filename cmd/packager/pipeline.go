package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/packager-dev/packager/builder"
	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/oci"
)

type buildRequest struct {
	file     *config.File
	flags    buildFlags
	packages []string
	env      env
	stdout   io.Writer
	log      *slog.Logger
}

// build runs the pipeline: config targets -> binaries -> images -> outputs.
// Nothing is published until every image has been built, so a failed build
// leaves no output behind.
func build(ctx context.Context, r buildRequest) error {
	targets, err := r.file.Targets(r.flags.overrides(r.packages))
	if err != nil {
		return usageError{err}
	}
	created, err := r.env.created()
	if err != nil {
		return err
	}
	for _, t := range targets {
		r.log.Debug("target", "image", t.Name, "main", t.Main, "dir", t.Dir, "base", t.Base,
			"platforms", t.Platforms, "tags", t.Tags, "user", t.User)
	}
	r.log.Debug("environment", "env", r.env.String(), "created", created)

	tmp, err := os.MkdirTemp("", "packager-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	var uploaded atomic.Int64
	opts := append(remoteOptions(r.flags), oci.WithUploadCounter(&uploaded))
	outputs, err := chooseOutputs(r.flags, targets, r.env.workDir, opts...)
	if err != nil {
		return err
	}
	for _, o := range outputs {
		r.log.Debug("output", "to", o.String())
	}

	arts, err := r.buildAll(ctx, targets, opts, tmp, created)
	if err != nil {
		return err
	}

	for _, out := range outputs {
		start := time.Now()
		uploaded.Store(0)
		refs, err := out.Write(ctx, arts)
		if err != nil {
			return fmt.Errorf("write %s: %w", out, err)
		}
		attrs := []any{"to", out.String(), "images", len(refs), "took", since(start)}
		if out.String() == "registry" {
			attrs = append(attrs, "uploaded_bytes", uploaded.Load())
		}
		r.log.Info("published", attrs...)
		for _, ref := range refs {
			fmt.Fprintln(r.stdout, ref)
		}
	}
	return nil
}

// buildAll builds every target for every platform, all in one worker pool
// bounded by -j, and turns each target's images into an artifact: a plain
// image for one platform, an index for several (or with --index).
func (r buildRequest) buildAll(ctx context.Context, targets []config.Target, opts []oci.Option, tmp string, created time.Time) ([]oci.Artifact, error) {
	bases := newBaseCache(opts...)
	images := make([][]v1.Image, len(targets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(r.flags.jobs, 1))
	for i, t := range targets {
		images[i] = make([]v1.Image, len(t.Platforms))
		for j, p := range t.Platforms {
			g.Go(func() error {
				// Bases get ctx, not gctx: ggcr reads a remote base's layers
				// lazily, during publishing, after gctx has been cancelled.
				img, err := r.image(gctx, bases.with(ctx), t, p, tmp, created)
				images[i][j] = img
				return err
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	arts := make([]oci.Artifact, len(targets))
	for i, t := range targets {
		arts[i] = oci.Artifact{Repository: repository(t), Tags: t.Tags}
		if len(images[i]) == 1 && !r.flags.index {
			arts[i].Image = images[i][0]
			continue
		}
		idx, err := oci.NewIndex(images[i], nil)
		if err != nil {
			return nil, fmt.Errorf("image %s: %w", t.Name, err)
		}
		arts[i].Index = idx
	}
	return arts, nil
}

// image resolves, compiles and assembles one target. The base is fetched
// while the binary compiles, and a base that cannot be had stops the
// compile: a typo in base: fails in a moment, not after the build.
func (r buildRequest) image(ctx context.Context, bases baseLoader, t config.Target, p config.Platform, tmp string, created time.Time) (v1.Image, error) {
	op := v1.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}
	var (
		base v1.Image
		pkg  builder.Package
		bin  = filepath.Join(tmp, t.Name+"-"+strings.ReplaceAll(p.String(), "/", "-"))
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		base, err = bases(t.Base, op)
		return err
	})
	g.Go(func() (err error) {
		pkg, err = r.compile(gctx, t, p, bin)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
	}
	img, err := oci.Build(ctx, oci.Spec{
		Base: base, Platform: op, Binary: bin, BinaryPath: t.Path,
		Entrypoint: t.Entrypoint, Args: t.Args, Env: t.Env, User: t.User,
		Created: created, CreatedBy: "packager build " + pkg.ImportPath,
	})
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", t.Name, err)
	}
	return img, nil
}

// compile resolves t's main package and builds it into bin.
func (r buildRequest) compile(ctx context.Context, t config.Target, p config.Platform, bin string) (builder.Package, error) {
	bp := builder.Platform{OS: p.OS, Arch: p.Architecture, Variant: p.Variant}
	start := time.Now()
	bo := builder.Options{
		Dir: t.Dir, Env: r.env.vars, UserEnv: t.BuildEnv, Platform: bp,
		Ldflags: t.Ldflags, Flags: t.Flags, Cgo: t.Cgo,
	}
	// Resolve only checks the package (main, no cgo-only files) and names
	// it; go build takes the same pattern in the same directory. Running
	// both at once hides resolve's `go list` behind the build. Resolve's
	// error wins: it says what to fix more plainly than the compiler.
	var (
		pkg        builder.Package
		resolveErr error
		buildCtx   context.Context
		cancel     context.CancelFunc
		resolved   = make(chan struct{})
	)
	buildCtx, cancel = context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(resolved)
		pkg, resolveErr = builder.Resolve(ctx, t.Main, builder.ResolveOptions{
			Dir: t.Dir, Env: r.env.vars, UserEnv: t.BuildEnv, Flags: t.Flags, Platform: bp, Cgo: t.Cgo,
		})
		if resolveErr != nil {
			cancel()
		}
	}()
	target := builder.Package{ImportPath: t.Main}
	if strings.HasPrefix(t.Main, ".") || filepath.IsAbs(t.Main) {
		target.Dir = localDir(t.Dir, t.Main)
	}
	var err error
	if dir := r.cacheDir(); dir != "" {
		err = builder.BuildCached(buildCtx, target, bin, filepath.Join(dir, "bin"), bo)
	} else {
		err = builder.Build(buildCtx, target, bin, bo)
	}
	<-resolved
	if resolveErr != nil {
		os.Remove(bin)
		return pkg, resolveErr
	}
	if err != nil {
		return pkg, err
	}
	r.log.Info("built", "image", t.Name, "package", pkg.ImportPath, "platform", p.String(), "took", since(start))
	return pkg, nil
}

// localDir is the directory of a directory-style package pattern.
func localDir(dir, pattern string) string {
	if filepath.IsAbs(pattern) {
		return pattern
	}
	return filepath.Join(dir, pattern)
}

// cacheDir is the absolute cache directory, or "" for --no-cache.
func (r buildRequest) cacheDir() string {
	if r.flags.noCache || r.flags.cacheDir == "" {
		return ""
	}
	return abs(r.env.workDir, r.flags.cacheDir)
}

// repository is where an image is published: REPO/NAME, or NAME alone
// when no repo is configured (layouts and tarballs need no registry).
func repository(t config.Target) string {
	if t.Repo == "" {
		return t.Name
	}
	return strings.TrimSuffix(t.Repo, "/") + "/" + t.Name
}

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }
