package oci

import (
	"fmt"
	"io/fs"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/internal/staticbase"
)

// staticEnv is the environment of the static base: a conventional PATH, and
// SSL_CERT_FILE so Go's crypto/x509 finds the bundled roots without guessing.
var staticEnv = []string{
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
}

// staticEntries is the root filesystem of the static base: what a static Go
// binary needs to resolve users, hosts and TLS certificates, and nothing else.
func staticEntries() []Entry {
	const dir = fs.ModeDir
	return []Entry{
		{Path: "/etc", Mode: dir | 0o755},
		// One list of accounts for this file and for config's check of
		// user: names, so the two can never disagree.
		{Path: "/etc/passwd", Mode: 0o644, Data: staticbase.Passwd()},
		{Path: "/etc/group", Mode: 0o644, Data: staticbase.Group()},
		{Path: "/etc/nsswitch.conf", Mode: 0o644, Data: []byte("hosts: files dns\n")},
		{Path: "/etc/ssl/certs/ca-certificates.crt", Mode: 0o644, Data: caBundlePEM()},
		{Path: "/home/nonroot", Mode: dir | 0o700, UID: 65532, GID: 65532},
		{Path: "/root", Mode: dir | 0o700},
		{Path: "/tmp", Mode: dir | fs.ModeSticky | 0o777},
	}
}

// staticLayer is built once: it does not depend on the platform, and
// gzipping the certificate bundle on every call would be wasted work.
var staticLayer = sync.OnceValues(func() (v1.Layer, error) {
	return NewLayer(staticEntries(), types.OCILayer, time.Unix(0, 0))
})

// StaticBase returns the built-in base image for p: one OCI layer with
// /etc/passwd, /etc/group, /etc/nsswitch.conf, CA certificates, /home/nonroot,
// /root and /tmp. It needs no network and gives the same bytes on every host;
// only the config (os, architecture, variant) differs between platforms.
func StaticBase(p v1.Platform) (v1.Image, error) {
	layer, err := staticLayer()
	if err != nil {
		return nil, fmt.Errorf("static base: %w", err)
	}
	epoch := v1.Time{Time: time.Unix(0, 0).UTC()}
	img, err := mutate.Append(ociEmpty(), mutate.Addendum{
		Layer:   layer,
		History: v1.History{Created: epoch, CreatedBy: "packager static base"},
	})
	if err != nil {
		return nil, fmt.Errorf("static base: %w", err)
	}
	return withPlatform(img, p, func(cf *v1.ConfigFile) {
		cf.Created = epoch
		cf.Config.Env = append([]string(nil), staticEnv...)
	})
}

// ScratchBase returns an empty image (FROM scratch) with OCI media types and
// p in its config.
func ScratchBase(p v1.Platform) (v1.Image, error) {
	return withPlatform(ociEmpty(), p, func(*v1.ConfigFile) {})
}

// ociEmpty is ggcr's empty image with OCI instead of Docker media types.
func ociEmpty() v1.Image {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	return mutate.ConfigMediaType(img, types.OCIConfigJSON)
}

// withPlatform writes p into img's config, after edit has made its changes.
func withPlatform(img v1.Image, p v1.Platform, edit func(*v1.ConfigFile)) (v1.Image, error) {
	if p.OS == "" || p.Architecture == "" {
		return nil, fmt.Errorf("platform %q needs an os and an architecture, e.g. linux/amd64", p.String())
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf.OS, cf.Architecture, cf.Variant = p.OS, p.Architecture, p.Variant
	edit(cf)
	return mutate.ConfigFile(img, cf)
}
