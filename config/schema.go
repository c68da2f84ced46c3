package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// shape is the YAML form a field must have. It is derived from the Go type so the
// checks in walk.go can never drift from the structs that node.Decode fills.
type shape int

const (
	shapeString  shape = iota // string
	shapeBool                 // *bool or bool
	shapeList                 // []string
	shapeMap                  // map[string]string
	shapeObject               // a nested struct, e.g. defaults:
	shapeObjects              // a list of structs, e.g. images:
)

type field struct {
	shape shape
	obj   *schema // for shapeObject and shapeObjects
}

// schema lists the keys a YAML mapping may contain.
type schema struct {
	fields map[string]field
	keys   []string // sorted, for "known keys: ..." messages
}

// schemas holds the three mappings of packager.yaml: the top level, one image,
// and defaults: (which is the image's settings without name/main/dir/base/path).
type schemas struct{ root, image, settings *schema }

var fileSchemas = sync.OnceValue(func() schemas {
	root := schemaOf(reflect.TypeFor[File]())
	return schemas{root: root, image: root.fields["images"].obj, settings: root.fields["defaults"].obj}
})

func schemaOf(t reflect.Type) *schema {
	s := &schema{fields: map[string]field{}}
	addFields(s, t)
	for k := range s.fields {
		s.keys = append(s.keys, k)
	}
	slices.Sort(s.keys)
	return s
}

// addFields reads the yaml struct tags of t, following ",inline" embeds the same
// way yaml.v3 does.
func addFields(s *schema, t reflect.Type) {
	for sf := range t.Fields() {
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if opts == "inline" {
			addFields(s, sf.Type)
			continue
		}
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		s.fields[name] = fieldOf(sf.Type)
	}
}

func fieldOf(t reflect.Type) field {
	switch {
	case t.Kind() == reflect.String:
		return field{shape: shapeString}
	case t.Kind() == reflect.Bool, t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Bool:
		return field{shape: shapeBool}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return field{shape: shapeList}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return field{shape: shapeObjects, obj: schemaOf(t.Elem())}
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.String:
		return field{shape: shapeMap}
	case t.Kind() == reflect.Struct:
		return field{shape: shapeObject, obj: schemaOf(t)}
	}
	panic(fmt.Sprintf("config: no YAML shape for Go type %s", t)) // a programming error, caught by every test
}

// examples show the right form of each key in "expected ..." messages.
var examples = map[string]string{
	"repo":       `repo: ghcr.io/you/project`,
	"platforms":  `platforms: [linux/amd64]`,
	"base":       `base: static`,
	"defaults":   `defaults: {tags: [latest]}`,
	"images":     `images: [{main: ./cmd/app}]`,
	"name":       `name: hello`,
	"main":       `main: ./cmd/app`,
	"dir":        `dir: .`,
	"path":       `path: /usr/local/bin/hello`,
	"tags":       `tags: [latest, v1]`,
	"user":       `user: "65532:65532"`,
	"entrypoint": `entrypoint: ["/usr/local/bin/hello", "serve"]`,
	"args":       `args: ["--port", "8080"]`,
	"env":        `env: {TZ: UTC}`,
	"build_env":  `build_env: {GOFLAGS: -mod=vendor}`,
	"ldflags":    `ldflags: ["-X main.version=1.0"]`,
	"flags":      `flags: ["-tags=netgo"]`,
	"cgo":        `cgo: true`,
}

// expected says what form key needs, with an example to copy.
func expected(key string, f field) string {
	var what string
	switch f.shape {
	case shapeString:
		what = "a string"
	case shapeBool:
		what = "true or false"
	case shapeList:
		what = "a list of strings"
	case shapeMap:
		what = "a mapping of names to strings"
	case shapeObject:
		what = "a mapping"
	case shapeObjects:
		what = "a list of mappings"
	}
	if ex, ok := examples[key]; ok {
		return "expected " + what + ", e.g. " + ex
	}
	return "expected " + what
}
