package resolve

import (
	"fmt"
	"slices"
	"strings"

	"github.com/packager-dev/packager/config"
)

// FindAll returns the distinct references in srcs, in the order they first
// appear; an error names the source it is in.
func FindAll(srcs []Source) ([]string, error) {
	var refs []string
	for _, src := range srcs {
		found, err := Find(src.Data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		for _, r := range found {
			if !slices.Contains(refs, r) {
				refs = append(refs, r)
			}
		}
	}
	return refs, nil
}

// Packages returns the package argument each reference names (see
// Package), and those packages each once, in the order first named, so
// that an image named by several references is built once.
func Packages(refs []string) (pkgOf map[string]string, pkgs []string, err error) {
	pkgOf = map[string]string{}
	for _, r := range refs {
		p, err := Package(r)
		if err != nil {
			return nil, nil, err
		}
		pkgOf[r] = p
		if !slices.Contains(pkgs, p) {
			pkgs = append(pkgs, p)
		}
	}
	return pkgOf, pkgs, nil
}

// ImageNames maps each package argument to the name of the one image it
// selects in file (or makes from file's defaults). A package that selects
// several images is an error: the reference must name one.
func ImageNames(file *config.File, pkgs []string) (map[string]string, error) {
	names := map[string]string{}
	for _, p := range pkgs {
		ts, err := file.Targets(config.Overrides{Packages: []string{p}})
		if err != nil {
			return nil, err
		}
		if len(ts) != 1 {
			var matched []string
			for _, t := range ts {
				matched = append(matched, t.Name)
			}
			return nil, fmt.Errorf("%s matches %d images of packager.yaml (%s); refer to one by its name, packager://NAME", p, len(ts), strings.Join(matched, ", "))
		}
		names[p] = ts[0].Name
	}
	return names, nil
}

// DigestRef turns the registry's REPO:TAG@sha256:… into REPO@sha256:…, so
// the YAML pins the digest alone (a tag next to a digest is ignored by the
// runtime and only misleads readers).
func DigestRef(ref string) string {
	name, digest, ok := strings.Cut(ref, "@")
	if !ok {
		return ref
	}
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name = name[:i]
	}
	return name + "@" + digest
}

// Pinned maps each reference to the image that replaces it, as
// REPO/NAME@sha256:… (see DigestRef), following it to its package (pkgOf,
// from Packages), the package to its image's name (imageOf, from
// ImageNames) and the name to the reference the registry returned for that
// image (pushed). The result is what Replace takes.
func Pinned(refs []string, pkgOf, imageOf, pushed map[string]string) map[string]string {
	out := map[string]string{}
	for _, r := range refs {
		out[r] = DigestRef(pushed[imageOf[pkgOf[r]]])
	}
	return out
}
