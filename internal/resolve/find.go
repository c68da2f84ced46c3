package resolve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Schemes are the prefixes that make a string value an image reference.
var Schemes = []string{"ko://", "packager://"}

// IsRef reports whether a YAML string value is an image reference.
func IsRef(v string) bool {
	for _, s := range Schemes {
		if strings.HasPrefix(v, s) {
			return true
		}
	}
	return false
}

// Package is the package argument reference ref names: the import path of
// ko://IMPORTPATH, or the image name, import path or ./dir of
// packager://NAME.
func Package(ref string) (string, error) {
	for _, s := range Schemes {
		if p, ok := strings.CutPrefix(ref, s); ok {
			if p == "" || strings.ContainsFunc(p, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
				return "", fmt.Errorf("%q: name an image or package after %s, without spaces, e.g. %sexample.com/app/cmd/server", ref, s, s)
			}
			return p, nil
		}
	}
	return "", fmt.Errorf("%q is not a reference: it must start with ko:// or packager://", ref)
}

// Find returns the distinct references in the YAML stream data (one or
// more documents), in the order they first appear.
func Find(data []byte) ([]string, error) {
	spans, err := findSpans(data)
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, s := range spans {
		if !slices.Contains(refs, s.ref) {
			refs = append(refs, s.ref)
		}
	}
	return refs, nil
}

// safeRef is what a replacement may look like: a registry reference that
// is a plain YAML string anywhere (no spaces, quotes, flow indicators,
// comment marks), so splicing it in cannot change the document's shape.
var safeRef = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$`)

// Replace returns a copy of data in which each reference is replaced by
// with[ref]; every other byte stays as it was. A reference missing from
// with is an error.
func Replace(data []byte, with map[string]string) ([]byte, error) {
	spans, err := findSpans(data)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	last := 0
	for _, s := range spans {
		r, ok := with[s.ref]
		if !ok {
			return nil, fmt.Errorf("line %d, column %d: no image for %s", s.line, s.col, s.ref)
		}
		if !safeRef.MatchString(r) || IsRef(r) {
			return nil, fmt.Errorf("replacement %q for %s is not an image reference", r, s.ref)
		}
		b.Write(data[last:s.start])
		b.WriteString(r)
		last = s.end
	}
	b.Write(data[last:])
	out := b.Bytes()
	// The splice must leave valid YAML with no reference left: anything
	// else means a position was wrong, and a wrong splice must not escape.
	left, err := findSpans(out)
	if err == nil && len(left) > 0 {
		err = fmt.Errorf("%s is left", left[0].ref)
	}
	if err != nil {
		return nil, fmt.Errorf("replacing the references would change the YAML in unexpected ways; please report this with the input: %w", err)
	}
	return out, nil
}

// findSpans returns where every reference is in data, in text order.
func findSpans(data []byte) ([]span, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8 text; save the file as UTF-8")
	}
	lines := lineStarts(data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var spans []span
	for {
		var doc yaml.Node
		err := decode(dec, &doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse YAML: %w", err)
		}
		for _, n := range refNodes(&doc, nil) {
			s, err := locate(data, lines, n)
			if err != nil {
				return nil, err
			}
			if _, err := Package(n.Value); err != nil {
				return nil, fmt.Errorf("line %d, column %d: %w", n.Line, n.Column, err)
			}
			spans = append(spans, s)
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end || spans[i].start == spans[i-1].start {
			return nil, fmt.Errorf("line %d, column %d: %s: cannot find the reference in the text unambiguously", spans[i].line, spans[i].col, spans[i].ref)
		}
	}
	return spans, nil
}

// decode is dec.Decode, with a parser panic turned into an error: input
// comes from users, and a bug in the parser must not crash packager.
func decode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

// refNodes appends the string values under n that are references. Keys
// are not values; aliases repeat their anchor's text, which is found
// where the anchor is.
func refNodes(n *yaml.Node, out []*yaml.Node) []*yaml.Node {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			out = refNodes(c, out)
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			out = refNodes(n.Content[i], out)
		}
	case yaml.ScalarNode:
		if n.ShortTag() == "!!str" && IsRef(n.Value) {
			out = append(out, n)
		}
	}
	return out
}
