package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/verify"
	"github.com/packager-dev/packager/oci"
)

type verifyFlags struct {
	rebuild, insecure, noCache bool
	jobs                       int
	cacheDir                   string
}

// newVerifyCommand is `packager verify`: the provenance of a published
// image, and with --rebuild whether the local checkout rebuilds it.
func newVerifyCommand(stdout io.Writer, logger func() *slog.Logger, e env) *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify REF|oci:DIR[:TAG|@DIGEST]",
		Short: "Show an image's provenance; with --rebuild, rebuild it from the checkout and compare",
		Long: `Verify reads the SLSA provenance packager build attached to REF (an image or
an index) and prints what it records: packages, platforms, packager.yaml by
digest, git commit, Go version, bases.

With --rebuild it checks that the checkout in the working directory is the
recorded commit with no changes, that packager.yaml has the recorded digest
and that go is the recorded version (saying what to do when not: exit 2),
rebuilds the same packages for the same platforms into a temporary OCI
layout (nothing is pushed) and compares: "match" and exit 0, or the
platforms, config fields and layers that differ and exit 1. Run it where
the build ran (the directory packager.yaml's recorded path is relative to).
The rebuild uses the environment the provenance recorded: SOURCE_DATE_EPOCH
and every variable packager.yaml's templates in ldflags, env and labels read,
each with its recorded value or unset. They reach the templates only; go
builds with this process's environment, whatever the provenance says.
Provenance written before packager recorded them has neither: set them as
the original build did (the report suggests SOURCE_DATE_EPOCH when the
created times differ). The flags the original build laid over packager.yaml
(--base, --image-user, --ldflags, --image-label, --image-annotation) are
applied too; of --ldflags only -X NAME=VALUE, -s and -w.`,
		Example: `  packager verify --rebuild ghcr.io/acme/api:v1
  SOURCE_DATE_EPOCH=1700000000 packager verify --rebuild ghcr.io/acme/api@sha256:...`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), args[0], f, e, logger(), stdout)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.rebuild, "rebuild", false, "rebuild the image from the checkout and compare it with REF")
	fl.BoolVar(&f.insecure, "insecure-registry", false, "allow plain HTTP to registries other than localhost/127.0.0.1")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "builds to run at once")
	fl.StringVar(&f.cacheDir, "cache-dir", e.cacheDir, "where built binaries and layers are cached ($PACKAGER_CACHE_DIR, default $XDG_CACHE_HOME/packager)")
	fl.BoolVar(&f.noCache, "no-cache", false, "rebuild without reading or writing the cache")
	return cmd
}

func runVerify(ctx context.Context, ref string, f verifyFlags, e env, log *slog.Logger, stdout io.Writer) error {
	if f.jobs < 1 {
		return usageErrorf("-j %d: give at least 1 build at a time", f.jobs)
	}
	opts := remoteOptions(e, f.insecure, f.jobs)
	prov, published, err := verify.Fetch(ctx, ref, opts...)
	if errors.Is(err, verify.ErrNoProvenance) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	if !f.rebuild {
		return printProvenance(stdout, prov)
	}
	local, err := verify.LocalState(ctx, e.workDir, e.vars, prov)
	if err != nil {
		return err
	}
	if err := prov.Check(local); err != nil {
		return usageError{err}
	}
	if len(prov.Environment) > 0 {
		log.Info("rebuilding with the environment the provenance recorded", "variables", slices.Sorted(maps.Keys(prov.Environment)))
	}
	rebuilt, err := rebuild(ctx, f, e.withRecordedEpoch(prov.Environment), prov, published, log)
	if err != nil {
		return err
	}
	report := verify.Compare(published, rebuilt)
	fmt.Fprint(stdout, report)
	if !report.Match() {
		return fmt.Errorf("%s differs from its rebuild", ref)
	}
	return nil
}

// rebuild builds the image p describes into a temporary OCI layout, with
// the media types, compression and index-ness of the published one, and
// describes it.
func rebuild(ctx context.Context, f verifyFlags, e env, p verify.Provenance, published *oci.Description, log *slog.Logger) (*oci.Description, error) {
	m := verify.MediaOf(published)
	bf := buildFlags{file: p.Config, platforms: p.Platforms, jobs: f.jobs,
		cacheDir: f.cacheDir, noCache: f.noCache, sbom: "none", provenanceSet: true,
		index: m.Index, format: m.Format, compression: m.Compression, pushTimeout: oci.DefaultPushTimeout,
		// The flags the original build gave (Check has refused ldflags
		// other than -X, -s and -w).
		base: p.Flags.Base, ko: koFlags{user: p.Flags.User, ldflags: p.Flags.Ldflags,
			labels: pairs(p.Flags.Labels), annotations: pairs(p.Flags.Annotations)}}
	// Staged where builds stage, so that the next run removes it should
	// this one be killed.
	dir, release, err := pipeline.Staging(bf.cache(e.workDir), "")
	if err != nil {
		return nil, err
	}
	defer release()
	bf.ociLayout = filepath.Join(dir, "out", "oci")
	req, err := verifyRequest(ctx, bf, e, p, log)
	if err != nil {
		return nil, err
	}
	// For templates only: a provenance is whatever the image's publisher
	// wrote, and go must not run with its GOFLAGS or PATH.
	req.TemplateEnv = p.Environment
	sum := &pipeline.Collector{}
	req.Log, req.Events = log, sum
	log.Info("rebuilding", "packages", p.Packages, "platforms", p.Platforms, "commit", p.Commit)
	if err := pipeline.Run(ctx, req); err != nil {
		return nil, fromPipeline(err)
	}
	for _, img := range sum.Summary().Images {
		for _, r := range img.Refs {
			if strings.HasPrefix(r, "oci:") {
				return oci.Inspect(ctx, r)
			}
		}
	}
	return nil, errors.New("the rebuild wrote no image")
}

// verifyRequest makes the build request for the one image p records: an
// image of packager.yaml with exactly p's packages, else those packages
// given as arguments (as `packager build ./cmd/x` would have).
func verifyRequest(ctx context.Context, bf buildFlags, e env, p verify.Provenance, log *slog.Logger) (pipeline.Request, error) {
	quiet := slog.New(slog.DiscardHandler) // the first try's notes are not the user's concern
	if req, err := bf.request(ctx, e, nil, quiet); err == nil {
		if t, ok := verify.PickTarget(req.Targets, p); ok {
			req.Targets = []config.Target{t}
			return req, nil
		}
	}
	req, err := bf.request(ctx, e, p.Args(e.workDir), log)
	if err != nil {
		return req, err
	}
	t, ok := verify.PickTarget(req.Targets, p)
	if !ok {
		return req, usageErrorf("packager.yaml makes no image of exactly %s: the provenance cannot be matched to one", strings.Join(p.Packages, ", "))
	}
	req.Targets = []config.Target{t}
	return req, nil
}

// printProvenance prints what p records. Every value comes from the
// registry, as the image's publisher wrote it: one with a control
// character (an escape sequence, a newline that would forge a line) is
// printed quoted.
func printProvenance(w io.Writer, p verify.Provenance) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	line := func(key string, values ...string) { // orNone quotes what is not printable
		fmt.Fprintf(tw, "%s:\t%s\n", key, orNone(strings.TrimSpace(strings.Join(values, " "))))
	}
	line("subject", p.Subject)
	line("packages", p.Packages...)
	line("platforms", p.Platforms...)
	line("config", p.Config, p.ConfigDigest)
	line("git", p.Repository, p.Commit)
	for _, k := range slices.Sorted(maps.Keys(p.Environment)) {
		v := "(unset)"
		if p.Environment[k] != nil {
			v = "=" + *p.Environment[k]
		}
		line("env", k+v)
	}
	for _, a := range flagArgs(p.Flags) {
		line("flag", a)
	}
	line("go", p.GoVersion)
	line("go.sum", p.GoSum)
	if len(p.Modules) > 0 {
		line("modules", fmt.Sprintf("%d linked, each by package URL and go.sum hash", len(p.Modules)))
	}
	for _, b := range p.Bases {
		line("base", b.Ref, b.Digest)
	}
	line("packager", p.BuilderVersion)
	if !p.Finished.IsZero() {
		line("built", p.Finished.UTC().Format("2006-01-02T15:04:05Z"))
	}
	return tw.Flush()
}

// flagArgs are the recorded flags as packager build takes them.
func flagArgs(f provenance.Flags) []string {
	var args []string
	if f.Base != "" {
		args = append(args, "--base="+f.Base)
	}
	if f.User != "" {
		args = append(args, "--image-user="+f.User)
	}
	for _, l := range f.Ldflags {
		args = append(args, "--ldflags="+l)
	}
	for _, kv := range pairs(f.Labels) {
		args = append(args, "--image-label="+kv)
	}
	for _, kv := range pairs(f.Annotations) {
		args = append(args, "--image-annotation="+kv)
	}
	return args
}

// pairs is m as sorted KEY=VALUE strings.
func pairs(m map[string]string) []string {
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		kv = append(kv, k+"="+m[k])
	}
	return kv
}
