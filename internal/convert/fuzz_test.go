package convert

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// seeds adds every file of the corpus matching pattern.
func seeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", pattern))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds for %s: %v", pattern, err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzDockerfile: no Dockerfile makes the converter panic, and what it
// writes is always YAML that parses.
func FuzzDockerfile(f *testing.F) {
	seeds(f, "*.Dockerfile")
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Dockerfile("Dockerfile", data)
		if err != nil {
			return
		}
		var v any
		if err := yaml.Unmarshal(res.YAML, &v); err != nil {
			t.Fatalf("converted YAML does not parse: %v\n%s", err, res.YAML)
		}
	})
}

// FuzzKo is the same for .ko.yaml files.
func FuzzKo(f *testing.F) {
	seeds(f, "*.ko.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Ko(".ko.yaml", data, KoOptions{})
		if err != nil {
			return
		}
		var v any
		if err := yaml.Unmarshal(res.YAML, &v); err != nil {
			t.Fatalf("converted YAML does not parse: %v\n%s", err, res.YAML)
		}
	})
}
