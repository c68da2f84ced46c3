package main

import (
	"cmp"
	"runtime/debug"
	"slices"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/sign"
)

// attest parses --sbom and loads --sign-key before anything else, so a
// key that cannot be used stops the build before anything is built or
// pushed.
func (f buildFlags) attest(e env) (pipeline.Attest, error) {
	var a pipeline.Attest
	a.Self, _ = debug.ReadBuildInfo()
	a.Version = builderVersion(a.Self)
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
// provenance is on when pushing unless --provenance says otherwise; it
// records the flags in o that change the images.
func (f buildFlags) attestFor(a pipeline.Attest, file *config.File, outputs []string, o config.Overrides) pipeline.Attest {
	pushing := slices.Contains(outputs, "registry")
	a.Provenance = f.provenance || (!f.provenanceSet && pushing)
	if a.ConfigFile = file.Source(); a.ConfigFile != "" {
		a.Config = cmp.Or(f.file, "packager.yaml")
	}
	a.Flags = provenance.Flags{Base: o.Base, User: o.User, Ldflags: o.Ldflags, Labels: o.Labels, Annotations: o.Annotations}
	return a
}

// imageRefsPath is --image-refs made absolute, "" when not given.
func (f buildFlags) imageRefsPath(e env) string {
	if f.imageRefs == "" {
		return ""
	}
	return abs(e.workDir, f.imageRefs)
}

// builderVersion is packager's version as SBOMs and provenance name it:
// the module version (a tag for `go install ...@v1.2.3`) and, for a build
// from a checkout, whose version is "(devel)", the commit go stamped in:
// "(devel)+REVISION", with "+dirty" when the tree had uncommitted changes
// (go's own suffix for those). Without a stamp (-buildvcs=false, no git)
// it stays "(devel)".
func builderVersion(bi *debug.BuildInfo) string {
	if bi == nil {
		return "(devel)"
	}
	v := cmp.Or(bi.Main.Version, "(devel)")
	if v != "(devel)" {
		return v
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		v += "+" + rev
		if settings["vcs.modified"] == "true" {
			v += "+dirty"
		}
	}
	return v
}
