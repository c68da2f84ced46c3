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
	"golang.org/x/sync/semaphore"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/oci"
	"github.com/packager-dev/packager/vocab"
)

// buildAll builds every target for every platform and turns each target's
// images into an artifact: a plain image for one platform, an index for
// several (or with --index). The binaries of all images are compiled in
// groups that share one go build (see compileGroup); each image is
// assembled as soon as its group is done. At most -j go builds and
// assemblies run at once. prepare runs beside the compiles; if it fails,
// the builds stop and its error is the one reported.
func (a *assembler) buildAll(ctx context.Context, targets []config.Target, prepare func() ([]prepared, error)) ([]oci.Artifact, [][]platformImage, error) {
	images := make([][]platformImage, len(targets))
	pctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		if _, err := prepare(); err != nil {
			cancel(err)
		}
	}()
	groups, jobs := a.plan(targets)
	sem := semaphore.NewWeighted(int64(max(a.r.Jobs, 1)))
	g, gctx := errgroup.WithContext(pctx)
	for _, grp := range groups {
		g.Go(func() error {
			if err := sem.Acquire(gctx, 1); err != nil {
				for _, j := range grp.jobs {
					j.err = err
				}
				close(grp.done)
				return err
			}
			defer sem.Release(1)
			a.r.compile(gctx, grp)
			return nil
		})
	}
	for i, t := range targets {
		images[i] = make([]platformImage, len(t.Platforms))
		for j, p := range t.Platforms {
			g.Go(func() error {
				// Bases get ctx, not gctx: ggcr reads a remote base's layers
				// lazily, during publishing, after gctx has been cancelled.
				img, err := a.image(gctx, a.bases.with(ctx), sem, t, i, prepare, p, jobs[i][j])
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
	arts, err := a.artifacts(targets, images, preps)
	return arts, images, err
}

// artifacts makes one artifact per target from its images: a plain image
// for one platform, an index for several (or with --index). A shard's
// targets have one platform each (see Shard.selectFrom) and publish it
// under its PlatformTag, for `packager index create` to merge.
func (a *assembler) artifacts(targets []config.Target, images [][]platformImage, preps []prepared) ([]oci.Artifact, error) {
	arts := make([]oci.Artifact, len(targets))
	for i, t := range targets {
		arts[i] = oci.Artifact{Repository: a.r.Naming.repository(t), Tags: preps[i].tags}
		if a.r.Shard.Enabled() {
			arts[i].Tags = make([]string, len(preps[i].tags))
			for k, tag := range preps[i].tags {
				arts[i].Tags[k] = PlatformTag(tag, t.Platforms[0])
			}
		}
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
			return nil, fmt.Errorf("image %s: %w", t.Name, err)
		}
		arts[i].Index = idx
	}
	return arts, nil
}

// platformImage is one image as built for one platform, with what its
// SBOM is made from: the binaries on disk and the base it was built on.
type platformImage struct {
	img      v1.Image
	platform vocab.Platform
	bins     []string // in the order of the target's binaries
	base     v1.Image // as loaded, before any conversion to Docker media types
}

// plan puts every binary of every image × platform into its compile group
// and returns the groups, in the order of targets and platforms, and for
// each image × platform the jobs of its binaries.
func (a *assembler) plan(targets []config.Target) ([]*compileGroup, [][][]*compileJob) {
	var groups []*compileGroup
	byKey := map[string]*compileGroup{}
	jobs := make([][][]*compileJob, len(targets))
	for i := range targets {
		t := &targets[i]
		jobs[i] = make([][]*compileJob, len(t.Platforms))
		for j, p := range t.Platforms {
			key := groupKey(t, p)
			grp := byKey[key]
			if grp == nil {
				grp = &compileGroup{t: t, p: p, done: make(chan struct{})}
				byKey[key] = grp
				groups = append(groups, grp)
			}
			for k, b := range t.Binaries {
				bin := filepath.Join(a.tmp, fmt.Sprintf("%s-%s-%d", t.Name, strings.ReplaceAll(p.String(), "/", "-"), k))
				cj := &compileJob{t: t, main: b.Main, bin: bin, done: grp.done}
				grp.jobs = append(grp.jobs, cj)
				jobs[i][j] = append(jobs[i][j], cj)
			}
		}
	}
	return groups, jobs
}

// image waits for t's binaries for p and assembles the image. The base is
// fetched while the binaries compile, and a base that cannot be had stops
// the compile: a typo in base: fails in a moment, not after the build.
func (a *assembler) image(ctx context.Context, bases baseLoader, sem *semaphore.Weighted, t config.Target, i int,
	prepare func() ([]prepared, error), p vocab.Platform, bins []*compileJob) (platformImage, error) {
	start := time.Now()
	op := v1.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}
	base, err := bases(t.Base, op)
	if err != nil {
		return platformImage{}, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
	}
	if err := waitCompiled(ctx, t, p, bins); err != nil {
		return platformImage{}, err
	}
	preps, err := prepare()
	if err != nil {
		return platformImage{}, err
	}
	if err := sem.Acquire(ctx, 1); err != nil {
		return platformImage{}, err
	}
	defer sem.Release(1)
	paths := make([]string, len(bins))
	for k, b := range bins {
		paths[k] = b.bin
	}
	out := platformImage{platform: p, bins: paths, base: base}
	if a.r.Format == FormatDocker {
		if base, err = oci.DockerFormat(base); err != nil {
			return platformImage{}, fmt.Errorf("image %s for %s: %w", t.Name, p, err)
		}
	}
	s := spec(t, preps[i], base, op, paths)
	s.Created, s.CreatedBy = preps[i].created, "packager build "+bins[0].pkg.ImportPath
	s.Compression, s.Cache = a.r.Compression, a.layers
	s.EarlyUpload = a.early.to(a.r.Naming.repository(t))
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

// waitCompiled waits until t's binaries for p are built and returns the
// first one's error, at its packager.yaml line when t has several.
func waitCompiled(ctx context.Context, t config.Target, p vocab.Platform, bins []*compileJob) error {
	for k, b := range bins {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-b.done:
		}
		if err := b.err; err != nil {
			if len(t.Binaries) > 1 {
				err = fmt.Errorf("%s: %w", where(&t, fmt.Sprintf("binaries[%d]", k)), err)
			}
			return fmt.Errorf("image %s for %s: %w", t.Name, p, err)
		}
	}
	return nil
}
