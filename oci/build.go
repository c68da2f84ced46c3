package oci

import (
	"context"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Build adds up to three layers to s.Base and sets the image config:
//
//  1. extras: the CA bundle with s.CACerts, and s.TZData;
//  2. files: s.Files;
//  3. binaries: s.Binaries (always present).
//
// They are ordered from least to most often changed, so a rebuild after a
// code change reuses the lower layers in registries and runtimes. Layers
// with nothing in them are left out. The layer media type follows the base
// (a Docker schema 2 base gets Docker layers, anything else OCI layers) so
// the manifest never mixes the two; zstd needs an OCI base.
//
// Build reads the base's filesystem only when it has to: for /etc/passwd and
// /etc/group when s.User names a user or group, and for the CA bundle when
// s.CACerts is set. The same Spec (and the same bytes on disk and in the
// base) gives the same digest.
func Build(ctx context.Context, s Spec) (v1.Image, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	created := layerTime(s.Created)
	comp, _ := s.Compression.withDefaults() // checked in s.check
	bmt, err := s.Base.MediaType()
	if err != nil {
		return nil, fmt.Errorf("read base media type: %w", err)
	}
	mt, err := comp.layerMediaType(bmt)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	cf, err := s.Base.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read base config: %w", err)
	}
	baseFiles, err := s.readBase()
	if err != nil {
		return nil, err
	}
	user, err := resolveUser(s.User, baseFiles["/etc/passwd"], baseFiles["/etc/group"])
	if err != nil {
		return nil, &FieldError{Field: "user", Err: err}
	}
	extraEntries, extraEnv, err := extras(s, baseFiles[caBundlePath], cf.Config.Env)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	var fileEnts []Entry
	for i, f := range s.Files {
		es, err := fileEntries(f)
		if err != nil {
			return nil, &FieldError{Field: fmt.Sprintf("files[%d]", i), Err: err}
		}
		fileEnts = append(fileEnts, es...)
	}
	var binEnts []Entry
	for _, b := range s.Binaries {
		binEnts = append(binEnts, Entry{Path: b.Path, Mode: 0o755, Source: b.Source, SourceID: b.ID})
	}

	var adds []mutate.Addendum
	for _, l := range []struct {
		what    string
		entries []Entry
	}{
		{"CA certificates and time zone data", extraEntries},
		{"files", fileEnts},
		{"binaries", binEnts},
	} {
		if len(l.entries) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var early func(v1.Layer)
		if l.what == "binaries" {
			early = s.EarlyUpload
		}
		layer, err := cachedLayer(s.Cache, l.entries, mt, created, comp, early)
		if err != nil {
			return nil, fmt.Errorf("build: %s layer: %w", l.what, err)
		}
		createdBy := s.CreatedBy
		if l.what != "binaries" {
			createdBy = joinNonEmpty(s.CreatedBy, l.what)
		}
		adds = append(adds, mutate.Addendum{
			Layer:   layer,
			History: v1.History{Created: v1.Time{Time: created}, CreatedBy: createdBy},
		})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	img, err := mutate.Append(s.Base, adds...)
	if err != nil {
		return nil, fmt.Errorf("append layers: %w", err)
	}
	if cf, err = img.ConfigFile(); err != nil {
		return nil, fmt.Errorf("read base config: %w", err)
	}
	if err := s.applyConfig(cf, created, user, extraEnv); err != nil {
		return nil, err
	}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return nil, err
	}
	if len(s.Annotations) > 0 {
		img = mutate.Annotations(img, s.Annotations).(v1.Image)
	}
	return img, nil
}

// readBase reads the files of the base that s needs, and nothing when it
// needs none: reading a registry base's layers means downloading them.
func (s Spec) readBase() (map[string][]byte, error) {
	var paths []string
	if userNeedsBase(s.User) {
		paths = append(paths, "/etc/passwd", "/etc/group")
	}
	if len(s.CACerts) > 0 {
		paths = append(paths, caBundlePath)
	}
	if len(paths) == 0 {
		return nil, nil
	}
	files, err := readBaseFiles(s.Base, paths)
	if err != nil {
		return nil, fmt.Errorf("build: read the base image's files: %w", err)
	}
	return files, nil
}

// applyConfig sets what the Spec controls and leaves the rest of the base's
// config alone. extraEnv (from the extras layer) comes before s.Env, so the
// caller's Env wins.
func (s Spec) applyConfig(cf *v1.ConfigFile, created time.Time, user string, extraEnv []string) error {
	env, err := mergeEnv(cf.Config.Env, append(extraEnv, s.Env...))
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	// nil means "not set": the first binary. An empty, non-nil list is an
	// explicit "no entrypoint", so Args is the whole command, as with a
	// Dockerfile's CMD ["/bin/app"] and no ENTRYPOINT.
	var entrypoint []string
	if s.Entrypoint == nil {
		entrypoint = []string{s.Binaries[0].Path}
	} else if len(s.Entrypoint) > 0 {
		entrypoint = append([]string(nil), s.Entrypoint...)
	}
	cf.OS, cf.Architecture, cf.Variant = s.Platform.OS, s.Platform.Architecture, s.Platform.Variant
	cf.Created = v1.Time{Time: created}
	cf.Config.Entrypoint = entrypoint
	// The base's Cmd was written for the base's entrypoint; passing it to ours
	// would be surprising, so Args is the whole CMD.
	cf.Config.Cmd = append([]string(nil), s.Args...)
	cf.Config.Env = env
	cf.Config.User = user
	applyImageConfig(&cf.Config, s)
	return nil
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + ": " + b
}
