package render

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Data is everything a template can refer to. The caller collects it once
// (GitInfo, os.Environ, the created time) and passes the same Data to every
// Render, so rendering has no side effects and is deterministic.
type Data struct {
	Git    *Git              // nil: no git information; .Git.* and .Version are then missing
	GitErr error             // why Git is nil, shown in errors
	Env    map[string]string // the process environment, for .Env.NAME
	Date   time.Time         // for .Date: the image's created time (SOURCE_DATE_EPOCH, else HEAD's commit time inside git, else the Unix epoch)
}

// value is the result of an expression: a string, or why there is none.
type value struct {
	s       string
	missing *missing
	err     error // errTooLarge; unlike missing, no default replaces it
}

// missing says why a field has no value and how to give it one.
type missing struct {
	field string // as written in a template, e.g. ".Env.VERSION"
	why   string // "environment variable VERSION is not set"
	fix   string // "export it"
}

func (m *missing) Error() string {
	return fmt.Sprintf("%s; %s or give a default: {{%s | default \"dev\"}}", m.why, m.fix, m.field)
}

// IsTemplate reports whether s contains an action, i.e. needs Render.
func IsTemplate(s string) bool { return strings.Contains(s, "{{") }

// Check reports syntax errors, unknown functions and fields, and constructs
// outside the supported language, without any Data: for `packager validate`.
// name says where text comes from, e.g. "packager.yaml:12:7 tags[1]", and
// starts every error.
func Check(name, text string) error {
	if !IsTemplate(text) {
		return nil
	}
	parts, errs := compile(text)
	if len(errs) == 0 {
		if err := checkSize(parts); err != nil {
			errs = append(errs, err)
		}
	}
	return named(name, errs)
}

// Render evaluates text against d. name says where text comes from, e.g.
// "packager.yaml:12:7 tags[1]", and starts every error. Text without "{{" is
// returned unchanged, unless it holds a NUL character. All problems are reported, joined with errors.Join.
func Render(name, text string, d Data) (string, error) {
	if !IsTemplate(text) {
		if strings.ContainsRune(text, 0) {
			return "", named(name, []error{errNUL})
		}
		return text, nil
	}
	parts, errs := compile(text)
	if len(errs) > 0 {
		return "", named(name, errs)
	}
	var b strings.Builder
	for _, p := range parts {
		if p.expr == nil {
			b.WriteString(p.text)
			continue
		}
		if hasNUL(p.expr) { // as Check: wrong even where the value is unused
			return "", named(name, []error{fmt.Errorf("%s: %w", p.text, errNUL)})
		}
		v := eval(p.expr, d)
		switch {
		case v.err != nil:
			return "", named(name, []error{fmt.Errorf("%s: %w", p.text, v.err)})
		case v.missing != nil:
			errs = append(errs, fmt.Errorf("%s: %w", p.text, v.missing))
			continue
		}
		if b.Len()+len(v.s) > MaxOutput {
			return "", named(name, []error{errTooLarge})
		}
		b.WriteString(v.s)
	}
	switch {
	case len(errs) > 0:
		return "", named(name, errs)
	case strings.ContainsRune(b.String(), 0):
		return "", named(name, []error{errNUL})
	}
	return b.String(), nil
}

// named prefixes each error with name and joins them; nil for none.
func named(name string, errs []error) error {
	for i, err := range errs {
		errs[i] = fmt.Errorf("%s: %w", name, err)
	}
	return errors.Join(errs...)
}

func eval(e *expr, d Data) value {
	switch {
	case e.fn != "":
		args := make([]value, len(e.args))
		for i, a := range e.args {
			args[i] = eval(a, d)
		}
		return funcs[e.fn].apply(args)
	case e.field != nil:
		return lookup(e.field, d)
	default:
		return value{s: e.lit}
	}
}

// lookup returns a field checked by checkField.
func lookup(f []string, d Data) value {
	path := "." + strings.Join(f, ".")
	switch f[0] {
	case "Env":
		if v, ok := d.Env[f[1]]; ok {
			return value{s: v}
		}
		return value{missing: &missing{path, "environment variable " + f[1] + " is not set", "export it"}}
	case "Date":
		return value{s: d.Date.UTC().Format(time.RFC3339)}
	}
	g := d.Git
	if g == nil {
		why := "no git information was collected"
		if d.GitErr != nil {
			why = "no git information: " + d.GitErr.Error()
		}
		return value{missing: &missing{path, why, "run packager inside a git checkout"}}
	}
	switch path {
	case ".Version":
		return value{s: version(g.Describe)}
	case ".Git.Tag":
		if g.Tag == "" {
			why := fmt.Sprintf("HEAD (%s) has no tag", g.ShortCommit)
			return value{missing: &missing{path, why, "tag it (git tag v1.0.0)"}}
		}
		return value{s: g.Tag}
	case ".Git.ShortCommit":
		return value{s: g.ShortCommit}
	case ".Git.Commit":
		return value{s: g.Commit}
	case ".Git.Branch":
		if g.Branch == "" {
			why := fmt.Sprintf("HEAD (%s) is not on a branch (detached)", g.ShortCommit)
			return value{missing: &missing{path, why, "check out a branch"}}
		}
		return value{s: g.Branch}
	case ".Git.CommitDate":
		return value{s: g.CommitDate.UTC().Format(time.RFC3339)}
	default: // .Git.Dirty
		return value{s: strconv.FormatBool(g.Dirty)}
	}
}

// version drops the "v" of a tag like v1.2.3 from describe's output, but not
// the first letter of a tag like "velvet".
func version(describe string) string {
	if len(describe) > 1 && describe[0] == 'v' && describe[1] >= '0' && describe[1] <= '9' {
		return describe[1:]
	}
	return describe
}
