package main

import (
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/oci"
)

// defaultLayout is where images go when no repo and no output is given, so
// the first `packager build` works with no registry and no daemon.
const defaultLayout = "dist/oci"

// chooseOutputs maps the flags to destinations: explicit --oci-layout,
// --tarball and --docker replace the default; a repo means push unless an explicit
// output was given without --push; nothing at all means dist/oci.
func chooseOutputs(f buildFlags, targets []config.Target, workDir string) ([]string, error) {
	var dests []string
	if f.ociLayout != "" {
		dests = append(dests, "oci:"+abs(workDir, f.ociLayout))
	}
	if f.tarball != "" {
		dests = append(dests, "tarball:"+abs(workDir, f.tarball))
	}
	if f.docker {
		dests = append(dests, "docker")
	}
	hasRepo := len(targets) > 0 && targets[0].Repo != ""
	switch {
	case f.push && !hasRepo:
		return nil, usageErrorf("--push needs a repository: set repo: in packager.yaml or pass --repo")
	case f.push || (hasRepo && len(dests) == 0):
		dests = append(dests, "registry")
	case len(dests) == 0:
		dests = append(dests, "oci:"+abs(workDir, defaultLayout))
	}
	for _, d := range dests {
		if _, err := oci.ParseOutput(d); err != nil {
			return nil, usageError{err}
		}
	}
	return dests, nil
}

func abs(workDir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(workDir, p)
}

func remoteOptions(e env, insecure bool, jobs int) []oci.Option {
	return []oci.Option{
		oci.WithKeychain(authn.DefaultKeychain),
		oci.WithInsecure(insecure),
		oci.WithUserAgent("packager/" + version()),
		oci.WithJobs(max(jobs, 1)),
		oci.WithDockerConfigDir(e.dockerConfig),
	}
}
