package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/packager-dev/packager/builder"
	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/cache"
	"github.com/packager-dev/packager/oci"
	"github.com/packager-dev/packager/vocab"
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
	r.log.Debug("environment", "env", r.env.String(), "created", created)

	// With a cache, binaries are hard links to the cache's link targets,
	// which needs the same file system.
	tmpParent := ""
	if dir := r.cacheDir(); dir != "" {
		tmpParent = filepath.Join(dir, "tmp")
		if err := os.MkdirAll(tmpParent, 0o700); err != nil {
			return fmt.Errorf("cache: %w; pass --no-cache to build without it", err)
		}
	}
	tmp, err := os.MkdirTemp(tmpParent, "packager-")
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
	asm, err := r.assembler(opts, tmp, created)
	if err != nil {
		return err
	}
	rr := newRenderer(r.env, created, targets)
	if err := r.beforeBuild(ctx, targets, rr, opts); err != nil {
		return err
	}
	// The rest of the preparation (git, tags, labels, base digests) runs
	// while the binaries compile; jobs wait for it before assembling.
	prepare := sync.OnceValues(func() ([]prepared, error) { return r.prepare(ctx, targets, rr, opts) })
	for _, t := range targets {
		r.log.Debug("target", "image", t.Name, "binaries", t.Binaries, "dir", t.Dir, "base", t.Base,
			"platforms", t.Platforms, "tags", t.Tags, "user", t.User)
	}
	for _, o := range outputs {
		r.log.Debug("output", "to", o.String())
	}

	arts, err := asm.buildAll(ctx, targets, prepare)
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

// assembler holds what every image × platform job shares.
type assembler struct {
	r           buildRequest
	bases       *baseCache
	layers      oci.LayerCache // nil: no cache
	compression oci.Compression
	tmp         string
	created     time.Time
}

func (r buildRequest) assembler(opts []oci.Option, tmp string, created time.Time) (*assembler, error) {
	a := &assembler{r: r, bases: newBaseCache(opts...), tmp: tmp, created: created}
	switch r.flags.compression {
	case "", "gzip":
	case "zstd":
		a.compression = oci.Compression{Algorithm: "zstd"}
	default:
		return nil, usageErrorf("--compression %q: use gzip or zstd", r.flags.compression)
	}
	switch r.flags.format {
	case "", "oci":
	case "docker":
		if a.compression.Algorithm == "zstd" {
			return nil, usageErrorf("--format docker cannot have --compression zstd: Docker media types have no zstd layer; use gzip")
		}
	default:
		return nil, usageErrorf("--format %q: use oci or docker", r.flags.format)
	}
	if dir := r.cacheDir(); dir != "" {
		c, err := cache.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("cache: %w; pass --no-cache to build without it", err)
		}
		a.layers = c.Layers()
	}
	return a, nil
}

// buildAll builds every target for every platform, all in one worker pool
// bounded by -j, and turns each target's images into an artifact: a plain
// image for one platform, an index for several (or with --index). prepare
// runs beside the compiles; if it fails, the builds stop and its error is
// the one reported.
func (a *assembler) buildAll(ctx context.Context, targets []config.Target, prepare func() ([]prepared, error)) ([]oci.Artifact, error) {
	images := make([][]v1.Image, len(targets))
	pctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		if _, err := prepare(); err != nil {
			cancel(err)
		}
	}()
	g, gctx := errgroup.WithContext(pctx)
	g.SetLimit(max(a.r.flags.jobs, 1))
	for i, t := range targets {
		images[i] = make([]v1.Image, len(t.Platforms))
		for j, p := range t.Platforms {
			g.Go(func() error {
				// Bases get ctx, not gctx: ggcr reads a remote base's layers
				// lazily, during publishing, after gctx has been cancelled.
				img, err := a.image(gctx, a.bases.with(ctx), t, i, prepare, p)
				images[i][j] = img
				return err
			})
		}
	}
	err := g.Wait()
	preps, perr := prepare()
	if perr != nil {
		return nil, perr
	}
	if err != nil {
		return nil, err
	}
	arts := make([]oci.Artifact, len(targets))
	for i, t := range targets {
		arts[i] = oci.Artifact{Repository: repository(t), Tags: preps[i].tags}
		if len(images[i]) == 1 && !a.r.flags.index {
			arts[i].Image = images[i][0]
			continue
		}
		idx, err := oci.NewIndex(images[i], preps[i].annotations)
		if err != nil {
			return nil, fmt.Errorf("image %s: %w", t.Name, err)
		}
		arts[i].Index = idx
	}
	return arts, nil
}

// image compiles t's binaries for p and assembles the image. The base is
// fetched while the binaries compile, and a base that cannot be had stops
// the compile: a typo in base: fails in a moment, not after the build.
func (a *assembler) image(ctx context.Context, bases baseLoader, t config.Target, i int, prepare func() ([]prepared, error), p vocab.Platform) (v1.Image, error) {
	op := v1.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}
	var (
		base v1.Image
		bins = make([]string, len(t.Binaries))
		pkgs = make([]builder.Package, len(t.Binaries))
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		base, err = bases(t.Base, op)
		return err
	})
	for k, b := range t.Binaries {
		bins[k] = filepath.Join(a.tmp, fmt.Sprintf("%s-%s-%d", t.Name, strings.ReplaceAll(p.String(), "/", "-"), k))
		g.Go(func() (err error) {
			pkgs[k], err = a.r.compile(gctx, t, b.Main, p, bins[k])
			if err != nil && len(t.Binaries) > 1 {
				err = fmt.Errorf("%s: %w", where(&t, fmt.Sprintf("binaries[%d]", k)), err)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
	}
	preps, err := prepare()
	if err != nil {
		return nil, err
	}
	if a.r.flags.format == "docker" {
		if base, err = oci.DockerFormat(base); err != nil {
			return nil, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
		}
	}
	s := spec(t, preps[i], base, op, bins)
	s.Created, s.CreatedBy = a.created, "packager build "+pkgs[0].ImportPath
	s.Compression, s.Cache = a.compression, a.layers
	img, err := oci.Build(ctx, s)
	if err != nil {
		var fe *oci.FieldError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("image %s for %s: %s: %w", t.Name, p, where(&t, fe.Field), err)
		}
		return nil, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
	}
	return img, nil
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
