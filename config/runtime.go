package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"

	"github.com/packager-dev/packager/vocab"
)

// checkRuntime validates the container settings written at prefix: ports,
// workdir, volumes, stopsignal, healthcheck, labels and annotations.
func (r *resolver) checkRuntime(prefix string, s Settings) {
	seen := map[string]int{}
	for i, p := range s.Ports {
		field := fmt.Sprintf("%s.ports[%d]", prefix, i)
		norm, err := vocab.ParsePort(p)
		if err != nil {
			r.fileErr(field, err.Error())
			continue
		}
		if j, dup := seen[norm]; dup {
			r.fileErr(field, fmt.Sprintf("port %s is already listed as ports[%d]; remove one of them", norm, j))
			continue
		}
		seen[norm] = i
	}
	if s.Workdir != "" || r.f.has(joinPath(prefix, "workdir")) {
		if msg := checkAbs("workdir", s.Workdir, "workdir: /srv"); msg != "" {
			r.fileErr(joinPath(prefix, "workdir"), msg)
		}
	}
	for i, v := range s.Volumes {
		if msg := checkAbs("volume", v, "volumes: [/data]"); msg != "" {
			r.fileErr(fmt.Sprintf("%s.volumes[%d]", prefix, i), msg)
		}
	}
	if s.StopSignal != "" || r.f.has(joinPath(prefix, "stopsignal")) {
		if err := vocab.CheckSignal(s.StopSignal); err != nil {
			r.fileErr(joinPath(prefix, "stopsignal"), err.Error())
		}
	}
	if h := s.Healthcheck; h != nil {
		field := joinPath(prefix, "healthcheck")
		test := h.Test
		if len(test) > 0 {
			test = healthTest(test)
		}
		if msg := checkTest(test); msg != "" {
			r.fileErr(field+".test", msg) // at healthcheck: itself when test: is missing
		}
		for _, d := range []struct{ key, val string }{{"interval", h.Interval}, {"timeout", h.Timeout}, {"start_period", h.StartPeriod}} {
			if d.val == "" && !r.f.has(field+"."+d.key) {
				continue
			}
			if _, msg := parseDuration(d.key, d.val); msg != "" {
				r.fileErr(field+"."+d.key, msg)
			}
		}
		if h.Retries != nil && *h.Retries < 0 {
			r.fileErr(field+".retries", fmt.Sprintf("retries %d is negative; use 0 or more, e.g. retries: 3", *h.Retries))
		}
	}
	for _, m := range []struct {
		key  string
		vals map[string]string
	}{{"labels", s.Labels}, {"annotations", s.Annotations}} {
		field := joinPath(prefix, m.key)
		if _, empty := m.vals[""]; empty {
			r.fileErr(field, "a key is empty; write a name, e.g. "+keyDocs[m.key].example, joinPath(field, ""))
		}
	}
}

// checkFiles validates files: and ca_certs: written at prefix. Sources are
// relative to the file's directory and must exist: a typo there should stop
// the run before anything is compiled.
func (r *resolver) checkFiles(prefix string, s Settings) {
	for i, f := range s.Files {
		field := fmt.Sprintf("%s.files[%d]", prefix, i)
		if f.Src == "" {
			r.fileErr(field+".src", "src is required: the file or directory to copy, relative to this file's directory, e.g. src: static/")
		} else if msg := cmp.Or(r.checkSource("src", f.Src, false), r.checkInside(f.Src)); msg != "" {
			r.fileErr(field+".src", msg)
		}
		if f.Dst == "" {
			r.fileErr(field+".dst", "dst is required: where the file goes in the image, e.g. dst: /srv/static")
		} else if msg := checkDst(f.Dst); msg != "" {
			r.fileErr(field+".dst", msg)
		}
		if f.Mode != "" || r.f.has(field+".mode") {
			if _, msg := parseMode(string(f.Mode)); msg != "" {
				r.fileErr(field+".mode", msg)
			}
		}
		for _, id := range []struct {
			key string
			val *int
		}{{"uid", f.UID}, {"gid", f.GID}} {
			if id.val != nil {
				if msg := checkID(id.key, *id.val); msg != "" {
					r.fileErr(field+"."+id.key, msg)
				}
			}
		}
	}
	for i, c := range s.CACerts {
		if msg := r.checkSource("ca_certs entry", c, true); msg != "" {
			r.fileErr(fmt.Sprintf("%s.ca_certs[%d]", prefix, i), msg)
		}
	}
}

// checkSource checks that a file named relative to the file's directory exists
// (and, with wantFile, is not a directory).
func (r *resolver) checkSource(what, p string, wantFile bool) string {
	abs := localPath(r.f.baseDir, p)
	fi, err := os.Stat(abs)
	switch {
	case p == "":
		return fmt.Sprintf("%s is empty; write a path relative to this file's directory", what)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("%s %q does not exist (looked for %s); paths are relative to the directory of the config file", what, p, abs)
	case err != nil:
		return fmt.Sprintf("%s %q: %v", what, p, err)
	case wantFile && fi.IsDir():
		return fmt.Sprintf("%s %q is a directory; name a PEM file, e.g. certs/private-ca.pem", what, p)
	}
	return ""
}

// runtime fills the merged container settings into the target. Invalid values
// were reported by checkRuntime and checkFiles; here they are skipped.
func (r *resolver) runtime(e *entry, s Settings) {
	t := &e.t
	for _, p := range s.Ports {
		if norm, err := vocab.ParsePort(p); err == nil && !slices.Contains(t.Ports, norm) {
			t.Ports = append(t.Ports, norm)
		}
	}
	t.Workdir = s.Workdir
	t.Volumes = s.Volumes
	t.StopSignal = s.StopSignal
	if h := s.Healthcheck; h != nil {
		hc := &Healthcheck{Test: healthTest(h.Test)}
		hc.Interval, _ = parseDuration("interval", h.Interval)
		hc.Timeout, _ = parseDuration("timeout", h.Timeout)
		hc.StartPeriod, _ = parseDuration("start_period", h.StartPeriod)
		if h.Retries != nil {
			hc.Retries = *h.Retries
		}
		t.Healthcheck = hc
		r.at(e, "healthcheck", joinPath(r.from(e.field, "healthcheck"), "healthcheck"))
	}
	if len(s.Labels) > 0 {
		t.Labels = s.Labels
	}
	if len(s.Annotations) > 0 {
		t.Annotations = s.Annotations
	}
	from := r.from(e.field, "files")
	for i, f := range s.Files {
		file := ImageFile{Src: localPath(r.f.baseDir, f.Src), Dst: path.Clean(f.Dst), Root: r.root().real}
		if f.Mode != "" {
			if m, msg := parseMode(string(f.Mode)); msg == "" {
				file.Mode = &m
			}
		}
		if f.UID != nil {
			file.UID = *f.UID
		}
		if f.GID != nil {
			file.GID = *f.GID
		}
		t.Files = append(t.Files, file)
		r.at(e, fmt.Sprintf("files[%d]", i), fmt.Sprintf("%s.files[%d]", from, i))
	}
	r.checkOverBinaries(e, s.Files, from)
	from = r.from(e.field, "ca_certs")
	for i, c := range s.CACerts {
		t.CACerts = append(t.CACerts, localPath(r.f.baseDir, c))
		r.at(e, fmt.Sprintf("ca_certs[%d]", i), fmt.Sprintf("%s.ca_certs[%d]", from, i))
	}
	t.Tzdata = s.Tzdata != nil && *s.Tzdata
}
