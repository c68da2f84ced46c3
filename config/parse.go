package config

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse parses data; name is used in errors; baseDir (absolute) resolves relative `dir:` values.
//
// Parse checks syntax and shape: broken YAML, unknown or duplicate keys and
// values of the wrong kind, all reported at once as *Error values joined with
// errors.Join. Checks that depend on CLI overrides (valid repo, tags, base, ...)
// happen in Targets.
func Parse(name, baseDir string, data []byte) (*File, error) {
	f := Empty(baseDir)
	f.source = name

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := dec.Decode(&doc); {
	case errors.Is(err, io.EOF):
		return f, nil // an empty file is a valid file with nothing in it
	case err != nil:
		return nil, joinErrors([]*Error{syntaxError(name, data, err)})
	}
	if err := extraDocument(name, data, dec); err != nil {
		return nil, joinErrors([]*Error{err})
	}
	if len(doc.Content) == 0 {
		return f, nil
	}
	root := doc.Content[0]

	w := newWalker(name)
	w.object(root, w.s.root, "")
	if w.deep {
		return nil, joinErrors(w.errs)
	}
	if err := root.Decode(f); err != nil {
		return nil, joinErrors(append(w.errs, decodeErrors(name, err)...))
	}
	f.pos = w.pos
	if len(w.errs) > 0 {
		return nil, joinErrors(append(w.errs, valueErrors(f, w.pruned, w.errs)...))
	}
	return f, nil
}

// valueErrors validates what is left of a file whose wrong keys were pruned,
// so one run reports every problem: a typo in one key does not hide a bad
// value in another. Errors about pruned fields, at the place of a shape
// error ("main is required" where "mian" was written) or file-wide ones such
// as "no images" would only repeat the shape errors and are left out.
func valueErrors(f *File, pruned []string, shapeErrs []*Error) []*Error {
	at := map[Pos]bool{}
	for _, e := range shapeErrs {
		at[Pos{e.Line, e.Col}] = true
	}
	// A field missing from a mapping that had a key pruned was most likely
	// written under that wrong key ("tset:" for "test:"), so "test is
	// required" would only repeat the typo.
	lostKeys := map[string]bool{}
	for _, p := range pruned {
		lostKeys[parentPath(p)] = true
	}
	_, err := f.Targets(Overrides{})
	var out []*Error
	for _, e := range unjoin(err) {
		missing := !f.has(e.Field) && lostKeys[parentPath(e.Field)]
		if e.Line > 0 && !at[Pos{e.Line, e.Col}] && !underAny(e.Field, pruned) && !missing {
			out = append(out, e)
		}
	}
	return out
}

// unjoin returns the *Error values inside an errors.Join.
func unjoin(err error) []*Error {
	var out []*Error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			var ce *Error
			if errors.As(e, &ce) {
				out = append(out, ce)
			}
		}
	}
	return out
}

// underAny reports whether field is one of paths or inside one of them.
func underAny(field string, paths []string) bool {
	for _, p := range paths {
		if field == p || strings.HasPrefix(field, p+".") || strings.HasPrefix(field, p+"[") {
			return true
		}
	}
	return false
}

// extraDocument rejects a second YAML document: a stray "---" usually means two
// files were pasted together, and silently ignoring half of them would surprise.
func extraDocument(name string, data []byte, dec *yaml.Decoder) *Error {
	var next yaml.Node
	err := dec.Decode(&next)
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return syntaxError(name, data, err)
	case len(next.Content) == 0 || isNull(next.Content[0]):
		return nil // a trailing "---" with nothing after it
	}
	return &Error{Source: name, Line: next.Line, Col: next.Column,
		Msg: "only one YAML document is allowed; remove the --- separator and merge the two into one"}
}

// decodeLine matches yaml.v3's "line N: ..." unmarshal error entries.
var decodeLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// decodeErrors converts what node.Decode still rejects after the walk (odd
// explicit tags, excessive aliasing) into *Error values.
func decodeErrors(name string, err error) []*Error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []*Error{{Source: name, Msg: err.Error() + "; write plain values without YAML tags or aliases"}}
	}
	var list []*Error
	for _, s := range te.Errors {
		e := &Error{Source: name, Msg: s + "; write a plain value without a YAML tag"}
		if m := decodeLine.FindStringSubmatch(s); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = m[2] + "; write a plain value without a YAML tag"
		}
		list = append(list, e)
	}
	return list
}
