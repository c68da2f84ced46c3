package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/packager-dev/packager/builder"
	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/render"
	"github.com/packager-dev/packager/oci"
	"github.com/packager-dev/packager/vocab"
)

// beforeBuild does what compiling depends on: ldflags templates and
// platforms: all. Targets are changed in place.
func beforeBuild(ctx context.Context, targets []config.Target, rr *renderer, opts []oci.Option) error {
	var errs []error
	for i := range targets {
		t := &targets[i]
		errs = append(errs, rr.ldflags(ctx, t)...)
		if t.AllPlatforms {
			ps, err := oci.BasePlatforms(ctx, t.Base, opts...)
			if err != nil {
				return fmt.Errorf("image %s: platforms: all: %w", t.Name, err)
			}
			for _, p := range ps {
				t.Platforms = append(t.Platforms, vocab.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant})
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return &ConfigError{err}
	}
	return nil
}

// prepared is what every platform of one target shares and only assembly
// needs, worked out while the binaries compile: rendered templates and
// labels, file contents and facts about the base.
type prepared struct {
	rendered
	caCerts [][]byte
	tzdata  string // zoneinfo.zip on disk, "" when not asked for

	created time.Time   // written into the image; see renderer.createdFor
	git     *render.Git // the checkout t.Dir is in; nil outside git
	// baseName and baseDigest are a registry base's full name and the
	// digest it resolved to (of its index, for a multi-platform base).
	baseName, baseDigest string
}

// prepare renders tags, env and labels, reads ca_certs, finds zoneinfo.zip
// and asks registry bases for their digest (for the base.name/base.digest
// annotations). targets are only read. Problems come back joined.
func (r *Request) prepare(ctx context.Context, targets []config.Target, rr *renderer, opts []oci.Option) ([]prepared, error) {
	out := make([]prepared, len(targets))
	goroot := sync.OnceValues(func() (string, error) { return builder.GOROOT(ctx, r.GoBin, r.Environ) })
	origins := map[string][2]string{}
	var renderErrs []error
	for i := range targets {
		t := &targets[i]
		p := &out[i]
		var errs []error
		p.rendered, errs = rr.image(ctx, t)
		renderErrs = append(renderErrs, errs...)
		p.git = rr.data(ctx, t.Dir).Git
		p.created, _ = rr.createdFor(p.git)
		for j, file := range t.CACerts {
			pem, err := os.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where(t, fmt.Sprintf("ca_certs[%d]", j)), err)
			}
			p.caCerts = append(p.caCerts, pem)
		}
		if t.Tzdata {
			root, err := goroot()
			if err != nil {
				return nil, fmt.Errorf("image %s: tzdata: %w", t.Name, err)
			}
			p.tzdata = filepath.Join(root, "lib", "time", "zoneinfo.zip")
		}
		o, ok := origins[t.Base]
		if !ok {
			n, d, err := oci.BaseOrigin(ctx, t.Base, opts...)
			if err != nil {
				return nil, fmt.Errorf("image %s: %w", t.Name, err)
			}
			o = [2]string{n, d}
			origins[t.Base] = o
		}
		p.baseName, p.baseDigest = o[0], o[1]
		if o[0] != "" {
			if p.annotations == nil {
				p.annotations = map[string]string{}
			}
			p.annotations[annBaseName] = o[0]
			p.annotations[annBaseDigest] = o[1]
		}
	}
	if err := errors.Join(renderErrs...); err != nil {
		return nil, &ConfigError{err}
	}
	if r.Format == FormatDocker {
		for i := range out {
			out[i].annotations = nil // Docker manifests have none; the labels say the same
		}
	}
	return out, nil
}

// spec is the oci.Spec for target t on one platform.
func spec(t config.Target, p prepared, base v1.Image, op v1.Platform, bins []string) oci.Spec {
	s := oci.Spec{
		Base: base, Platform: op,
		CACerts: p.caCerts, TZData: p.tzdata,
		Entrypoint: t.Entrypoint, Args: t.Args, Env: p.env, User: t.User,
		WorkingDir: t.Workdir, Ports: t.Ports, Volumes: t.Volumes, StopSignal: t.StopSignal,
		Labels: p.labels, Annotations: p.annotations,
	}
	for i, b := range t.Binaries {
		s.Binaries = append(s.Binaries, oci.Binary{Source: bins[i], Path: b.Path, ID: builder.BuildID(bins[i])})
	}
	for _, f := range t.Files {
		s.Files = append(s.Files, oci.File{Src: f.Src, Root: f.Root, Dst: f.Dst, Mode: f.Mode, UID: f.UID, GID: f.GID})
	}
	if h := t.Healthcheck; h != nil {
		s.Healthcheck = &v1.HealthConfig{
			Test: slices.Clone(h.Test), Interval: h.Interval, Timeout: h.Timeout,
			StartPeriod: h.StartPeriod, Retries: h.Retries,
		}
	}
	return s
}
