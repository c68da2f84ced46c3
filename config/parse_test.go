package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseRejectsBadShape(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		wants []want
	}{
		{"syntax error", "repo: a\nbase: b: c\n",
			[]want{{"packager.yaml:2: ", "invalid YAML: mapping values are not allowed in this context"}}},
		{"tab indentation", "images:\n\t- main: ./a\n",
			[]want{{"packager.yaml:2: ", "tabs"}}},
		{"unknown top-level key", "platfroms: [linux/amd64]\n",
			[]want{{"packager.yaml:1:1: ", `unknown key "platfroms"; did you mean "platforms"? known keys: base, defaults, images, platforms, remote_cache, repo`}}},
		{"unknown image key", "images:\n  - mian: ./a\n",
			[]want{{"packager.yaml:2:5: images[0]: ", `unknown key "mian"; did you mean "main"?`}}},
		{"unknown key without suggestion", "images:\n  - main: ./a\n    expose: [80]\n",
			[]want{{"packager.yaml:3:5: images[0]: ", `unknown key "expose"; known keys: annotations, args, base, binaries,`}}},
		{"top-level key in an image", "images:\n  - main: ./a\n    repo: ghcr.io/x\n",
			[]want{{"packager.yaml:3:5: images[0]: ", `"repo" is a top-level key`}}},
		{"top-level key in defaults", "defaults:\n  platforms: [linux/arm64]\n",
			[]want{{"packager.yaml:2:3: defaults: ", `"platforms" is a top-level key`}}},
		{"image key in defaults", "defaults:\n  main: ./a\n",
			[]want{{"packager.yaml:2:3: defaults: ", `"main" can only be set per image`}}},
		{"string for a list", "defaults:\n  ldflags: -s\n",
			[]want{{"packager.yaml:2:12: defaults.ldflags: ", `expected a list of strings, e.g. ldflags: ["-X main.version=1.0"]`}}},
		{"mapping for a list", "images:\n  - main: ./a\n    tags: {a: b}\n",
			[]want{{"packager.yaml:3:11: images[0].tags: ", "expected a list of strings, e.g. tags: [latest, v1]"}}},
		{"list inside a list", "images:\n  - main: ./a\n    args: [[a]]\n",
			[]want{{"packager.yaml:3:12: images[0].args[0]: ", "expected a list of strings"}}},
		{"not a bool", "images:\n  - main: ./a\n    cgo: yes\n",
			[]want{{"packager.yaml:3:10: images[0].cgo: ", "expected true or false, e.g. cgo: true"}}},
		{"list for a string", "repo: [a, b]\n",
			[]want{{"packager.yaml:1:7: repo: ", "expected a string, e.g. repo: ghcr.io/you/project"}}},
		{"list for a map", "defaults:\n  env: [A=1]\n",
			[]want{{"packager.yaml:2:8: defaults.env: ", "expected a mapping of names to strings, e.g. env: {TZ: UTC}"}}},
		{"list as an env value", "defaults:\n  build_env: {A: [1]}\n",
			[]want{{"packager.yaml:2:18: defaults.build_env.A: ", "expected a mapping of names to strings"}}},
		{"images is a mapping", "images:\n  main: ./a\n",
			[]want{{"packager.yaml:2:3: images: ", "expected a list of mappings, e.g. images: [{main: ./cmd/app}]"}}},
		{"image is a string", "images:\n  - ./cmd/app\n",
			[]want{{"packager.yaml:2:5: images[0]: ", "expected a mapping, e.g. - main: ./cmd/app"}}},
		{"top level is a list", "- main: ./a\n",
			[]want{{"packager.yaml:1:1: ", "expected a mapping of keys at the top level"}}},
		{"duplicate key", "repo: a\nbase: static\nrepo: b\n",
			[]want{{"packager.yaml:3:1: ", `duplicate key "repo" (first at line 1)`}}},
		{"duplicate env key", "defaults:\n  env:\n    A: 1\n    A: 2\n",
			[]want{{"packager.yaml:4:5: defaults.env: ", `duplicate key "A" (first at line 3)`}}},
		{"two documents", "repo: a\n---\nrepo: b\n",
			[]want{{"packager.yaml:2:1: ", "only one YAML document is allowed"}}},
		{"several problems, sorted by line", "images:\n  - main: ./a\n    tags: latest\n    usr: root\nplatfroms: [linux/amd64]\n",
			[]want{
				{"packager.yaml:3:11: images[0].tags: ", "expected a list of strings"},
				{"packager.yaml:4:5: images[0]: ", `did you mean "user"?`},
				{"packager.yaml:5:1: ", `did you mean "platforms"?`},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("packager.yaml", "/src", []byte(tt.yaml))
			if f != nil {
				t.Errorf("Parse returned a File along with errors")
			}
			checkProblems(t, err, tt.wants)
		})
	}
}

// TestParseReportsShapeAndValueErrorsTogether: a typo in one key does not hide
// a bad value elsewhere; the user fixes everything in one round.
func TestParseReportsShapeAndValueErrorsTogether(t *testing.T) {
	yaml := "repo: 127.0.0.1:5000/Team\nplatfroms: [linux/amd64]\nbase: statik\nimages:\n  - name: Hello\n    main: .\n    ldflags: -X main.v=1\n    path: ../etc\n"
	_, err := Parse("packager.yaml", "/src", []byte(yaml))
	checkProblems(t, err, []want{
		{"packager.yaml:1:7: repo: ", "invalid repo"},
		{"packager.yaml:2:1: ", `did you mean "platforms"?`},
		{"packager.yaml:3:7: base: ", `did you mean "static"?`},
		{"packager.yaml:5:11: images[0].name: ", "invalid image name"},
		{"packager.yaml:7:14: images[0].ldflags: ", "expected a list of strings"},
		{"packager.yaml:8:11: images[0].path: ", "invalid path"},
	})
}

func TestParseAcceptsEmptyFiles(t *testing.T) {
	for _, data := range []string{"", "# nothing yet\n", "---\n", "images:\n", "images: []\nrepo: a\n---\n"} {
		f := mustParse(t, "/src", data)
		if len(f.Images) != 0 {
			t.Errorf("Parse(%q) has %d images, want none", data, len(f.Images))
		}
	}
}

func TestParseDecodes(t *testing.T) {
	yes := true
	f := mustParse(t, "/src", `
repo: ghcr.io/x
platforms: [linux/arm64]
defaults:
  tags: [v1]
  env: {A: "1"}
images:
  - main: ./cmd/a
    user: 1000   # a number is fine where a string is expected
    cgo: true
    build_env: {GOEXPERIMENT: ""}
    entrypoint: []
`)
	want := []Image{{Main: "./cmd/a", Settings: Settings{
		User: "1000", Cgo: &yes, BuildEnv: map[string]string{"GOEXPERIMENT": ""}, Entrypoint: []string{},
	}}}
	if !reflect.DeepEqual(f.Images, want) {
		t.Errorf("Images = %+v, want %+v", f.Images, want)
	}
	if f.Repo != "ghcr.io/x" || !reflect.DeepEqual(f.Platforms, []string{"linux/arm64"}) ||
		!reflect.DeepEqual(f.Defaults, Settings{Tags: []string{"v1"}, Env: map[string]string{"A": "1"}}) {
		t.Errorf("File = %+v", f)
	}
}

func TestParseStopsAliasExpansion(t *testing.T) {
	// 5,000 images each pointing at the same 5,000 tags would be 25M values.
	data := "defaults:\n  tags: &t [" + strings.Repeat("x, ", 5000) + "x]\n" +
		"images: [" + strings.Repeat("{main: x, tags: *t}, ", 5000) + "{main: x}]\n"
	_, err := Parse("packager.yaml", "/src", []byte(data))
	if err == nil || !strings.Contains(err.Error(), "repeats aliases too often") {
		t.Errorf("Parse = %v, want an error about aliases", err)
	}
}

func TestNullMeansNotSet(t *testing.T) {
	f := mustParse(t, "/src", "defaults:\n  user:\n  tags:\nimages:\n  - main: ./a\n    cgo:\n")
	got, err := f.Targets(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].User != "65532:65532" || got[0].Tags[0] != "latest" || got[0].Cgo {
		t.Errorf("Targets = %+v, want built-in defaults", got[0])
	}
}
