package config

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// Template is one value in the file that holds a Go template, such as
// tags: ["{{.Git.Tag}}"]. config does not render templates; the caller does,
// at build time, in tags, ldflags, env values and labels values.
type Template struct {
	At    string // "packager.yaml:LINE:COL"
	Field string // "images[0].tags[1]", "defaults.env.VERSION"
	Text  string // the value as written
}

// templatedFields are the settings whose values may hold templates.
var templatedFields = []string{"tags", "ldflags", "env", "labels"}

// Templates lists every templated value in the file in the order written
// (map keys by position too), so "packager validate" can check their syntax
// without building anything.
func (f *File) Templates() []Template {
	var out []Template
	add := func(field, text string) {
		if templated(text) {
			out = append(out, Template{At: f.position(f.posOf(field)), Field: field, Text: text})
		}
	}
	scan := func(prefix string, s Settings) {
		for _, key := range templatedFields {
			var list []string
			var m map[string]string
			switch key {
			case "tags":
				list = s.Tags
			case "ldflags":
				list = s.Ldflags
			case "env":
				m = s.Env
			case "labels":
				m = s.Labels
			}
			for i, v := range list {
				add(fmt.Sprintf("%s.%s[%d]", prefix, key, i), v)
			}
			for _, k := range slices.Sorted(maps.Keys(m)) {
				add(fmt.Sprintf("%s.%s.%s", prefix, key, k), m[k])
			}
		}
	}
	scan("defaults", f.Defaults)
	for i, img := range f.Images {
		scan(fmt.Sprintf("images[%d]", i), img.Settings)
	}
	slices.SortStableFunc(out, func(a, b Template) int {
		pa, pb := f.posOf(a.Field), f.posOf(b.Field)
		return cmp.Or(cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Col, pb.Col))
	})
	return out
}
