package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/internal/resolve"
)

// publish builds and pushes the image of each reference, each package
// once, and returns reference → REPO/NAME@sha256:….
func (f *resolveFlags) publish(ctx context.Context, refs []string, log *slog.Logger, e env) (map[string]string, error) {
	pkgOf, pkgs, err := resolve.Packages(refs)
	if err != nil {
		return nil, usageError{err}
	}
	req, err := f.build.request(ctx, e, pkgs, log)
	if err != nil {
		return nil, err
	}
	if len(req.Outputs) != 1 || req.Outputs[0] != "registry" {
		hint := ""
		if e.repoFrom == "KO_DOCKER_REPO" && e.repo == "ko.local" {
			hint = " (KO_DOCKER_REPO=ko.local is the Docker daemon, which a cluster cannot pull from)"
		}
		return nil, usageErrorf("resolve pushes the images for a cluster to pull, so it needs a registry repository%s: pass --repo, or set $PACKAGER_REPO or repo: in packager.yaml", hint)
	}
	file, err := loadConfig(ctx, f.build.file, e.workDir)
	if err != nil {
		return nil, err
	}
	names, err := resolve.ImageNames(file, pkgs)
	if err != nil {
		return nil, usageError{err}
	}
	var pushed []string
	logged := newProgress(log, nil)
	defer logged.stop()
	req.Log = log
	// Published comes once, from the goroutine that runs Run, before Run
	// returns.
	req.Events = pipeline.EventFunc(func(ev pipeline.Event) {
		logged.Event(ev)
		if ev.Kind == pipeline.Published {
			pushed = ev.Refs
		}
	})
	if err := fromPipeline(pipeline.Run(ctx, req)); err != nil {
		return nil, err
	}
	if len(pushed) != len(req.Targets) {
		return nil, fmt.Errorf("the registry push returned %d references for %d images", len(pushed), len(req.Targets))
	}
	byName := map[string]string{}
	for i, t := range req.Targets {
		byName[t.Name] = pushed[i]
	}
	out := resolve.Pinned(refs, pkgOf, names, byName)
	for _, r := range refs {
		log.Debug("resolved", "ref", r, "image", out[r])
	}
	return out, nil
}
