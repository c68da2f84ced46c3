package main

import (
	"cmp"
	"runtime/debug"
	"slices"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/sign"
)

// attest parses --sbom and loads --sign-key before anything else, so a
// key that cannot be used stops the build before anything is built or
// pushed.
func (f buildFlags) attest(e env) (pipeline.Attest, error) {
	a := pipeline.Attest{Version: version()}
	a.Self, _ = debug.ReadBuildInfo()
	var err error
	if a.SBOM, err = sbom.ParseFormat(f.sbom); err != nil {
		return a, usageErrorf("--sbom: %w", err)
	}
	if f.signKey != "" {
		if a.Signer, err = sign.LoadKeyFile(abs(e.workDir, f.signKey), []byte(e.cosignPassword)); err != nil {
			return a, usageErrorf("--sign-key: %w", err)
		}
	}
	return a, nil
}

// attestFor completes a with what the outputs and packager.yaml decide:
// provenance is on when pushing unless --provenance says otherwise.
func (f buildFlags) attestFor(a pipeline.Attest, file *config.File, outputs []string) pipeline.Attest {
	pushing := slices.Contains(outputs, "registry")
	a.Provenance = f.provenance || (!f.provenanceSet && pushing)
	if a.ConfigFile = file.Source(); a.ConfigFile != "" {
		a.Config = cmp.Or(f.file, "packager.yaml")
	}
	return a
}

// imageRefsPath is --image-refs made absolute, "" when not given.
func (f buildFlags) imageRefsPath(e env) string {
	if f.imageRefs == "" {
		return ""
	}
	return abs(e.workDir, f.imageRefs)
}
