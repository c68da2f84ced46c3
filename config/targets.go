package config

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/packager-dev/packager/vocab"
)

// Target is one image to build with every default applied.
//
// Tags, Ldflags, Env and Labels values may contain Go templates ("{{.Git.Tag}}");
// config leaves them as written and the caller renders them at build time.
type Target struct {
	Name, Main, Dir, Path string // Dir absolute; Main and Path are those of Binaries[0]
	Binaries              []Binary
	Repo                  string // may be empty
	Base                  string // static, scratch, oci:DIR[:tag] (DIR absolute when it came from the file) or an image reference
	Platforms             []vocab.Platform
	AllPlatforms          bool // platforms: [all] with a base that is not built in: build every platform the base has; Platforms is empty
	Tags                  []string
	User                  string
	Entrypoint, Args      []string
	Env                   []string // "K=V", sorted by key
	BuildEnv              []string // "K=V", sorted by key
	Ldflags, Flags        []string
	Cgo                   bool
	Ports                 []string // "8080/tcp", in file order
	Workdir               string
	Volumes               []string
	StopSignal            string // "SIGTERM" or a number, as written
	Healthcheck           *Healthcheck
	Labels                map[string]string // image config labels; nil when none
	Annotations           map[string]string // manifest annotations; nil when none
	Files                 []ImageFile
	CACerts               []string // absolute paths of PEM files
	Tzdata                bool

	// Entry is the images: entry the target comes from ("images[2]"), or ""
	// for a package named on the command line that no entry matched, which
	// gets the file's defaults only.
	Entry string

	// At gives "packager.yaml:LINE:COL" for the values a later stage may fail
	// on, keyed by field relative to the image: "main", "base", "user",
	// "tags[1]", "ldflags[0]", "flags[0]", "env.NAME", "build_env.NAME",
	// "labels.KEY", "annotations.KEY", "files[2]", "ca_certs[0]",
	// "healthcheck", "binaries[1]". A value inherited from defaults: points
	// there. Values from flags or built-in defaults have no entry. Never nil.
	At map[string]string
}

// Binary is one main package of an image and where its binary goes.
type Binary struct {
	Main string // as written: relative to Target.Dir, or an import path
	Path string // absolute path in the image
}

// Healthcheck is the image's HEALTHCHECK. Test starts with CMD, CMD-SHELL or
// NONE. A zero duration or Retries means "not set" (the runtime's default).
type Healthcheck struct {
	Test                           []string
	Interval, Timeout, StartPeriod time.Duration
	Retries                        int
}

// ImageFile is a file or directory to add to the image.
type ImageFile struct {
	Src      string       // absolute path on the host
	Dst      string       // absolute, clean path in the image
	Mode     *fs.FileMode // permission bits (0o4755 arrives as 0o755|fs.ModeSetuid); nil keeps the source's
	UID, GID int
	// Root is the directory Src must stay inside, symlinks resolved: the
	// module root, or the directory of packager.yaml without a go.mod. The
	// build checks it again, since the disk may change after validation.
	Root string
}

// Targets applies overrides and defaults (on copies; never mutates f) and validates the result, returning
// one fully-resolved Target per image, in file order (or in Packages order when Packages is given).
// All problems are returned at once with errors.Join of *Error.
//
// Every image in the file is validated, even when Packages selects only some of
// them: a broken entry is a broken file. Values replaced by an override are not
// validated, since they are not used.
func (f *File) Targets(o Overrides) ([]Target, error) {
	r := &resolver{f: f, o: o}
	r.top()
	r.checkFlags()
	r.checkSettings("defaults", f.Defaults)
	all := make([]entry, len(f.Images))
	for i, img := range f.Images {
		field := fmt.Sprintf("images[%d]", i)
		r.checkSettings(field, img.Settings)
		all[i] = r.image(img, field, "")
	}
	r.checkUnique(all)
	chosen := r.choose(all)
	if len(chosen) == 0 && len(r.errs) == 0 {
		r.errs = append(r.errs, r.noImages())
	}
	if err := joinErrors(r.errs); err != nil {
		return nil, err
	}
	out := make([]Target, len(chosen))
	for i, e := range chosen {
		out[i] = e.t
		out[i].Entry = e.field
	}
	return out, nil
}

// entry is an image being resolved, with what error messages need to name it.
type entry struct {
	t     Target
	field string // "images[2]"; "" for an image made from a package argument
	arg   string // the package argument it was made from, if any
	desc  string // "images[2] (line 9)" or "package ./cmd/app"
}

// resolver accumulates problems while turning a File into Targets.
type resolver struct {
	f    *File
	o    Overrides
	errs []*Error

	// Resolved top-level values shared by every image.
	repo         string
	platforms    []vocab.Platform
	allPlatforms bool // platforms: [all]; each image expands it for its base
	base         string
	baseFrom     string // where base came from, for the cgo message

	fileRoot *fileRoot // found on first use; see root
}

// fileErr reports a problem at a field of the file. pos names the field whose
// position to use when it differs from field (an env key inside env:).
func (r *resolver) fileErr(field, msg string, pos ...string) {
	at := field
	if len(pos) > 0 {
		at = pos[0]
	}
	p := r.f.posOf(at)
	r.errs = append(r.errs, &Error{Source: r.f.source, Line: p.Line, Col: p.Col, Field: field, Msg: msg})
}

// flagErr reports a problem with a CLI flag or package argument.
func (r *resolver) flagErr(source, field, msg string) {
	r.errs = append(r.errs, &Error{Source: source, Field: field, Msg: msg})
}

// report sends a problem with an image's own field to where the image came from.
func (r *resolver) report(e *entry, sub, msg string) {
	if e.field != "" {
		r.fileErr(joinPath(e.field, sub), msg)
		return
	}
	r.flagErr(e.arg, "", msg)
}

func (r *resolver) noImages() *Error {
	if r.f.source == "" {
		return &Error{Msg: "no images: name a package, e.g. packager build ./cmd/app"}
	}
	return &Error{Source: r.f.source, Msg: fmt.Sprintf(
		"no images: add an images: list to %s or name a package, e.g. packager build ./cmd/app", filepath.Base(r.f.source))}
}

// localPath resolves a directory-style package or dir: value against dir.
func localPath(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// resolveOCI makes the directory of an oci: base from the file absolute, so it
// means the same thing whatever directory packager runs in.
func (r *resolver) resolveOCI(base string) string {
	if !strings.HasPrefix(base, "oci:") {
		return base
	}
	dir, tag, hasTag := splitOCI(strings.TrimPrefix(base, "oci"))
	base = "oci:" + localPath(r.f.baseDir, dir)
	if hasTag {
		base += ":" + tag
	}
	return base
}

// clone copies a list so Targets never share backing arrays with the File or
// with each other.
func clone(s []string) []string { return slices.Clone(s) }
