package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/internal/resolve"
)

// publish builds and pushes the image of each reference, each package
// once, and returns reference → REPO/NAME@sha256:….
func (f *resolveFlags) publish(ctx context.Context, refs []string, log *slog.Logger, e env) (map[string]string, error) {
	pkgOf := map[string]string{}
	var pkgs []string
	for _, r := range refs {
		p, err := resolve.Package(r)
		if err != nil {
			return nil, usageError{err}
		}
		pkgOf[r] = p
		if !contains(pkgs, p) {
			pkgs = append(pkgs, p)
		}
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
	names, err := f.imageNames(ctx, e, pkgs)
	if err != nil {
		return nil, err
	}
	var pushed []string
	logged := newProgress(log, nil)
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
		byName[t.Name] = digestRef(pushed[i])
	}
	out := map[string]string{}
	for _, r := range refs {
		out[r] = byName[names[pkgOf[r]]]
		log.Debug("resolved", "ref", r, "image", out[r])
	}
	return out, nil
}

// imageNames maps each package argument to the name of the one image it
// selects in packager.yaml (or makes from defaults).
func (f *resolveFlags) imageNames(ctx context.Context, e env, pkgs []string) (map[string]string, error) {
	file, err := loadConfig(ctx, f.build.file, e.workDir)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, p := range pkgs {
		ts, err := file.Targets(config.Overrides{Packages: []string{p}})
		if err != nil {
			return nil, usageError{err}
		}
		if len(ts) != 1 {
			var matched []string
			for _, t := range ts {
				matched = append(matched, t.Name)
			}
			return nil, usageErrorf("%s matches %d images of packager.yaml (%s); refer to one by its name, packager://NAME", p, len(ts), strings.Join(matched, ", "))
		}
		names[p] = ts[0].Name
	}
	return names, nil
}

// digestRef turns the registry's REPO:TAG@sha256:… into REPO@sha256:…, so
// the YAML pins the digest alone (a tag next to a digest is ignored by the
// runtime and only misleads readers).
func digestRef(ref string) string {
	name, digest, ok := strings.Cut(ref, "@")
	if !ok {
		return ref
	}
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name = name[:i]
	}
	return name + "@" + digest
}
