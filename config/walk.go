package config

import (
	"fmt"
	"strings"

	"github.com/packager-dev/packager/vocab"
	"gopkg.in/yaml.v3"
)

// maxNodes bounds the work of one walk. The walk only descends as deep as the
// schema, but aliases can repeat a large node many times; no honest
// packager.yaml comes near this.
const maxNodes = 100_000

// walker checks a YAML tree against the schema before node.Decode sees it, so
// that every shape problem is reported with its line, column and an example,
// and records where each field is written for later semantic errors.
type walker struct {
	source string
	s      schemas
	pos    map[string]Pos
	errs   []*Error
	budget int

	// pruned lists the fields removed from the tree because their key or kind
	// was wrong, so that the rest of the file can still be decoded and
	// validated in the same run. deep is set by errors inside lists and maps,
	// which are not pruned: then only the shape errors are reported.
	pruned []string
	deep   bool
}

func newWalker(source string) *walker {
	return &walker{source: source, s: fileSchemas(), pos: map[string]Pos{}, budget: maxNodes}
}

func (w *walker) fail(n *yaml.Node, field, format string, args ...any) {
	w.errs = append(w.errs, &Error{Source: w.source, Line: n.Line, Col: n.Column, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// visit charges one node to the budget and follows aliases. It returns nil when
// the budget is spent, after reporting that once.
func (w *walker) visit(n *yaml.Node) *yaml.Node {
	w.budget--
	if w.budget == 0 {
		w.fail(n, "", "the document is too large or repeats aliases too often; write each image out plainly")
		w.deep = true
	}
	if w.budget <= 0 {
		return nil
	}
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// object checks a mapping against s. at is the node as written (maybe an alias),
// used for positions.
func (w *walker) object(at *yaml.Node, s *schema, path string) {
	n := w.visit(at)
	if n == nil || isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		if path == "" {
			w.fail(at, "", "expected a mapping of keys at the top level, e.g. images: [{main: ./cmd/app}]")
			w.deep = true
		}
		return // callers report the wrong kind with the key's example
	}
	seen := map[string]*yaml.Node{}
	kept := n.Content[:0:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if w.key(k, v, s, seen, path) {
			kept = append(kept, k, v)
		} else {
			w.pruned = append(w.pruned, joinPath(path, k.Value))
		}
	}
	n.Content = kept
}

// key checks one key and its value; false means the pair is wrong and is to
// be left out of decoding.
func (w *walker) key(k, v *yaml.Node, s *schema, seen map[string]*yaml.Node, path string) bool {
	if k.Kind != yaml.ScalarNode {
		w.fail(k, path, "keys must be plain names; known keys: %s", strings.Join(s.keys, ", "))
		return false
	}
	if first, dup := seen[k.Value]; dup {
		w.fail(k, path, "duplicate key %q (first at line %d); remove one of them", k.Value, first.Line)
		return false
	}
	seen[k.Value] = k
	f, ok := s.fields[k.Value]
	if !ok {
		w.fail(k, path, "%s", w.unknownKey(k.Value, s))
		return false
	}
	return w.value(v, k.Value, f, joinPath(path, k.Value))
}

// unknownKey explains an unknown key: a typo gets a suggestion, and a key that
// is valid elsewhere in the file says where it belongs.
func (w *walker) unknownKey(key string, s *schema) string {
	switch _, inRoot := w.s.root.fields[key]; {
	case (s == w.s.image || s == w.s.settings) && inRoot:
		return fmt.Sprintf("%q is a top-level key; move it to the top level of the file, without indentation", key)
	case s == w.s.settings && hasKey(w.s.image, key):
		return fmt.Sprintf("%q can only be set per image (in an images: entry), not in defaults:", key)
	}
	return fmt.Sprintf("unknown key %q;%s known keys: %s", key, vocab.Suggest(key, s.keys), strings.Join(s.keys, ", "))
}

func hasKey(s *schema, key string) bool { _, ok := s.fields[key]; return ok }
