package convert

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/render"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// corpus lists every Dockerfile in testdata: the Go Dockerfiles of the
// tutorial seeds, one file per instruction, and files modelled on real
// projects.
func corpus(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*/*.Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("corpus has %d Dockerfiles; testdata is incomplete", len(files))
	}
	return files
}

// TestDockerfileGolden converts every corpus file and compares the text and
// the warnings with the .golden file next to it (-update rewrites them).
func TestDockerfileGolden(t *testing.T) {
	for _, path := range corpus(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := convertFile(t, path)
			golden := strings.TrimSuffix(path, ".Dockerfile") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestDockerfileGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s: output differs from %s:\n--- got\n%s\n--- want\n%s", path, golden, got, want)
			}
		})
	}
}

// convertFile is the converted text followed by the warnings, as comments.
func convertFile(t *testing.T, path string) string {
	t.Helper()
	r := convertPath(t, path)
	var b strings.Builder
	b.Write(r.YAML)
	b.WriteString("# --- warnings ---\n")
	for _, w := range r.Warnings {
		b.WriteString("# " + w.String() + "\n")
	}
	return b.String()
}

// convertPath converts the Dockerfile at path.
func convertPath(t *testing.T, path string) *Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Dockerfile("Dockerfile", data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDockerfileConfigValid loads every converted file with config and checks
// it the way `packager validate` does: shape, values and template syntax.
func TestDockerfileConfigValid(t *testing.T) {
	for _, path := range corpus(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			checkConfig(t, convertPath(t, path).YAML)
		})
	}
}

// checkConfig writes yaml as packager.yaml into a fresh directory, creates
// the files it names (as a build context would have them), and validates it.
func checkConfig(t *testing.T, yaml []byte) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "packager.yaml")
	if err := os.WriteFile(p, yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(p)
	if err != nil {
		t.Fatalf("config.Load: %v\n%s", err, yaml)
	}
	for _, img := range f.Images {
		for _, fe := range img.Files {
			touch(t, dir, fe.Src)
		}
		for _, c := range img.CACerts {
			touch(t, dir, c)
		}
	}
	_, err = f.Targets(config.Overrides{})
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, tm := range f.Templates() {
		if err := render.Check(tm.At+": "+tm.Field, tm.Text); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("invalid packager.yaml: %v\n%s", err, yaml)
	}
}

func touch(t *testing.T, dir, rel string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	if strings.HasSuffix(rel, "/") || rel == "." {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestKo converts the .ko.yaml files of testdata/ko, compares them with their
// .golden files and validates them like the Dockerfiles.
func TestKo(t *testing.T) {
	files, err := filepath.Glob("testdata/ko/*.ko.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/ko/*.ko.yaml: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Ko(".ko.yaml", data, KoOptions{DockerRepo: "127.0.0.1:5000/team"})
			if err != nil {
				t.Fatal(err)
			}
			checkConfig(t, r.YAML)
			var b strings.Builder
			b.Write(r.YAML)
			b.WriteString("# --- warnings ---\n")
			for _, w := range r.Warnings {
				b.WriteString("# " + w.String() + "\n")
			}
			golden := strings.TrimSuffix(path, ".ko.yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", golden, b.String(), want)
			}
		})
	}
}
