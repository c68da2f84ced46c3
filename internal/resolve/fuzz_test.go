package resolve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzReplace: whenever references are found, replacing them succeeds; the
// result parses into the same documents with only the references changed
// (same kinds, tags, styles, anchors, comments and lines), and every byte
// outside the replaced spans is the input's.
func FuzzReplace(f *testing.F) {
	for _, s := range []string{
		"# top\nimage: ko://example.com/app/cmd/web # the web\n",
		"a: &img !!str\n  ko://x\nb: *img\nc: [ko://y, 'packager://z', \"ko://x\"]\n",
		"a: 1\r\nimage: ko://w\r\n---\r\nb: \"packager://h\"\r\n",
		"\xef\xbb\xbfk: {i: packager://n, j: 'it''s'}\n",
		"l:\n- \"ko://a\\u0041\"\n- 'ko://b''c'\n- \"ko://d\n  e\"\n",
		"s: |\n  ko://x\nn: \"\u2028\" \nv: ko://after-ls\n",
		"x: \u0085 ko://nel\n",
		"? ko://key\n: ko://value\n",
		"? 0: ko://\n", // a value inside a complex key is part of the key
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		refs, err := Find(in)
		if err != nil {
			return
		}
		with := map[string]string{}
		for i, r := range refs {
			with[r] = fmt.Sprintf("r.example/%s/img%d@sha256:%d", strings.Repeat("x", i%3*7), i, i)
		}
		out, err := Replace(in, with)
		if err != nil {
			t.Fatalf("Find succeeded but Replace failed: %v\ninput: %q", err, in)
		}
		spans, _ := findSpans(in)
		checkOutside(t, in, out, spans, with)
		checkTrees(t, in, out, with)
	})
}

// checkOutside compares the bytes between the spans.
func checkOutside(t *testing.T, in, out []byte, spans []span, with map[string]string) {
	t.Helper()
	last, o := 0, 0
	for _, s := range spans {
		between := in[last:s.start]
		if !bytes.HasPrefix(out[o:], between) {
			t.Fatalf("bytes before offset %d changed\ninput:  %q\noutput: %q", s.start, in, out)
		}
		o += len(between)
		if r := with[s.ref]; !bytes.HasPrefix(out[o:], []byte(r)) {
			t.Fatalf("no %s at output offset %d: %q", r, o, out)
		}
		o += len(with[s.ref])
		last = s.end
	}
	if !bytes.Equal(out[o:], in[last:]) {
		t.Fatalf("the tail changed\ninput:  %q\noutput: %q", in, out)
	}
}

// checkTrees parses both streams and compares them node by node.
func checkTrees(t *testing.T, in, out []byte, with map[string]string) {
	t.Helper()
	a, b := documents(t, in), documents(t, out)
	if len(a) != len(b) {
		t.Fatalf("%d documents became %d", len(a), len(b))
	}
	for i := range a {
		if err := sameNode(a[i], b[i], with, false); err != nil {
			t.Fatalf("document %d: %v\ninput:  %q\noutput: %q", i, err, in, out)
		}
	}
}

func documents(t *testing.T, data []byte) []*yaml.Node {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("parse: %v: %q", err, data)
		}
		docs = append(docs, &n)
	}
}

func sameNode(a, b *yaml.Node, with map[string]string, key bool) error {
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Anchor != b.Anchor || a.Line != b.Line ||
		a.HeadComment != b.HeadComment || a.LineComment != b.LineComment || a.FootComment != b.FootComment ||
		len(a.Content) != len(b.Content) {
		return fmt.Errorf("line %d: node %+v became %+v", a.Line, *a, *b)
	}
	want := a.Value
	if a.Kind == yaml.ScalarNode && !key && a.ShortTag() == "!!str" && IsRef(a.Value) {
		want = with[a.Value]
	}
	if b.Value != want {
		return fmt.Errorf("line %d: value %q became %q, want %q", a.Line, a.Value, b.Value, want)
	}
	for i := range a.Content {
		// Everything inside a key (a complex "? " key may hold a mapping)
		// is part of the key: Find leaves keys alone.
		if err := sameNode(a.Content[i], b.Content[i], with, key || a.Kind == yaml.MappingNode && i%2 == 0); err != nil {
			return err
		}
	}
	return nil
}
