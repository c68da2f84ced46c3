package config

import (
	"fmt"
	"slices"
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

	r.platforms = r.resolvePlatforms()

	for _, tag := range r.o.Tags {
		if msg := checkTag(tag); msg != "" {
			r.flagErr("--tag", "", msg)
		}
	}
}

// resolvePlatforms parses --platform or platforms:, dropping duplicates
// ("linux/arm" and "linux/arm/v7" are one platform).
func (r *resolver) resolvePlatforms() []Platform {
	var (
		list []string
		fail func(i int, msg string)
	)
	switch {
	case len(r.o.Platforms) > 0:
		list = r.o.Platforms
		fail = func(_ int, msg string) { r.flagErr("--platform", "", msg) }
	case r.f.Platforms != nil:
		list = r.f.Platforms
		fail = func(i int, msg string) {
			field := "platforms"
			if i >= 0 {
				field = fmt.Sprintf("platforms[%d]", i)
			}
			r.fileErr(field, msg)
		}
		if len(list) == 0 {
			fail(-1, "the list is empty; name one platform, e.g. platforms: [linux/amd64]")
			return nil
		}
	default:
		list = []string{defaultPlatform}
	}
	var out []Platform
	for i, s := range list {
		p, err := ParsePlatform(s)
		if err != nil {
			fail(i, err.Error())
			continue
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) > 1 {
		fail(-1, "building several platforms into one image index is not supported yet; pick one platform")
	}
	return out
}
