package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/internal/termprogress"
	"github.com/packager-dev/packager/oci"
)

// buildFlags are the flags of `packager build` as typed; each one
// overrides the matching packager.yaml setting. request turns them into a
// pipeline.Request.
type buildFlags struct {
	file        string
	repo        string
	platforms   []string
	base        string
	tags        []string
	ociLayout   string
	tarball     string
	push        bool
	insecure    bool
	pushTimeout time.Duration
	jobs        int
	docker      bool
	index       bool
	cacheDir    string
	noCache     bool
	compression string
	format      string
	json        bool
	remoteCache string
	remoteRO    bool
	ko          koFlags
	// attestations (docs/attestations.md)
	sbom, signKey, imageRefs  string
	provenance, provenanceSet bool
	shard                     string
}

func newBuildCommand(stdout, stderr io.Writer, logger func() *slog.Logger, e env) *cobra.Command {
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "build [packages...]",
		Short: "Build images for the packages given, or for every image in packager.yaml",
		Long: `Build compiles each main package for its target platform and assembles an OCI image.

packager.yaml is the nearest one from the current directory up to the module
root (the directory with go.mod), or the file -f names. With no packages, every
image in it is built. A package given on the command line uses its packager.yaml
entry when one has that main or name; otherwise it gets the file's defaults and
the log says "packager.yaml has no image for this package".

Where the images go: with a repo (packager.yaml "repo:" or --repo) they are
pushed; --oci-layout and --tarball write files instead (add --push to also
push). With neither, they go to the OCI layout dist/oci.

stdout gets one reference per image and output (repo/name:tag@sha256:..., or
oci:DIR@sha256:... for a layout), or with --json one JSON document; logs go
to stderr.`,
		Example: `  packager build ./cmd/app
  packager build --repo 127.0.0.1:5000/team ./cmd/app
  packager build                      # every image in packager.yaml (here or up to the module root)
  packager build --tarball app.tar ./cmd/app && docker load -i app.tar`,
		RunE: func(cmd *cobra.Command, args []string) error {
			log := logger()
			log.Debug("environment", "env", e.String())
			f.provenanceSet = cmd.Flags().Changed("provenance")
			req, err := f.request(cmd.Context(), e, args, log)
			if err != nil {
				return err
			}
			var live io.Writer // a terminal, unless -q or -v asked for other output
			if ctx := cmd.Context(); e.stderrTerminal && log.Enabled(ctx, slog.LevelInfo) && !log.Enabled(ctx, slog.LevelDebug) {
				live = stderr
			}
			return runBuild(cmd.Context(), req, log, stdout, f.json, live)
		},
	}
	cmd.Flags().StringVarP(&f.file, "file", "f", "", "packager.yaml to read (default: the nearest packager.yaml from the current directory up to the module root)")
	cmd.Flags().StringVar(&f.shard, "shard", "", "build only share I of N of the images × platforms (e.g. 2/4, one per CI job) and push each platform as TAG-OS-ARCH; merge with packager index create (see docs/ci.md)")
	cmd.Flags().BoolVar(&f.json, "json", false, "print one JSON document to stdout instead of the references: every image with its refs, tags, platforms (digest, size) and attachments")
	addBuildFlags(cmd, &f, e)
	return cmd
}

// addBuildFlags registers the flags build shares with resolve and apply:
// all but -f, which names the YAML to resolve there.
func addBuildFlags(cmd *cobra.Command, f *buildFlags, e env) {
	fl := cmd.Flags()
	fl.StringVar(&f.repo, "repo", "", "registry repository to push to, e.g. ghcr.io/org (images go to REPO/NAME); default $PACKAGER_REPO, else $KO_DOCKER_REPO (ko.local: the Docker daemon), else packager.yaml's repo:")
	fl.StringSliceVar(&f.platforms, "platform", nil, "target platforms, e.g. linux/amd64,linux/arm64, or all")
	fl.StringVar(&f.base, "base", "", "base image: static, scratch, oci:DIR[:TAG] or a registry reference")
	fl.StringArrayVarP(&f.tags, "tag", "t", nil, "tag to publish (repeatable; default latest)")
	fl.StringVar(&f.ociLayout, "oci-layout", "", "write the images to the OCI image layout DIR")
	fl.StringVar(&f.tarball, "tarball", "", "write the images to FILE, a tarball that docker load and skopeo (oci-archive:) accept")
	fl.BoolVar(&f.docker, "docker", false, "load the images into the local Docker daemon (an index loads the host's platform)")
	fl.BoolVar(&f.push, "push", false, "push to the repo even when --oci-layout, --tarball or --docker is given")
	fl.BoolVar(&f.index, "index", false, "publish an image index even for a single platform")
	fl.StringVar(&f.cacheDir, "cache-dir", e.cacheDir, "where built binaries and layers are cached ($PACKAGER_CACHE_DIR, default $XDG_CACHE_HOME/packager)")
	fl.BoolVar(&f.noCache, "no-cache", false, "build without reading or writing the cache")
	fl.StringVar(&f.format, "format", "oci", "media types of the images: oci, or docker (Docker schema 2, for tools that need it, e.g. Podman runs healthchecks only in Docker-format images)")
	fl.StringVar(&f.compression, "compression", "gzip", "layer compression: gzip, or zstd (smaller and faster; needs containerd or Docker 23+ and an OCI base)")
	fl.BoolVar(&f.insecure, "insecure-registry", false, "allow plain HTTP to registries other than localhost/127.0.0.1")
	fl.DurationVar(&f.pushTimeout, "push-timeout", oci.DefaultPushTimeout, "give up a push that has not finished within this long (a registry making no progress is given up on after 80s)")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "builds to run at once")
	fl.StringVar(&f.remoteCache, "remote-cache", lookupEnv(e.vars, remoteCacheEnv),
		"registry repository holding a Go build cache shared by every runner, e.g. ghcr.io/acme/gocache ($"+remoteCacheEnv+"; see docs/remote-cache.md)")
	fl.BoolVar(&f.remoteRO, "remote-cache-readonly", false, "read the remote Go build cache but never write it (for untrusted builds such as pull requests)")
	fl.StringVar(&f.sbom, "sbom", "spdx", "SBOM attached to each image: spdx (SPDX 2.3 JSON), cyclonedx (CycloneDX 1.6 JSON) or none")
	fl.BoolVar(&f.provenance, "provenance", false, "attach SLSA provenance (default true when pushing to a registry)")
	fl.StringVar(&f.signKey, "sign-key", "", "sign the images and attestations with this private key, as cosign does (PEM PKCS#8 EC P-256, Ed25519, RSA, or a cosign key with $COSIGN_PASSWORD)")
	addKoFlags(cmd, &f.ko)
	fl.StringVar(&f.imageRefs, "image-refs", "", "write the published image references to FILE, one per line; FILE.json also lists their SBOMs, provenance and signatures")
}

// loadConfig reads packager.yaml: the file named by -f, or the nearest
// packager.yaml from the working directory up to the module root (the
// directory with go.mod), or an empty configuration for flag-only builds.
func loadConfig(ctx context.Context, path, workDir string) (*config.File, error) {
	file, err := config.LoadNearest(ctx, path, workDir)
	if err != nil {
		return nil, usageError{err}
	}
	return file, nil
}

// overrides turns the flags into config overrides. --platform is a string
// slice flag, so pflag has already split comma-separated lists; only the
// spaces around the items ("linux/amd64, linux/arm64") are left to trim.
func (f buildFlags) overrides(packages []string) (config.Overrides, error) {
	var platforms []string
	for _, p := range f.platforms {
		if p = strings.TrimSpace(p); p != "" {
			platforms = append(platforms, p)
		}
	}
	labels, err := keyValues("--image-label", f.ko.labels)
	if err != nil {
		return config.Overrides{}, err
	}
	annotations, err := keyValues("--image-annotation", f.ko.annotations)
	return config.Overrides{Repo: f.repo, Platforms: platforms, Base: f.base, Tags: f.tags, Packages: packages,
		User: f.ko.user, Ldflags: f.ko.ldflags, Labels: labels, Annotations: annotations}, err
}

// runBuild runs the pipeline with progress on stderr and, at the end, the
// references (or with asJSON the summary) on stdout.
// With live set (a terminal), progress is drawn there instead of logged.
func runBuild(ctx context.Context, req pipeline.Request, log *slog.Logger, stdout io.Writer, asJSON bool, live io.Writer) error {
	refs, sum := stdout, &pipeline.Collector{}
	if asJSON {
		refs = nil
	}
	progressLog, events := log, pipeline.Events(sum)
	var display *termprogress.Display
	if live != nil {
		display = termprogress.New(live)
		progressLog, events = slog.New(slog.DiscardHandler), pipeline.Tee(sum, liveEvents(display))
	}
	p := newProgress(progressLog, refs)
	defer p.stop()
	req.Log, req.Events = log, pipeline.Tee(p, events)
	err := pipeline.Run(ctx, req)
	if display != nil {
		display.Close() // the last frame comes before the result or the error
	}
	if err != nil {
		return fromPipeline(err)
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sum.Summary())
	}
	return nil
}

// fromPipeline maps the pipeline's config errors to usage errors (exit 2).
func fromPipeline(err error) error {
	var ce *pipeline.ConfigError
	if errors.As(err, &ce) {
		return usageError{err}
	}
	return err
}
