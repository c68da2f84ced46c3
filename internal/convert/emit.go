package convert

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// schemaLine lets editors check the file as it is edited (see docs/config.md).
const schemaLine = "yaml-language-server: $schema=https://raw.githubusercontent.com/packager-dev/packager/main/docs/packager.schema.json"

// render writes f as packager.yaml text.
func (f *file) render() ([]byte, error) {
	root := &mapping{n: &yaml.Node{Kind: yaml.MappingNode}}
	root.n.HeadComment = commentText(strings.Join(append([]string{schemaLine}, f.header...), "\n"))
	root.str("repo", f.repo, f.notes)
	root.list("platforms", f.platforms, f.notes)
	root.str("base", f.base, f.notes)
	if d := f.defaults; d != nil && (len(d.ldflags)+len(d.flags)+len(d.buildEnv.keys) > 0 || d.cgo != nil) {
		root.add("defaults", d.node(), nil)
	}
	images := &yaml.Node{Kind: yaml.SequenceNode}
	for _, img := range f.images {
		images.Content = append(images.Content, img.node())
	}
	root.add("images", images, nil)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root.n}}
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (img *image) node() *yaml.Node {
	m := &mapping{n: &yaml.Node{Kind: yaml.MappingNode}}
	n := img.notes
	m.str("name", img.name, n)
	m.str("main", img.main, n)
	if len(img.binaries) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, b := range img.binaries {
			bm := &mapping{n: &yaml.Node{Kind: yaml.MappingNode}}
			bm.str("main", b.main, nil)
			bm.str("path", b.path, nil)
			seq.Content = append(seq.Content, bm.n)
		}
		m.add("binaries", seq, n["binaries"])
	}
	m.str("dir", img.dir, n)
	m.str("base", img.base, n)
	m.str("path", img.path, n)
	m.list("platforms", img.platforms, n)
	if img.user != nil {
		m.add("user", str(*img.user), n["user"])
	}
	if img.hasEntry {
		m.add("entrypoint", flow(img.entrypoint), n["entrypoint"])
	}
	if img.hasArgs {
		m.add("args", flow(img.args), n["args"])
	}
	m.strMap("env", img.env, n)
	m.strMap("build_env", img.buildEnv, n)
	m.list("ldflags", img.ldflags, n)
	m.list("flags", img.flags, n)
	if img.cgo != nil {
		m.add("cgo", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(*img.cgo)}, n["cgo"])
	}
	m.list("ports", img.ports, n)
	m.str("workdir", img.workdir, n)
	m.list("volumes", img.volumes, n)
	m.str("stopsignal", img.stopsig, n)
	if img.health != nil {
		m.add("healthcheck", img.health.node(), n["healthcheck"])
	}
	m.strMap("labels", img.labels, n)
	img.filesNode(m)
	m.list("ca_certs", img.caCerts, n)
	if img.tzdata {
		m.add("tzdata", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}, n["tzdata"])
	}
	m.leftover(n)
	return m.n
}

// leftover writes the notes of keys that were not written (-s -w dropped
// from ldflags that are otherwise empty, say) above the first key, so no
// note is lost.
func (m *mapping) leftover(n notes) {
	written := map[string]bool{}
	for i := 0; i < len(m.n.Content); i += 2 {
		written[m.n.Content[i].Value] = true
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		if !written[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var lines []string
	for _, k := range keys {
		lines = append(lines, n[k]...)
	}
	if len(lines) == 0 || len(m.n.Content) == 0 {
		return
	}
	first := m.n.Content[0]
	first.HeadComment = commentText(strings.TrimSpace(strings.Join(lines, "\n") + "\n" + first.HeadComment))
}

func (img *image) filesNode(m *mapping) {
	if len(img.files) == 0 {
		return
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, fe := range img.files {
		fm := &mapping{n: &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}}
		fm.str("src", fe.src, nil)
		fm.str("dst", fe.dst, nil)
		if fe.mode != "" {
			fm.add("mode", str(fe.mode), nil)
		}
		if fe.uid != nil {
			fm.add("uid", integer(*fe.uid), nil)
		}
		if fe.gid != nil {
			fm.add("gid", integer(*fe.gid), nil)
		}
		seq.Content = append(seq.Content, fm.n)
	}
	m.add("files", seq, img.notes["files"])
}

func (h *health) node() *yaml.Node {
	m := &mapping{n: &yaml.Node{Kind: yaml.MappingNode}}
	m.add("test", flow(h.test), nil)
	m.str("interval", h.interval, nil)
	m.str("timeout", h.timeout, nil)
	m.str("start_period", h.startPeriod, nil)
	if h.retries != nil {
		m.add("retries", integer(*h.retries), nil)
	}
	return m.n
}

// mapping appends keys to a YAML mapping node.
type mapping struct{ n *yaml.Node }

func (m *mapping) add(key string, v *yaml.Node, comment []string) {
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
	if len(comment) > 0 {
		k.HeadComment = commentText(strings.Join(comment, "\n"))
	}
	m.n.Content = append(m.n.Content, k, v)
}

// str adds key: value unless value is empty.
func (m *mapping) str(key, value string, n notes) {
	if value != "" {
		m.add(key, str(value), n[key])
	}
}

// list adds key: [values] unless there are none.
func (m *mapping) list(key string, values []string, n notes) {
	if len(values) > 0 {
		m.add(key, flow(values), n[key])
	}
}

func (m *mapping) strMap(key string, o ordered, n notes) {
	if len(o.keys) == 0 {
		return
	}
	sub := &mapping{n: &yaml.Node{Kind: yaml.MappingNode}}
	for _, k := range o.keys {
		sub.add(k, str(o.vals[k]), nil)
	}
	m.add(key, sub.n, n[key])
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "{{") {
		// Plain or double quotes would do too; single quotes keep the
		// template's own double quotes readable.
		n.Style = yaml.SingleQuotedStyle
	}
	return n
}

func integer(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func flow(values []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range values {
		n.Content = append(n.Content, str(v))
	}
	return n
}

// commentText makes text safe in YAML comments, which may hold no control
// characters: a Dockerfile's values are quoted into comments, and anything
// unprintable there (or invalid UTF-8) is written escaped instead.
func commentText(s string) string {
	if !strings.ContainsFunc(s, unprintable) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unprintable(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unprintable(r rune) bool { return r != '\n' && r != ' ' && !unicode.IsPrint(r) }
