package config

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/packager-dev/packager/vocab"
)

// SchemaURL is where docs/packager.schema.json is published; editors find it
// through the modeline "# yaml-language-server: $schema=<SchemaURL>".
const SchemaURL = "https://raw.githubusercontent.com/packager-dev/packager/main/docs/packager.schema.json"

// JSONSchema returns a JSON Schema (draft 2020-12) for packager.yaml, made from
// the same schema tree and key table the parser uses, as indented JSON with
// sorted keys, so the same code always gives the same bytes. It describes the
// shape and the simple value rules; Parse and Targets remain the authority
// (they also check files exist, merge defaults and catch duplicates).
func JSONSchema() ([]byte, error) {
	doc := objectJSON(fileSchemas().root, "")
	doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	doc["$id"] = SchemaURL
	doc["title"] = "packager.yaml"
	doc["description"] = "Configuration of packager, which builds OCI images for Go programs."
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep "<repo>/<name>" readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type object = map[string]any

// scalarJSON is what a string in a list or map may be written as: YAML reads
// 8080 and true as numbers and booleans, and packager takes their text.
var scalarJSON = object{"type": []string{"string", "number", "boolean"}}

func objectJSON(s *schema, key string) object {
	props := object{}
	for _, k := range s.keys {
		props[k] = fieldJSON(k, s.fields[k])
	}
	out := object{"type": "object", "properties": props, "additionalProperties": false}
	if req, ok := requiredKeys[key]; ok {
		out["required"] = req
	}
	if key == "images" {
		out["oneOf"] = []object{{"required": []string{"main"}}, {"required": []string{"binaries"}}}
	}
	return out
}

func fieldJSON(key string, f field) object {
	var out object
	switch f.shape {
	case shapeString:
		out = object{"type": "string"}
	case shapeBool:
		out = object{"type": "boolean"}
	case shapeInt:
		out = object{"type": "integer"}
	case shapeMode:
		out = object{"type": []string{"integer", "string"}}
	case shapeList:
		out = object{"type": "array", "items": scalarJSON}
	case shapeMap:
		out = object{"type": "object", "additionalProperties": scalarJSON}
	case shapeObject:
		out = objectJSON(f.obj, key)
	case shapeObjects:
		out = object{"type": "array", "items": objectJSON(f.obj, key)}
	}
	out["description"] = keyDocs[key].desc
	maps.Copy(out, jsonRefine[key])
	return out
}

// requiredKeys lists, by the key that holds them, the keys an object needs.
var requiredKeys = map[string][]string{
	"binaries":    {"main"},
	"files":       {"src", "dst"},
	"healthcheck": {"test"},
}

const (
	absPath     = "^/"
	durationPat = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`
	envNamePat  = "^[A-Za-z_][A-Za-z0-9_]*$"
)

// jsonRefine narrows the generic shape of some keys with the value rules that
// JSON Schema can express.
var jsonRefine = map[string]object{
	"platforms": {"minItems": 1, "uniqueItems": true,
		"items": object{"type": "string", "enum": append(slices.Clone(vocab.KnownPlatforms), "all")}},
	"base": {"examples": []string{"static", "scratch", "oci:./base-layout", "gcr.io/distroless/static:nonroot"}},
	"tags": {"minItems": 1},
	"user": {"type": []string{"string", "integer"}},
	"ports": {"items": object{"anyOf": []object{
		{"type": "integer", "minimum": 1, "maximum": 65535},
		{"type": "string", "pattern": `^[0-9]{1,5}(/(tcp|udp|sctp))?$`},
	}}},
	"path":         {"pattern": absPath},
	"workdir":      {"pattern": absPath},
	"dst":          {"pattern": absPath},
	"volumes":      {"items": object{"type": "string", "pattern": absPath}},
	"stopsignal":   {"type": []string{"string", "integer"}, "pattern": `^(SIG[A-Z0-9+-]+|[0-9]+)$`, "minimum": 1, "maximum": 64},
	"env":          {"propertyNames": object{"pattern": envNamePat}},
	"build_env":    {"propertyNames": object{"pattern": envNamePat}},
	"test":         {"minItems": 1},
	"interval":     {"pattern": durationPat},
	"timeout":      {"pattern": durationPat},
	"start_period": {"pattern": durationPat},
	"retries":      {"minimum": 0},
	"mode": {"anyOf": []object{
		{"type": "integer", "minimum": 0, "maximum": 7777},
		{"type": "string", "pattern": "^0[oO]?[0-7]{0,5}$"},
	}},
	"uid": {"minimum": 0, "maximum": 2147483647},
	"gid": {"minimum": 0, "maximum": 2147483647},
}
