package config

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/packager.schema.json from JSONSchema")

const schemaFile = "../docs/packager.schema.json"

// TestJSONSchema keeps docs/packager.schema.json in step with the parser.
func TestJSONSchema(t *testing.T) {
	got, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := JSONSchema(); !bytes.Equal(got, again) {
		t.Fatal("JSONSchema is not deterministic")
	}
	if !json.Valid(got) {
		t.Fatal("JSONSchema returned invalid JSON")
	}
	if *update {
		tmp := filepath.Join(filepath.Dir(schemaFile), ".packager.schema.json.tmp")
		if err := os.WriteFile(tmp, got, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, schemaFile); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatalf("%v; create it with: go test ./config -run TestJSONSchema -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with the config schema; regenerate it with: go test ./config -run TestJSONSchema -update", schemaFile)
	}
}

// TestKeyDocsCoverSchema: every key has a description and an example, and
// the table has no keys the schema lacks.
func TestKeyDocsCoverSchema(t *testing.T) {
	seen := map[string]bool{}
	var walk func(s *schema)
	walk = func(s *schema) {
		for _, k := range s.keys {
			seen[k] = true
			d, ok := keyDocs[k]
			if !ok || d.desc == "" || d.example == "" {
				t.Errorf("key %q has no description or example in keyDocs", k)
			}
			f := s.fields[k]
			if f.shape == shapeObjects && d.item == "" {
				t.Errorf("list key %q has no item example in keyDocs", k)
			}
			if f.obj != nil {
				walk(f.obj)
			}
		}
	}
	walk(fileSchemas().root)
	for k := range keyDocs {
		if !seen[k] {
			t.Errorf("keyDocs documents %q, which is no key of packager.yaml", k)
		}
	}
}
