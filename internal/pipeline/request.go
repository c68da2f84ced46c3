package pipeline

import (
	"log/slog"
	"time"

	"github.com/packager-dev/packager/config"
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
	Outputs []oci.Output    // where images go, in order; at least one
	Remote  []oci.Option    // registry options for bases and pushes

	// Environ is the process environment: go runs with it, and templates
	// read .Env from it.
	Environ []string
	GoBin   string // the go command; "go" when empty
	// Created is the time written into images. Epoch says it came from
	// SOURCE_DATE_EPOCH (or another chosen source), so the standard
	// org.opencontainers.image.created label is set too.
	Created time.Time
	Epoch   bool

	CacheDir    string // absolute; "" builds without the cache
	Jobs        int    // go builds and image assemblies at once; at least 1
	Index       bool   // publish an index even for a single platform
	Format      Format
	Compression oci.Compression
	// Shard, when enabled, builds only its share of the image × platform
	// pairs and publishes each pair as its own image, tagged
	// PlatformTag(tag, platform), for `packager index create` to merge.
	Shard Shard

	Events Events       // nil: no events
	Log    *slog.Logger // debug details; nil: discarded
}

// ConfigError is a problem the user fixes in packager.yaml or on the
// command line (a template that does not render, a user the base does
// not have), found while building.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }
