package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
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
	outputs, err := chooseOutputs(r.flags, targets, r.env.workDir)
	if err != nil {
		return err
	}

	for _, t := range targets {
		r.log.Debug("target", "image", t.Name, "main", t.Main, "dir", t.Dir, "base", t.Base,
			"platform", t.Platforms[0].String(), "tags", t.Tags, "user", t.User)
	}
	for _, o := range outputs {
		r.log.Debug("output", "to", o.String())
	}
	r.log.Debug("environment", "env", r.env.String(), "created", created)

	tmp, err := os.MkdirTemp("", "packager-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bases := newBaseCache(remoteOptions(r.flags)...)
	arts := make([]oci.Artifact, len(targets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(r.flags.jobs, 1))
	for i, t := range targets {
		g.Go(func() error {
			// Bases get ctx, not gctx: ggcr reads a remote base's layers
			// lazily, during publishing, after gctx has been cancelled.
			img, err := r.image(gctx, bases.with(ctx), t, tmp, created)
			if err != nil {
				return err
			}
			arts[i] = oci.Artifact{Repository: repository(t), Tags: t.Tags, Image: img}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}

	for _, out := range outputs {
		start := time.Now()
		refs, err := out.Write(ctx, arts)
		if err != nil {
			return fmt.Errorf("write %s: %w", out, err)
		}
		r.log.Info("published", "to", out.String(), "images", len(refs), "took", since(start))
		for _, ref := range refs {
			fmt.Fprintln(r.stdout, ref)
		}
	}
	return nil
}

// image resolves, compiles and assembles one target. The base is fetched
// while the binary compiles, and a base that cannot be had stops the
// compile: a typo in base: fails in a moment, not after the build.
func (r buildRequest) image(ctx context.Context, bases baseLoader, t config.Target, tmp string, created time.Time) (v1.Image, error) {
	p := t.Platforms[0]
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
		pkg, err = r.compile(gctx, t, bin)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("image %s: %w", t.Name, err)
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
func (r buildRequest) compile(ctx context.Context, t config.Target, bin string) (builder.Package, error) {
	p := t.Platforms[0]
	bp := builder.Platform{OS: p.OS, Arch: p.Architecture, Variant: p.Variant}
	start := time.Now()
	pkg, err := builder.Resolve(ctx, t.Main, builder.ResolveOptions{
		Dir: t.Dir, Env: r.env.vars, UserEnv: t.BuildEnv, Flags: t.Flags, Platform: bp, Cgo: t.Cgo,
	})
	if err != nil {
		return pkg, err
	}
	err = builder.Build(ctx, pkg, bin, builder.Options{
		Dir: t.Dir, Env: r.env.vars, UserEnv: t.BuildEnv, Platform: bp,
		Ldflags: t.Ldflags, Flags: t.Flags, Cgo: t.Cgo,
	})
	if err != nil {
		return pkg, err
	}
	r.log.Info("built", "image", t.Name, "package", pkg.ImportPath, "platform", p.String(), "took", since(start))
	return pkg, nil
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
