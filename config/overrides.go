package config

import (
	"fmt"
	"maps"
	"path"
	"slices"
)

// Overrides are CLI flags; they win over the file. Empty fields mean "not given".
//
// Platforms, Base and Tags replace the file's values for every image,
// including a base: or tags: set on one image.
type Overrides struct {
	Repo      string
	Platforms []string // already split on commas
	Base      string
	Tags      []string
	// Packages are positional args, e.g. "./cmd/app": select the images whose main (cleaned) or name matches;
	// a package with no matching image becomes a new image with defaults (dir = the File's baseDir).
	// Directory-style packages are relative to the File's baseDir.
	Packages []string

	// ko's --image-user, --ldflags, --image-label and --image-annotation:
	// User replaces every image's user; Ldflags come after the file's;
	// Labels and Annotations are added, replacing keys the file sets.
	User                string
	Ldflags             []string
	Labels, Annotations map[string]string
}

// apply lays the flag values over an image's merged settings (on copies).
func (o Overrides) apply(s Settings) Settings {
	if o.User != "" {
		s.User = o.User
	}
	if len(o.Ldflags) > 0 {
		s.Ldflags = append(slices.Clone(s.Ldflags), o.Ldflags...)
	}
	s.Labels = overlay(s.Labels, o.Labels)
	s.Annotations = overlay(s.Annotations, o.Annotations)
	return s
}

// overlay is base with top's keys set, a new map when top has any.
func overlay(base, top map[string]string) map[string]string {
	if len(top) == 0 {
		return base
	}
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, top)
	return out
}

// checkFlags validates the values of flags that set image settings.
func (r *resolver) checkFlags() {
	if r.o.User != "" {
		if msg := checkUser(r.o.User); msg != "" {
			r.flagErr("--image-user", "", msg)
		}
	}
	for flag, m := range map[string]map[string]string{"--image-label": r.o.Labels, "--image-annotation": r.o.Annotations} {
		for k := range m {
			if k == "" {
				r.flagErr(flag, "", "a key is empty; write KEY=VALUE")
			}
		}
	}
}

// choose returns the images to build: all of them, or those the package
// arguments select, in argument order, each once.
func (r *resolver) choose(all []entry) []entry {
	if len(r.o.Packages) == 0 {
		return all
	}
	var out []entry
	picked := map[int]bool{}
	for _, arg := range r.o.Packages {
		found := false
		for i, e := range all {
			if r.matches(e, arg) {
				found = true
				if !picked[i] {
					picked[i] = true
					out = append(out, e)
				}
			}
		}
		for _, e := range out {
			found = found || e.field == "" && r.matches(e, arg) // the same package named twice
		}
		if found {
			continue
		}
		e := r.image(Image{Main: arg}, "", arg)
		for _, prev := range out {
			if e.t.Name != "" && prev.t.Name == e.t.Name {
				r.flagErr(arg, "", fmt.Sprintf("image name %q (from the package's last path element) is already used by %s; "+
					"add an images: entry for this package with its own name:", e.t.Name, prev.desc))
			}
		}
		out = append(out, e)
	}
	return out
}

// matches reports whether package argument arg names image e: by image name,
// by the same directory, or by the same import path.
// An image with binaries: matches any of its main packages.
func (r *resolver) matches(e entry, arg string) bool {
	if arg == e.t.Name {
		return true
	}
	mains := []string{e.t.Main}
	for _, b := range e.t.Binaries {
		mains = append(mains, b.Main)
	}
	for _, main := range mains {
		switch {
		case isLocal(arg) && isLocal(main):
			if localPath(r.f.baseDir, arg) == localPath(e.t.Dir, main) {
				return true
			}
		case !isLocal(arg) && !isLocal(main):
			if path.Clean(arg) == path.Clean(main) {
				return true
			}
		}
	}
	return false
}

// checkUnique reports images of the file that share a name: each becomes
// <repo>/<name>, so one would overwrite the other.
func (r *resolver) checkUnique(all []entry) {
	first := map[string]int{}
	for i, e := range all {
		if e.t.Name == "" {
			continue
		}
		j, dup := first[e.t.Name]
		if !dup {
			first[e.t.Name] = i
			continue
		}
		r.fileErr(joinPath(e.field, "name"), fmt.Sprintf("image name %q is also used by %s; "+
			"each image is pushed to <repo>/<name>, so give one of them a different name:", e.t.Name, all[j].desc))
	}
}
