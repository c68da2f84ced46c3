package config

import "fmt"

// checkSettings validates the settings written at prefix ("defaults" or
// "images[2]"). They are checked where written rather than after merging, so a
// bad value in defaults: is reported once, at its own line.
func (r *resolver) checkSettings(prefix string, s Settings) {
	if len(r.o.Tags) == 0 {
		if s.Tags != nil && len(s.Tags) == 0 {
			r.fileErr(joinPath(prefix, "tags"), "the list is empty; write at least one tag, e.g. tags: [latest], or remove tags: to get latest")
		}
		for i, tag := range s.Tags {
			if templated(tag) {
				continue // rendered and checked at build time
			}
			if msg := checkTag(tag); msg != "" {
				r.fileErr(fmt.Sprintf("%s.tags[%d]", prefix, i), msg)
			}
		}
	}
	if s.User != "" || r.f.has(joinPath(prefix, "user")) {
		if msg := checkUser(s.User); msg != "" {
			r.fileErr(joinPath(prefix, "user"), msg)
		}
	}
	for _, m := range []struct {
		key  string
		vars map[string]string
	}{{"env", s.Env}, {"build_env", s.BuildEnv}} {
		field := joinPath(prefix, m.key)
		for k := range m.vars {
			if msg := checkEnvKey(k); msg != "" {
				r.fileErr(field, msg, joinPath(field, k))
			}
		}
	}
	r.checkRuntime(prefix, s)
	r.checkFiles(prefix, s)
}

// image resolves one image: from the file when field is set ("images[2]"), or
// from the package argument arg.
func (r *resolver) image(img Image, field, arg string) entry {
	e := entry{field: field, arg: arg, desc: "package " + arg}
	if field != "" {
		e.desc = fmt.Sprintf("%s (line %d)", field, r.f.posOf(field).Line)
	}
	t := &e.t
	t.At = map[string]string{}
	t.Dir = r.f.baseDir
	if img.Dir != "" {
		t.Dir = localPath(r.f.baseDir, img.Dir)
	}
	specs, mainOK := r.mains(&e, img)
	first := specs[0]
	t.Main = first.Main

	switch {
	case img.Name != "":
		t.Name = img.Name
		if msg := checkName(img.Name); msg != "" {
			r.report(&e, "name", msg)
		}
	case mainOK:
		t.Name = deriveName(t.Dir, first.Main)
		if t.Name == "" {
			fix := "set one, e.g. name: my-app"
			if field == "" {
				fix = "add an images: entry for it with a name:, e.g. name: my-app"
			}
			r.report(&e, "name", fmt.Sprintf("cannot make an image name from %q; %s", first.Main, fix))
		}
	}

	if img.Binaries == nil || img.Main != "" {
		t.Path = img.Path
		if img.Path != "" {
			if msg := checkPath(img.Path); msg != "" {
				r.report(&e, "path", msg)
			}
		} else if t.Name != "" {
			t.Path = defaultBinDir + t.Name
		}
		if t.Main != "" {
			t.Binaries = []Binary{{Main: t.Main, Path: t.Path}}
		}
		if field != "" {
			r.at(&e, "main", joinPath(field, "main"))
		}
	} else {
		t.Binaries = r.binaries(&e, img, specs)
		if len(t.Binaries) > 0 {
			t.Path = t.Binaries[0].Path
		}
		r.at(&e, "main", joinPath(field, "binaries[0].main"))
	}

	t.Base = r.base
	baseFrom := r.baseFrom
	if r.o.Base == "" && img.Base != "" {
		t.Base, baseFrom = r.resolveOCI(img.Base), joinPath(field, "base")
		if msg := checkBase(img.Base); msg != "" {
			r.report(&e, "base", msg)
		}
		r.at(&e, "base", joinPath(field, "base"))
	} else if r.o.Base == "" {
		r.at(&e, "base", "base")
	}

	t.Repo = r.repo
	r.imagePlatforms(&e, img)
	r.settings(&e, img.Settings, baseFrom)
	return e
}

// mains returns the main packages of img, one entry for main:, and reports a
// missing or conflicting main. The list is never empty, so the first entry can
// always name the image; ok is false when that first main is unusable.
func (r *resolver) mains(e *entry, img Image) (specs []BinarySpec, ok bool) {
	switch {
	case img.Main != "" && img.Binaries != nil:
		r.report(e, "binaries", "main: and binaries: are mutually exclusive; move main: into binaries: as its first entry, or remove binaries:")
	case img.Binaries != nil && len(img.Binaries) == 0:
		r.report(e, "binaries", "the list is empty; name at least one main package, e.g. binaries: [{main: ./cmd/server}]")
		return []BinarySpec{{}}, false
	case img.Binaries != nil:
		if img.Path != "" {
			r.report(e, "path", "path: belongs to main:; with binaries: set path: on each entry, e.g. binaries: [{main: ./cmd/server, path: /app/server}]")
		}
		ok = true
		for i, b := range img.Binaries {
			if msg := checkMain(b.Main); msg != "" {
				r.report(e, fmt.Sprintf("binaries[%d].main", i), msg)
				ok = ok && i > 0
			}
		}
		return img.Binaries, ok
	}
	if msg := checkMain(img.Main); msg != "" {
		r.report(e, "main", msg)
		return []BinarySpec{{Main: img.Main}}, false
	}
	return []BinarySpec{{Main: img.Main}}, true
}

// binaries resolves the paths of a binaries: list: each defaults to
// /usr/local/bin/<name derived from its main>, and no two may be the same.
func (r *resolver) binaries(e *entry, img Image, specs []BinarySpec) []Binary {
	t := &e.t
	out := make([]Binary, 0, len(specs))
	seen := map[string]int{}
	for i, b := range specs {
		sub := fmt.Sprintf("binaries[%d]", i)
		r.at(e, sub, joinPath(e.field, sub))
		p := b.Path
		switch {
		case p != "":
			if msg := checkPath(p); msg != "" {
				r.report(e, sub+".path", msg)
				continue
			}
		case checkMain(b.Main) != "":
			continue // reported by mains
		default:
			name := deriveName(t.Dir, b.Main)
			if name == "" {
				r.report(e, sub+".path", fmt.Sprintf("cannot make a file name from %q; set one, e.g. path: /usr/local/bin/app", b.Main))
				continue
			}
			p = defaultBinDir + name
		}
		if j, dup := seen[p]; dup {
			r.report(e, sub+".path", fmt.Sprintf("path %q is also used by binaries[%d] (line %d); give this binary its own path:, e.g. path: /usr/local/bin/%s-%d",
				p, j, r.f.posOf(fmt.Sprintf("%s.binaries[%d]", e.field, j)).Line, t.Name, i+1))
			continue
		}
		seen[p] = i
		out = append(out, Binary{Main: b.Main, Path: p})
	}
	return out
}

// settings fills the merged settings into the target, applying built-in
// defaults and the --tag override.
func (r *resolver) settings(e *entry, own Settings, baseFrom string) {
	t := &e.t
	s := r.o.apply(merge(r.f.Defaults, own))
	ownCgo := own.Cgo != nil
	switch {
	case len(r.o.Tags) > 0:
		t.Tags = clone(r.o.Tags)
	case s.Tags != nil:
		t.Tags = s.Tags
		r.atList(e, "tags", len(s.Tags))
	default:
		t.Tags = []string{defaultTag}
	}
	t.User = s.User
	if t.User == "" {
		t.User = defaultUser
	} else {
		r.at(e, "user", joinPath(r.from(e.field, "user"), "user"))
		r.checkUserOnBase(e, baseFrom)
	}
	t.Entrypoint = s.Entrypoint
	if t.Entrypoint == nil && t.Path != "" {
		t.Entrypoint = []string{t.Path}
	}
	t.Args = s.Args
	t.Env = environ(s.Env)
	t.BuildEnv = environ(s.BuildEnv)
	t.Ldflags = s.Ldflags
	t.Flags = s.Flags
	t.Cgo = s.Cgo != nil && *s.Cgo
	r.atConcat(e, "ldflags", len(r.f.Defaults.Ldflags), len(own.Ldflags))
	r.atConcat(e, "flags", len(r.f.Defaults.Flags), len(own.Flags))
	for key, m := range map[string]map[string]string{"env": s.Env, "build_env": s.BuildEnv, "labels": s.Labels, "annotations": s.Annotations} {
		r.atMap(e, key, m)
	}
	r.runtime(e, s)

	if t.Cgo && builtinBase(t.Base) {
		msg := fmt.Sprintf("cgo: true needs a base image with a C library, but the base is %q (from %s); "+
			"use a registry base such as gcr.io/distroless/base-debian12, or remove cgo: true", t.Base, baseFrom)
		if ownCgo {
			r.report(e, "cgo", msg)
		} else {
			r.fileErr("defaults.cgo", msg)
		}
	}
}

// at records in Target.At where the value at path ("images[0].user",
// "defaults.env.TZ") is written, when it is written at all.
func (r *resolver) at(e *entry, key, path string) {
	if p, ok := r.f.pos[path]; ok {
		e.t.At[key] = r.f.position(p)
	}
}

// atList records each element of a list taken whole from the image or defaults:.
func (r *resolver) atList(e *entry, key string, n int) {
	from := r.from(e.field, key)
	for i := range n {
		sub := fmt.Sprintf("%s[%d]", key, i)
		r.at(e, sub, joinPath(from, sub))
	}
}

// atConcat records the elements of a list that is defaults: (nDef elements)
// followed by the image's own (nOwn).
func (r *resolver) atConcat(e *entry, key string, nDef, nOwn int) {
	for i := range nDef {
		r.at(e, fmt.Sprintf("%s[%d]", key, i), fmt.Sprintf("defaults.%s[%d]", key, i))
	}
	for i := range nOwn {
		r.at(e, fmt.Sprintf("%s[%d]", key, nDef+i), fmt.Sprintf("%s.%s[%d]", e.field, key, i))
	}
}

// atMap records each key of a merged map where the winning value is written.
func (r *resolver) atMap(e *entry, key string, m map[string]string) {
	for k := range m {
		sub := key + "." + k
		r.at(e, sub, joinPath(r.from(e.field, sub), sub))
	}
}
