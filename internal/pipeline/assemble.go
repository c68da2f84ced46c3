package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/packager-dev/packager/builder"
	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/oci"
	"github.com/packager-dev/packager/vocab"
)

// buildAll builds every target for every platform, all in one worker pool
// bounded by -j, and turns each target's images into an artifact: a plain
// image for one platform, an index for several (or with --index). prepare
// runs beside the compiles; if it fails, the builds stop and its error is
// the one reported.
func (a *assembler) buildAll(ctx context.Context, targets []config.Target, prepare func() ([]prepared, error)) ([]oci.Artifact, [][]platformImage, error) {
	images := make([][]platformImage, len(targets))
	pctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		if _, err := prepare(); err != nil {
			cancel(err)
		}
	}()
	g, gctx := errgroup.WithContext(pctx)
	g.SetLimit(max(a.r.Jobs, 1))
	for i, t := range targets {
		images[i] = make([]platformImage, len(t.Platforms))
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
		return nil, nil, perr
	}
	if err != nil {
		return nil, nil, err
	}
	arts := make([]oci.Artifact, len(targets))
	for i, t := range targets {
		arts[i] = oci.Artifact{Repository: a.r.Naming.repository(t), Tags: preps[i].tags}
		if len(images[i]) == 1 && !a.r.Index {
			arts[i].Image = images[i][0].img
			continue
		}
		imgs := make([]v1.Image, len(images[i]))
		for j, pi := range images[i] {
			imgs[j] = pi.img
		}
		idx, err := oci.NewIndex(imgs, preps[i].annotations)
		if err != nil {
			return nil, nil, fmt.Errorf("image %s: %w", t.Name, err)
		}
		arts[i].Index = idx
	}
	return arts, images, nil
}

// platformImage is one image as built for one platform, with what its
// SBOM is made from: the binaries on disk and the base it was built on.
type platformImage struct {
	img      v1.Image
	platform vocab.Platform
	bins     []string // in the order of the target's binaries
	base     v1.Image // as loaded, before any conversion to Docker media types
}

// image compiles t's binaries for p and assembles the image. The base is
// fetched while the binaries compile, and a base that cannot be had stops
// the compile: a typo in base: fails in a moment, not after the build.
func (a *assembler) image(ctx context.Context, bases baseLoader, t config.Target, i int, prepare func() ([]prepared, error), p vocab.Platform) (platformImage, error) {
	start := time.Now()
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
		return platformImage{}, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
	}
	preps, err := prepare()
	if err != nil {
		return platformImage{}, err
	}
	out := platformImage{platform: p, bins: bins, base: base}
	if a.r.Format == FormatDocker {
		if base, err = oci.DockerFormat(base); err != nil {
			return platformImage{}, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
		}
	}
	s := spec(t, preps[i], base, op, bins)
	s.Created, s.CreatedBy = preps[i].created, "packager build "+pkgs[0].ImportPath
	s.Compression, s.Cache = a.r.Compression, a.layers
	img, err := oci.Build(ctx, s)
	if err != nil {
		var fe *oci.FieldError
		if errors.As(err, &fe) {
			return platformImage{}, &ConfigError{fmt.Errorf("image %s for %s: %s: %w", t.Name, p, where(&t, fe.Field), err)}
		}
		return platformImage{}, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
	}
	a.r.imageBuilt(t.Name, p, img, time.Since(start))
	out.img = img
	return out, nil
}
