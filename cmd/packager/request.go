package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/gocache"
	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/oci"
)

// request checks the flags that need no file and no network, loads
// packager.yaml and turns everything into a pipeline.Request.
func (f buildFlags) request(ctx context.Context, e env, packages []string, log *slog.Logger) (pipeline.Request, error) {
	if f.jobs < 1 {
		return pipeline.Request{}, usageErrorf("-j %d: give at least 1 build at a time", f.jobs)
	}
	if f.pushTimeout <= 0 {
		return pipeline.Request{}, usageErrorf("--push-timeout %s: give a positive duration, e.g. 1h", f.pushTimeout)
	}
	f = f.repoFromEnv(e, log)
	f.docker = f.docker || f.ko.local
	format, compression, err := f.formats()
	if err != nil {
		return pipeline.Request{}, err
	}
	shard, err := f.shardValue()
	if err != nil {
		return pipeline.Request{}, err
	}
	attest, err := f.attest(e)
	if err != nil {
		return pipeline.Request{}, err
	}
	created, err := e.created()
	if err != nil {
		return pipeline.Request{}, err
	}
	file, err := loadConfig(ctx, f.file, e.workDir)
	if err != nil {
		return pipeline.Request{}, err
	}
	if src := file.Source(); src != "" {
		if dir := filepath.Dir(src); dir != e.workDir {
			log.Info("using packager.yaml of the module", "file", src)
			packages = config.PackageArgs(packages, e.workDir, dir)
		}
	}
	o, err := f.overrides(packages)
	if err != nil {
		return pipeline.Request{}, err
	}
	naming, err := f.ko.naming()
	if err != nil {
		return pipeline.Request{}, err
	}
	targets, err := file.Targets(o)
	if err == nil && len(file.Images) > 0 {
		for _, t := range targets {
			if t.Entry == "" {
				log.Info("packager.yaml has no image for this package: it gets the file's defaults only", "package", t.Main, "file", file.Source())
			}
		}
	}
	if err != nil {
		return pipeline.Request{}, usageError{err}
	}
	if err := f.ko.checkBare(targets); err != nil {
		return pipeline.Request{}, err
	}
	remote := append(remoteOptions(e, f.insecure, f.jobs), oci.WithPushTimeout(f.pushTimeout))
	outputs, err := chooseOutputs(f, targets, e.workDir)
	if err != nil {
		return pipeline.Request{}, err
	}
	if f.remoteCache == "" {
		f.remoteCache = file.RemoteCache
	}
	environ, err := f.goCacheEnv(e, log)
	if err != nil {
		return pipeline.Request{}, err
	}
	return pipeline.Request{
		Targets: targets, Outputs: outputs, Remote: remote,
		Environ: environ, Created: created, Epoch: e.sourceDateEpoch != "",
		CacheDir: f.cache(e.workDir), Jobs: f.jobs, Index: f.index,
		Format: format, Compression: compression, Naming: naming, Shard: shard,
		Attest: f.attestFor(attest, file, outputs, o), ImageRefs: f.imageRefsPath(e),
	}, nil
}

// formats parses --format and --compression.
func (f buildFlags) formats() (pipeline.Format, oci.Compression, error) {
	var c oci.Compression
	switch f.compression {
	case "", "gzip":
	case "zstd":
		c.Algorithm = "zstd"
	default:
		return 0, c, usageErrorf("--compression %q: use gzip or zstd", f.compression)
	}
	switch f.format {
	case "", "oci":
		return pipeline.FormatOCI, c, nil
	case "docker":
		if c.Algorithm == "zstd" {
			return 0, c, usageErrorf("--format docker cannot have --compression zstd: Docker media types have no zstd layer; use gzip")
		}
		return pipeline.FormatDocker, c, nil
	}
	return 0, c, usageErrorf("--format %q: use oci or docker", f.format)
}

// cache is the absolute cache directory, or "" for --no-cache.
func (f buildFlags) cache(workDir string) string {
	if f.noCache || f.cacheDir == "" {
		return ""
	}
	return abs(workDir, f.cacheDir)
}

// repoFromEnv applies $PACKAGER_REPO, or ko's $KO_DOCKER_REPO, when --repo
// is not given: an environment variable is the flag's default, so it wins
// over packager.yaml's repo:. KO_DOCKER_REPO=ko.local means the local
// Docker daemon, as in ko.
func (f buildFlags) repoFromEnv(e env, log *slog.Logger) buildFlags {
	if f.repo != "" || e.repo == "" {
		return f
	}
	if e.repoFrom == "KO_DOCKER_REPO" && e.repo == "ko.local" {
		log.Info("loading into the local Docker daemon, as KO_DOCKER_REPO=ko.local says")
		f.docker = true
		return f
	}
	log.Info("repository from the environment", "var", e.repoFrom, "repo", e.repo)
	f.repo = e.repo
	return f
}

// goCacheEnv is the environment go builds with: with --remote-cache, go
// gets GOCACHEPROG running this executable's gocacheprog command, which
// keeps its local level in the cache directory (so not with --no-cache).
// A GOCACHEPROG in build_env still wins: it comes later.
func (f buildFlags) goCacheEnv(e env, log *slog.Logger) ([]string, error) {
	if f.remoteCache == "" {
		return e.vars, nil
	}
	dir := f.cache(e.workDir)
	if dir == "" {
		log.Warn("--no-cache: not using the remote Go build cache, which needs the local cache", "remote_cache", f.remoteCache)
		return e.vars, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("--remote-cache: find packager's executable for GOCACHEPROG: %w", err)
	}
	prog, err := gocache.ProgEnv(exe, gocache.ProgConfig{Repo: f.remoteCache, ReadOnly: f.remoteRO, CacheDir: dir})
	if err != nil {
		return nil, usageErrorf("--remote-cache: %v", err)
	}
	log.Info("remote Go build cache", "repo", f.remoteCache, "readonly", f.remoteRO)
	return append(slices.Clone(e.vars), prog), nil
}
