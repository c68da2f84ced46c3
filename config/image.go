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
}

// image resolves one image: from the file when field is set ("images[2]"), or
// from the package argument arg.
func (r *resolver) image(img Image, field, arg string) entry {
	e := entry{field: field, arg: arg, desc: "package " + arg}
	if field != "" {
		e.desc = fmt.Sprintf("%s (line %d)", field, r.f.posOf(field).Line)
	}
	t := &e.t
	t.Main = img.Main
	t.Dir = r.f.baseDir
	if img.Dir != "" {
		t.Dir = localPath(r.f.baseDir, img.Dir)
	}
	mainOK := true
	if msg := checkMain(img.Main); msg != "" {
		r.report(&e, "main", msg)
		mainOK = false
	}

	switch {
	case img.Name != "":
		t.Name = img.Name
		if msg := checkName(img.Name); msg != "" {
			r.report(&e, "name", msg)
		}
	case mainOK:
		t.Name = deriveName(t.Dir, img.Main)
		if t.Name == "" {
			fix := "set one, e.g. name: my-app"
			if field == "" {
				fix = "add an images: entry for it with a name:, e.g. name: my-app"
			}
			r.report(&e, "name", fmt.Sprintf("cannot make an image name from %q; %s", img.Main, fix))
		}
	}

	t.Path = img.Path
	if img.Path != "" {
		if msg := checkPath(img.Path); msg != "" {
			r.report(&e, "path", msg)
		}
	} else if t.Name != "" {
		t.Path = defaultBinDir + t.Name
	}

	t.Base = r.base
	baseFrom := r.baseFrom
	if r.o.Base == "" && img.Base != "" {
		t.Base, baseFrom = r.resolveOCI(img.Base), joinPath(field, "base")
		if msg := checkBase(img.Base); msg != "" {
			r.report(&e, "base", msg)
		}
	}

	t.Repo = r.repo
	t.Platforms = append([]Platform(nil), r.platforms...)
	r.settings(&e, merge(r.f.Defaults, img.Settings), img.Cgo != nil, baseFrom)
	return e
}

// settings fills the merged settings into the target, applying built-in
// defaults and the --tag override.
func (r *resolver) settings(e *entry, s Settings, ownCgo bool, baseFrom string) {
	t := &e.t
	switch {
	case len(r.o.Tags) > 0:
		t.Tags = clone(r.o.Tags)
	case s.Tags != nil:
		t.Tags = s.Tags
	default:
		t.Tags = []string{defaultTag}
	}
	t.User = s.User
	if t.User == "" {
		t.User = defaultUser
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
