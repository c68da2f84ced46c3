package pipeline

import (
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/sign"
	"github.com/packager-dev/packager/oci"
)

// Format is the media type family of the images built.
type Format int

const (
	// FormatOCI writes OCI image manifests and indexes (the default).
	FormatOCI Format = iota
	// FormatDocker writes Docker schema 2 manifests and manifest lists, for
	// tools that need them (Podman keeps healthchecks only in these).
	// Docker manifests carry no annotations.
	FormatDocker
)

// Request is everything one build needs, already parsed and checked.
type Request struct {
	Targets []config.Target // from config.File.Targets; never changed
	// Outputs are where images go, in order, as oci.ParseOutput takes them
	// ("registry", "oci:DIR", "tarball:FILE", "docker"); at least one. The
	// pipeline parses them with Remote and its own upload counter.
	Outputs []string
	Remote  []oci.Option // registry options for bases and pushes

	// Environ is the process environment: go runs with it, and templates
	// read .Env from it.
	Environ []string
	GoBin   string // the go command; "go" when empty
	// Created is the time written into images. Epoch says it came from
	// SOURCE_DATE_EPOCH (or another chosen source), so the standard
	// org.opencontainers.image.created label is set too.
	Created time.Time
	Epoch   bool

	// TemplateEnv overrides what templates read as .Env.NAME (nil: unset);
	// go never sees it. verify --rebuild sets the values a provenance
	// recorded here, so a hostile provenance cannot set GOFLAGS, PATH or
	// LD_PRELOAD for the build it asks for.
	TemplateEnv map[string]*string

	CacheDir    string // absolute; "" builds without the cache
	TempDir     string // where staging goes without a cache; "" is os.TempDir()
	Jobs        int    // go builds and image assemblies at once; at least 1
	Index       bool   // publish an index even for a single platform
	Format      Format
	Naming      Naming
	Compression oci.Compression
	// Shard, when enabled, builds only its share of the image × platform
	// pairs and publishes each pair as its own image, tagged
	// PlatformTag(tag, platform), for `packager index create` to merge.
	Shard Shard

	Attest Attest // SBOMs, provenance and signatures to attach

	// ImageRefs is a file to write the published references to, as
	// ko's --image-refs does; "" for none. See [WriteImageRefs].
	ImageRefs string

	Events Events       // nil: no events
	Log    *slog.Logger // debug details; nil: discarded
}

// ConfigError is a problem the user fixes in packager.yaml or on the
// command line (a template that does not render, a user the base does
// not have), found while building.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Attest says what evidence is attached to the published images
// (docs/attestations.md). The zero value attaches nothing.
type Attest struct {
	SBOM       sbom.Format // "" or sbom.FormatNone: no SBOMs
	Provenance bool        // SLSA provenance for every artifact
	Signer     sign.Signer // nil: nothing is signed

	// Self is packager's own build information (runtime/debug.ReadBuildInfo
	// in main): the static base's CA bundle module version, for SBOMs.
	Self    *debug.BuildInfo
	Version string // packager's version, named in SBOMs and provenance

	// Config is packager.yaml as the user named it, recorded in
	// provenance with the digest of ConfigFile (absolute); both "" when
	// the build used no file.
	Config, ConfigFile string

	// Flags are what the command line laid over packager.yaml, recorded
	// in provenance so that a rebuild can apply them too.
	Flags provenance.Flags
}

// any reports whether anything is attached at all.
func (a Attest) any() bool {
	return a.sbom() || a.Provenance || a.Signer != nil
}

func (a Attest) sbom() bool { return a.SBOM != "" && a.SBOM != sbom.FormatNone }
