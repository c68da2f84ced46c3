package sbom

import (
	"debug/buildinfo"
	"fmt"
	"runtime/debug"
	"time"
)

// Input is everything one SBOM describes: one image for one platform.
type Input struct {
	Name        string    // image repository, e.g. "ghcr.io/acme/api"
	Digest      string    // "sha256:..." of the platform image, when known
	Platform    string    // "linux/amd64"
	Binaries    []Binary  // the Go programs in the image
	Base        Base      // what the image was built on
	Created     time.Time // the document's creation time (the image's created time keeps digests reproducible)
	ToolVersion string    // packager's version, named as the creating tool
}

// Binary is one Go program in the image and the build information
// embedded in it.
type Binary struct {
	Path string // where it is in the image, e.g. "/usr/local/bin/api"
	Info *debug.BuildInfo
}

// Base is what the base image contributes.
type Base struct {
	Ref     string   // "static", "scratch", "oci:DIR[:TAG]" or a registry reference
	Digest  string   // "sha256:..." of the base image for this platform; empty for static and scratch
	Modules []Module // Go modules whose files the base carries (the static base's CA bundle)
	SBOM    *Ref     // the base's own SBOM, when its registry has one attached
}

// Module is a Go module at a version, with its go.sum hash ("h1:...").
type Module struct {
	Path, Version, Sum string
}

// Ref points at a document stored elsewhere, by digest.
type Ref struct {
	Location  string // e.g. "registry.example/base@sha256:..."
	MediaType string // e.g. "application/spdx+json"
	Digest    string // "sha256:..."
}

// ReadBinary reads the build information of the Go binary at file, which
// sits at pathInImage in the image.
func ReadBinary(file, pathInImage string) (Binary, error) {
	bi, err := buildinfo.ReadFile(file)
	if err != nil {
		return Binary{}, fmt.Errorf("read Go build information from %s (was it built by go build with module support?): %w", file, err)
	}
	return Binary{Path: pathInImage, Info: bi}, nil
}

// caBundleModule is where the static base's CA certificates come from.
const caBundleModule = "golang.org/x/crypto/x509roots/fallback"

// StaticBase describes the built-in static base, whose only third-party
// content is the CA bundle packager embeds from caBundleModule. self is
// packager's own build information (runtime/debug.ReadBuildInfo), which
// records the module version it was linked with.
func StaticBase(self *debug.BuildInfo) (Base, error) {
	if self != nil {
		for _, d := range self.Deps {
			if d.Path == caBundleModule {
				m := moduleOf(d)
				return Base{Ref: "static", Modules: []Module{m}}, nil
			}
		}
	}
	return Base{}, fmt.Errorf("packager's build information does not list %s: build packager with module support (go build, not go run of single files)", caBundleModule)
}

// moduleOf returns the module that was actually used: the replacement, if any.
func moduleOf(d *debug.Module) Module {
	m := Module{Path: d.Path, Version: d.Version, Sum: d.Sum}
	if d.Replace != nil {
		m.Version, m.Sum = d.Replace.Version, d.Replace.Sum
	}
	return m
}
