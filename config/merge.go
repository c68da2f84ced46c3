package config

import (
	"cmp"
	"maps"
	"slices"
)

// Built-in values for settings nobody set.
const (
	defaultBase     = "static"
	defaultUser     = "65532:65532" // the distroless "nonroot" user: never root unless asked
	defaultTag      = "latest"
	defaultBinDir   = "/usr/local/bin/"
	defaultPlatform = "linux/amd64"
)

// merge combines defaults: with one image's settings into new values; neither
// input is changed. Lists of flags accumulate (defaults first, so an image can
// override a -X from defaults), maps merge with the image winning, and
// everything else is replaced by the image's value when the image sets it:
// lists (ports, volumes, files, ca_certs) as a whole, and healthcheck as a
// whole, never field by field, so an image cannot end up with a test from one
// place and an interval from another.
func merge(def, img Settings) Settings {
	return Settings{
		Tags:        pick(img.Tags, def.Tags),
		User:        cmp.Or(img.User, def.User),
		Entrypoint:  pick(img.Entrypoint, def.Entrypoint),
		Args:        pick(img.Args, def.Args),
		Env:         mergeMaps(def.Env, img.Env),
		BuildEnv:    mergeMaps(def.BuildEnv, img.BuildEnv),
		Ldflags:     slices.Concat(def.Ldflags, img.Ldflags),
		Flags:       slices.Concat(def.Flags, img.Flags),
		Cgo:         cmp.Or(img.Cgo, def.Cgo),
		Ports:       pick(img.Ports, def.Ports),
		Workdir:     cmp.Or(img.Workdir, def.Workdir),
		Volumes:     pick(img.Volumes, def.Volumes),
		StopSignal:  cmp.Or(img.StopSignal, def.StopSignal),
		Healthcheck: cmp.Or(img.Healthcheck, def.Healthcheck),
		Labels:      mergeMaps(def.Labels, img.Labels),
		Annotations: mergeMaps(def.Annotations, img.Annotations),
		Files:       pickFiles(img.Files, def.Files),
		CACerts:     pick(img.CACerts, def.CACerts),
		Tzdata:      cmp.Or(img.Tzdata, def.Tzdata),
	}
}

// pickFiles is pick for files: lists.
func pickFiles(img, def []FileSpec) []FileSpec {
	if img != nil {
		return slices.Clone(img)
	}
	return slices.Clone(def)
}

// from returns the field prefix a merged value was taken from: the image's
// when the image writes key, else defaults:. Positions in Target.At and
// error messages about merged values use it.
func (r *resolver) from(image, key string) string {
	if image != "" && r.f.has(joinPath(image, key)) {
		return image
	}
	return "defaults"
}

// pick returns a copy of the first list that is set. A written but empty list
// (entrypoint: []) counts as set.
func pick(lists ...[]string) []string {
	for _, l := range lists {
		if l != nil {
			return append([]string{}, l...)
		}
	}
	return nil
}

func mergeMaps(def, img map[string]string) map[string]string {
	if def == nil && img == nil {
		return nil
	}
	out := maps.Clone(def)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, img)
	return out
}

// environ renders a map as "K=V" sorted by key, so equal configs give equal
// images byte for byte.
func environ(m map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k+"="+m[k])
	}
	return out
}
