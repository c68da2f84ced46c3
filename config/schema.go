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
	shapeInt                  // *int or int
	shapeMode                 // OctalMode: an integer or a string, read as octal digits
	shapeList                 // []string
	shapeMap                  // map[string]string
	shapeObject               // a nested struct or pointer to one, e.g. defaults:, healthcheck:
	shapeObjects              // a list of structs, e.g. images:, files:
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
	if t.Kind() == reflect.Pointer && t.Elem().Kind() != reflect.Bool {
		t = t.Elem() // *int, *HealthcheckSpec: nil means not set, the shape is the element's
	}
	switch {
	case t == reflect.TypeFor[OctalMode]():
		return field{shape: shapeMode}
	case t.Kind() == reflect.String:
		return field{shape: shapeString}
	case t.Kind() == reflect.Bool, t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Bool:
		return field{shape: shapeBool}
	case t.Kind() == reflect.Int:
		return field{shape: shapeInt}
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

// expected says what form key needs, with an example to copy.
func expected(key string, f field) string {
	var what string
	switch f.shape {
	case shapeString:
		what = "a string"
	case shapeBool:
		what = "true or false"
	case shapeInt:
		what = "a whole number"
	case shapeMode:
		what = "an octal file mode"
	case shapeList:
		what = "a list of strings"
	case shapeMap:
		what = "a mapping of names to strings"
	case shapeObject:
		what = "a mapping"
	case shapeObjects:
		what = "a list of mappings"
	}
	if d, ok := keyDocs[key]; ok {
		return "expected " + what + ", e.g. " + d.example
	}
	return "expected " + what
}
