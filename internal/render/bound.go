package render

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxOutput is the most a template may render to, and the most any value
// inside it may grow to. A tag, label, env value or ldflag needs a few
// hundred bytes; the bound turns a template that grows without limit (a
// chain of replace calls) into an error instead of minutes of work and
// gigabytes of memory.
const MaxOutput = 64 << 10

// assumedField is the length Check assumes for a field whose value only the
// build knows (.Git.Tag, .Version, .Env.NAME): generous for a tag or a
// variable, so a template Check accepts rarely fails Render for its size.
const assumedField = 256

// errTooLarge is what Render reports when a value outgrows MaxOutput.
var errTooLarge = errors.New("renders to more than 64 KiB; no tag, label, env value or ldflag needs that much: shorten the template, e.g. drop replace calls")

// errNUL is what Render and Check report for a NUL character in the output.
var errNUL = errors.New(`contains a NUL character ("\0"); remove it: a program cannot receive it and no image field means anything with it`)

// replaceLen is the length of strings.ReplaceAll(s, old, new), computed
// without building it.
func replaceLen(s, old, new string) int {
	var n int
	if old == "" {
		n = utf8.RuneCountInString(s) + 1
	} else {
		n = strings.Count(s, old)
	}
	return len(s) + n*(len(new)-len(old))
}

// checkSize is Check's bound on the length of everything text can render
// to, with every unknown field at most assumedField bytes.
func checkSize(parts []part) error {
	var total float64
	for _, p := range parts {
		if p.expr == nil {
			total += float64(len(p.text))
			if strings.ContainsRune(p.text, 0) {
				return errNUL
			}
			continue
		}
		if hasNUL(p.expr) {
			return fmt.Errorf("%s: %w", p.text, errNUL)
		}
		total += bound(p.expr)
	}
	if total > MaxOutput {
		return fmt.Errorf("may render to more than 64 KiB (about %.3g bytes when each field is %d bytes); no tag, label, env value or ldflag needs that much: shorten the template, e.g. drop replace calls", total, assumedField)
	}
	return nil
}

// hasNUL reports whether a literal string in e holds a NUL character.
func hasNUL(e *expr) bool {
	if e.fn == "" && e.field == nil {
		return strings.ContainsRune(e.lit, 0)
	}
	for _, a := range e.args {
		if hasNUL(a) {
			return true
		}
	}
	return false
}

// bound is the most bytes e can evaluate to. It is a float so that a chain
// that overflows an int still compares as too large.
func bound(e *expr) float64 {
	switch {
	case e.field != nil:
		switch "." + strings.Join(e.field, ".") {
		case ".Git.Commit":
			return 40
		case ".Git.ShortCommit":
			return shortLen
		case ".Git.Dirty":
			return float64(len("false"))
		case ".Date":
			return float64(len("2006-01-02T15:04:05Z"))
		}
		return assumedField
	case e.fn == "":
		return float64(len(e.lit))
	}
	a := make([]float64, len(e.args))
	for i, x := range e.args {
		a[i] = bound(x)
	}
	switch e.fn {
	case "default":
		return max(a[0], a[1])
	case "trimprefix":
		return a[1]
	case "lower", "upper":
		// Invalid UTF-8 becomes U+FFFD: one byte can turn into three.
		return 3 * a[0]
	}
	// replace old new s: old may be empty unless it is a non-empty literal,
	// and then new goes between every byte of s.
	minOld := 0.0
	if old := e.args[0]; old.fn == "" && old.field == nil {
		minOld = float64(len(old.lit))
	}
	if minOld == 0 {
		return a[2] + (a[2]+1)*a[1]
	}
	return a[2] + a[2]/minOld*max(0, a[1]-minOld)
}
