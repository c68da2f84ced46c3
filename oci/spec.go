package oci

import (
	"errors"
	"fmt"
	"path"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Spec says how to turn a base and some binaries into an image: everything
// the final stage of a Dockerfile can say.
type Spec struct {
	Base     v1.Image
	Platform v1.Platform // written into the config (os/architecture/variant)

	// Binaries go into the top layer, mode 0755, uid/gid 0.
	Binaries []Binary

	// Files are copied into a layer below the binaries: they change less often.
	Files []File
	// CACerts are extra PEM certificates appended to the base's
	// /etc/ssl/certs/ca-certificates.crt (or to the static base's bundle when
	// the base has none). SSL_CERT_FILE is set unless the base sets it.
	CACerts [][]byte
	// TZData is Go's $GOROOT/lib/time/zoneinfo.zip on disk ("" = none). It
	// is unpacked to /usr/share/zoneinfo (one file per zone, 0644, root),
	// where programs find it without ZONEINFO; ZONEINFO is not set.
	TZData string

	// Entrypoint nil means the first binary's path; an empty, non-nil list
	// means no entrypoint at all, so Args is the whole command.
	Entrypoint []string
	Args       []string // CMD (nil = none; the base's Cmd is never inherited)
	Env        []string // "K=V": replaces same-named keys of the base env, keeps its order, appends new keys sorted
	// User is "uid", "uid:gid", "name" or "name:group". Names are resolved to
	// numbers from the base's /etc/passwd and /etc/group; a name alone also
	// gets the user's primary gid. Empty keeps no user (root).
	User        string
	WorkingDir  string            // absolute; "" keeps the base's
	Ports       []string          // "8080/tcp", "53/udp", "9000/sctp"; "8080" means tcp. Added to the base's.
	Volumes     []string          // absolute paths, added to the base's
	StopSignal  string            // "SIGTERM" or a number; "" keeps the base's
	Healthcheck *v1.HealthConfig  // nil keeps the base's; Test[0] is CMD, CMD-SHELL or NONE
	Labels      map[string]string // config labels, over the base's (ours win)
	Annotations map[string]string // manifest annotations

	Created   time.Time // config created, history created, layer mtimes; zero means the Unix epoch
	CreatedBy string    // history entry text, e.g. "packager build example.com/cmd/app"

	Compression Compression // of the layers Build adds; the base's layers stay as they are
	Cache       LayerCache  // nil = build every layer

	// EarlyUpload, when not nil, is called with the binaries' layer when
	// it is not in Cache, as it starts being compressed into the cache: a
	// layer whose bytes stream as they are made, once, and whose digest
	// is known when they all have (see UploadLayer). It must not block.
	// An upload that falls behind is dropped and fails; the layer is
	// built all the same.
	EarlyUpload func(v1.Layer)
}

// Binary is one executable to put into the image.
type Binary struct {
	Source string // path on disk
	ID     string // optional identity of Source's bytes, see Entry.SourceID
	Path   string // absolute, clean path in the image, e.g. /usr/local/bin/app
}

// check reports every mistake in s that can be found without reading the
// disk or the base image, all at once.
func (s Spec) check() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("build: %w", err))
		}
	}
	if s.Base == nil {
		add(errors.New("no base image"))
	}
	if s.Platform.OS == "" || s.Platform.Architecture == "" {
		add(fmt.Errorf("platform %q needs an os and an architecture, e.g. linux/amd64", s.Platform.String()))
	}
	add(checkBinaries(s))
	for _, f := range s.Files {
		add(checkFile(f))
	}
	for i, pem := range s.CACerts {
		add(checkCACert(i, pem))
	}
	if _, err := mergeEnv(nil, s.Env); err != nil {
		add(err)
	}
	if s.User != "" {
		_, _, err := splitUser(s.User)
		add(err)
	}
	add(checkConfig(s))
	if _, err := s.Compression.withDefaults(); err != nil {
		add(err)
	}
	return errors.Join(errs...)
}

func checkBinaries(s Spec) error {
	bins := s.Binaries
	if len(bins) == 0 {
		return errors.New("no binary to add")
	}
	var errs []error
	seen := map[string]string{}
	for _, b := range bins {
		switch {
		case b.Source == "":
			errs = append(errs, fmt.Errorf("binary for %q: no source file on disk", b.Path))
		case !path.IsAbs(b.Path) || path.Clean(b.Path) != b.Path || b.Path == "/":
			errs = append(errs, fmt.Errorf("binary path %q in the image must be an absolute, clean file path such as /usr/local/bin/app", b.Path))
		case seen[b.Path] != "":
			errs = append(errs, fmt.Errorf("binaries %s and %s both go to %s: give each its own path", seen[b.Path], b.Source, b.Path))
		default:
			seen[b.Path] = b.Source
		}
	}
	return errors.Join(errs...)
}
