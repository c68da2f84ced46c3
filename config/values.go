package config

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// value checks one value of the given shape against the schema and records
// where it is written. It reports whether the value has the right kind.
func (w *walker) value(at *yaml.Node, key string, f field, path string) bool {
	n := w.visit(at)
	if n == nil {
		return true
	}
	if isNull(n) {
		return true // "key:" with nothing after it means not set, so it has no position either
	}
	w.pos[path] = Pos{at.Line, at.Column}
	ok := true
	switch f.shape {
	case shapeString:
		ok = n.Kind == yaml.ScalarNode
		w.nul(at, n, path)
	case shapeBool:
		ok = n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool"
	case shapeInt:
		ok = n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int"
	case shapeMode:
		ok = n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!str")
	case shapeList:
		ok = n.Kind == yaml.SequenceNode
		if ok {
			w.scalars(n, key, f, path)
		}
	case shapeMap:
		ok = n.Kind == yaml.MappingNode
		if ok {
			w.entries(n, key, f, path)
		}
	case shapeObject:
		ok = n.Kind == yaml.MappingNode
		if ok {
			w.object(at, f.obj, path)
		}
	case shapeObjects:
		ok = n.Kind == yaml.SequenceNode
		if ok {
			w.items(n, key, f, path)
		}
	}
	if !ok {
		w.fail(at, path, "%s", expected(key, f))
	}
	return ok
}

// items checks each entry of a list of mappings such as images: or files:.
func (w *walker) items(n *yaml.Node, key string, f field, path string) {
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		w.pos[p] = Pos{item.Line, item.Column}
		if e := w.visit(item); e != nil && e.Kind != yaml.MappingNode {
			w.fail(item, p, "expected a mapping, e.g. %s", keyDocs[key].item)
			w.deep = true
			continue
		}
		w.object(item, f.obj, p)
	}
}

// scalars checks that every element of a list of strings is a plain value.
func (w *walker) scalars(n *yaml.Node, key string, f field, path string) {
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		e := w.visit(item)
		if e == nil {
			return
		}
		w.pos[p] = Pos{item.Line, item.Column}
		w.nul(item, e, p)
		if e.Kind != yaml.ScalarNode {
			w.fail(item, p, "%s; quote values that contain [ ] { } or \": \"", expected(key, f))
			w.deep = true
		}
	}
}

// entries checks a string-to-string mapping such as env:, recording each key's
// position because the key is what semantic checks complain about.
func (w *walker) entries(n *yaml.Node, key string, f field, path string) {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := w.visit(n.Content[i])
		v := w.visit(n.Content[i+1])
		if k == nil || v == nil {
			return
		}
		if k.Kind != yaml.ScalarNode {
			w.fail(n.Content[i], path, "%s", expected(key, f))
			w.deep = true
			continue
		}
		if first, dup := seen[k.Value]; dup {
			w.fail(n.Content[i], path, "duplicate key %q (first at line %d); remove one of them", k.Value, first.Line)
			w.deep = true
			continue
		}
		seen[k.Value] = n.Content[i]
		w.pos[joinPath(path, k.Value)] = Pos{n.Content[i].Line, n.Content[i].Column}
		w.nul(n.Content[i], k, joinPath(path, k.Value))
		w.nul(n.Content[i+1], v, joinPath(path, k.Value))
		if v.Kind != yaml.ScalarNode {
			w.fail(n.Content[i+1], joinPath(path, k.Value), "%s; quote values that contain [ ] { } or \": \"", expected(key, f))
			w.deep = true
		}
	}
}

// nulMsg explains why a NUL character is refused.
const nulMsg = `contains a NUL character ("\0"); remove it: a program cannot receive it (argv and environment strings end at NUL) and no image field means anything with it`

// nul reports a scalar n (written at at) that contains a NUL character. It is
// a value error, not a shape error: the rest of the file is still checked.
func (w *walker) nul(at, n *yaml.Node, path string) {
	if n.Kind == yaml.ScalarNode && strings.ContainsRune(n.Value, 0) {
		w.fail(at, path, "%s", nulMsg)
	}
}
