package verify

import (
	"errors"
	"fmt"
	"strings"
)

// Local is the checkout and toolchain a rebuild would use, as LocalState
// finds them.
type Local struct {
	Commit       string // HEAD's full hash; "" outside git
	Dirty        bool   // tracked files differ from HEAD
	GoVersion    string // `go env GOVERSION`
	ConfigDigest string // "sha256:..." of the packager.yaml at Provenance.Config; "" when absent
}

// PreconditionError lists what must change before a rebuild can match:
// each problem says what to do.
type PreconditionError struct{ Problems []error }

func (e *PreconditionError) Error() string {
	return "cannot rebuild as recorded: " + errors.Join(e.Problems...).Error()
}

func (e *PreconditionError) Unwrap() []error { return e.Problems }

// Check compares l with what p records and returns a *PreconditionError
// naming every difference at once, or nil. go.sum is not compared on its
// own: a clean checkout of the recorded commit has the recorded go.sum.
func (p Provenance) Check(l Local) error {
	var errs []error
	switch {
	case p.Commit == "":
		errs = append(errs, errors.New("the provenance records no git commit (the image was built outside git): there is no source to check out"))
	case l.Commit == "":
		errs = append(errs, fmt.Errorf("not in a git checkout: clone %s and check out %s first", orUnknown(p.Repository), p.Commit))
	case l.Commit != p.Commit:
		errs = append(errs, fmt.Errorf("HEAD is %s, the image was built from %s: check out %s first (git checkout %s)", l.Commit, p.Commit, p.Commit, p.Commit))
	case l.Dirty:
		errs = append(errs, errors.New("tracked files differ from HEAD: commit or stash the changes first (git stash)"))
	}
	if l.GoVersion != p.GoVersion {
		errs = append(errs, fmt.Errorf("go is %s, the image was built with %s: install %s (e.g. GOTOOLCHAIN=%s)", l.GoVersion, p.GoVersion, p.GoVersion, p.GoVersion))
	}
	switch {
	case p.ConfigDigest == "" && l.ConfigDigest != "":
		errs = append(errs, errors.New("the image was built without a packager.yaml, but there is one here: rebuild where there is none"))
	case p.ConfigDigest != "" && l.ConfigDigest == "":
		errs = append(errs, fmt.Errorf("%s is missing: the image was built with one (%s)", p.Config, p.ConfigDigest))
	case p.ConfigDigest != l.ConfigDigest:
		errs = append(errs, fmt.Errorf("%s is %s, the image was built with %s: restore the recorded file (git checkout %s -- %s)", p.Config, l.ConfigDigest, p.ConfigDigest, orUnknown(p.Commit), p.Config))
	}
	if err := checkLdflags(p.Flags.Ldflags); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil
	}
	return &PreconditionError{Problems: errs}
}

func orUnknown(s string) string {
	if s == "" {
		return "the repository"
	}
	return s
}

// checkLdflags accepts the recorded --ldflags only when every word is -s,
// -w or -X NAME=VALUE (also -X=NAME=VALUE). A provenance is whatever the
// image's publisher wrote, and other linker flags can run programs
// (-extld) or read files; -X only sets a string variable. Quotes and
// backslashes are refused too, so the words here are the words go splits.
func checkLdflags(list []string) error {
	for _, l := range list {
		bad := strings.ContainsAny(l, "'\"\\")
		words := strings.Fields(l)
		for i := 0; !bad && i < len(words); i++ {
			w := words[i]
			switch {
			case w == "-s", w == "-w":
			case w == "-X" && i+1 < len(words) && isAssignment(words[i+1]):
				i++
			case strings.HasPrefix(w, "-X=") && isAssignment(w[len("-X="):]):
			default:
				bad = true
			}
		}
		if bad {
			return fmt.Errorf("the image was built with --ldflags %q, and a rebuild takes only -X NAME=VALUE, -s and -w from a provenance (its publisher chose them): rebuild it yourself with packager build and the flags you trust", l)
		}
	}
	return nil
}

// isAssignment reports whether w is NAME=VALUE with a non-empty NAME that
// is not a flag.
func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	return ok && name != "" && !strings.HasPrefix(name, "-")
}
