package config

import (
	"fmt"
	"slices"

	"github.com/packager-dev/packager/vocab"
)

// top resolves the values every image shares: repo, platforms and the
// top-level base, each from its flag when given and from the file otherwise,
// and checks --tag (which checkSettings then skips in the file).
func (r *resolver) top() {
	switch {
	case r.o.Repo != "":
		r.repo = r.o.Repo
		if msg := checkRepo(r.o.Repo); msg != "" {
			r.flagErr("--repo", "", msg)
		}
	case r.f.Repo != "":
		r.repo = r.f.Repo
		if msg := checkRepo(r.f.Repo); msg != "" {
			r.fileErr("repo", msg)
		}
	}
	if r.f.RemoteCache != "" {
		if msg := checkRepo(r.f.RemoteCache); msg != "" {
			r.fileErr("remote_cache", msg)
		}
	}

	switch {
	case r.o.Base != "":
		r.base, r.baseFrom = r.o.Base, "--base"
		if msg := checkBase(r.o.Base); msg != "" {
			r.flagErr("--base", "", msg)
		}
	case r.f.Base != "":
		r.base, r.baseFrom = r.resolveOCI(r.f.Base), "base"
		if msg := checkBase(r.f.Base); msg != "" {
			r.fileErr("base", msg)
		}
	default:
		r.base, r.baseFrom = defaultBase, "the default"
	}

	r.platforms, r.allPlatforms = r.resolvePlatforms()

	for _, tag := range r.o.Tags {
		if templated(tag) {
			continue // rendered and checked at build time, like a templated tag in the file
		}
		if msg := checkTag(tag); msg != "" {
			r.flagErr("--tag", "", msg)
		}
	}
}

// resolvePlatforms parses --platform or the top-level platforms:. all is set
// for [all], which each image expands according to its base.
func (r *resolver) resolvePlatforms() (list []vocab.Platform, all bool) {
	switch {
	case len(r.o.Platforms) > 0:
		return r.parsePlatforms(r.o.Platforms, "")
	case r.f.Platforms != nil:
		return r.parsePlatforms(r.f.Platforms, "platforms")
	}
	return []vocab.Platform{mustPlatform(defaultPlatform)}, false
}

// imagePlatforms sets the target's platforms: the image's own platforms:
// unless --platform is given, else the top-level ones, with [all] expanded for
// the built-in bases and left to the caller (AllPlatforms) for others.
func (r *resolver) imagePlatforms(e *entry, img Image) {
	t := &e.t
	list, all := r.platforms, r.allPlatforms
	if len(r.o.Platforms) == 0 && img.Platforms != nil && e.field != "" {
		list, all = r.parsePlatforms(img.Platforms, joinPath(e.field, "platforms"))
	}
	switch {
	case all && builtinBase(t.Base):
		list = vocab.All
	case all:
		list, t.AllPlatforms = nil, true
	}
	t.Platforms = slices.Clone(list)
}

// parsePlatforms parses a list of platforms written at field, or given with
// --platform when field is "". The file must not name a platform twice
// ("linux/arm" and "linux/arm/v7" are one); on the command line a repeat is
// harmless and dropped.
func (r *resolver) parsePlatforms(list []string, field string) (out []vocab.Platform, all bool) {
	fail := func(i int, msg string) {
		switch {
		case field == "":
			r.flagErr("--platform", "", msg)
		case i < 0:
			r.fileErr(field, msg)
		default:
			r.fileErr(fmt.Sprintf("%s[%d]", field, i), msg)
		}
	}
	if len(list) == 0 {
		fail(-1, "the list is empty; name at least one platform, e.g. platforms: [linux/amd64, linux/arm64], or [all]")
		return nil, false
	}
	if i := slices.Index(list, "all"); i >= 0 {
		if len(list) > 1 {
			fail(i, `"all" means every platform the base has and cannot be combined with others; write platforms: [all] alone, or list the platforms`)
			return nil, false
		}
		return nil, true
	}
	first := map[vocab.Platform]int{}
	for i, s := range list {
		p, err := vocab.ParsePlatform(s)
		if err != nil {
			fail(i, err.Error()+`, or "all"`)
			continue
		}
		if j, dup := first[p]; dup {
			if field != "" {
				fail(i, fmt.Sprintf("duplicate platform %q: %s[%d] (%q) is the same platform; remove one", s, field, j, list[j]))
			}
			continue
		}
		first[p] = i
		out = append(out, p)
	}
	return out, false
}

// mustPlatform parses a platform written in this package.
func mustPlatform(s string) vocab.Platform {
	p, err := vocab.ParsePlatform(s)
	if err != nil {
		panic(err)
	}
	return p
}
