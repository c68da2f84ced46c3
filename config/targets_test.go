package config

import (
	"reflect"
	"testing"

	"github.com/packager-dev/packager/vocab"
)

const fullFile = `
repo: 127.0.0.1:5000/team
platforms: [linux/arm64/v8]
base: gcr.io/distroless/static:nonroot
defaults:
  tags: [latest, v1]
  ldflags: ["-X main.version=1.2"]
  flags: ["-tags=netgo"]
  env: {TZ: UTC, LANG: C}
  build_env: {GOFLAGS: -mod=mod}
images:
  - main: ./examples/hello          # everything derived
  - name: api
    main: .
    dir: services/api
    base: oci:layouts/base:v2
    path: /app/api
    tags: [edge]
    user: root
    entrypoint: [/app/api, serve]
    args: ["--port", "8080"]
    env: {TZ: Europe/Paris, GREETING: hi}
    build_env: {GOEXPERIMENT: ""}
    ldflags: ["-X main.commit=abc"]
    flags: ["-race=false"]
    cgo: true
  - main: example.com/Tools/cmd/Lint_Tool/v2
`

func TestTargetsFullFile(t *testing.T) {
	f := mustParse(t, "/src", fullFile)
	got, err := f.Targets(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	arm64 := []vocab.Platform{{OS: "linux", Architecture: "arm64"}}
	want := []Target{
		{
			Name: "hello", Main: "./examples/hello", Dir: "/src", Path: "/usr/local/bin/hello",
			Binaries: []Binary{{Main: "./examples/hello", Path: "/usr/local/bin/hello"}},
			Repo:     "127.0.0.1:5000/team", Base: "gcr.io/distroless/static:nonroot", Platforms: arm64,
			Tags: []string{"latest", "v1"}, User: "65532:65532", Entrypoint: []string{"/usr/local/bin/hello"},
			Env: []string{"LANG=C", "TZ=UTC"}, BuildEnv: []string{"GOFLAGS=-mod=mod"},
			Ldflags: []string{"-X main.version=1.2"}, Flags: []string{"-tags=netgo"},
		},
		{
			Name: "api", Main: ".", Dir: "/src/services/api", Path: "/app/api",
			Binaries: []Binary{{Main: ".", Path: "/app/api"}},
			Repo:     "127.0.0.1:5000/team", Base: "oci:/src/layouts/base:v2", Platforms: arm64,
			Tags: []string{"edge"}, User: "root", Entrypoint: []string{"/app/api", "serve"}, Args: []string{"--port", "8080"},
			Env:      []string{"GREETING=hi", "LANG=C", "TZ=Europe/Paris"},
			BuildEnv: []string{"GOEXPERIMENT=", "GOFLAGS=-mod=mod"},
			Ldflags:  []string{"-X main.version=1.2", "-X main.commit=abc"}, Flags: []string{"-tags=netgo", "-race=false"},
			Cgo: true,
		},
		{
			Name: "lint_tool", Main: "example.com/Tools/cmd/Lint_Tool/v2", Dir: "/src", Path: "/usr/local/bin/lint_tool",
			Binaries: []Binary{{Main: "example.com/Tools/cmd/Lint_Tool/v2", Path: "/usr/local/bin/lint_tool"}},
			Repo:     "127.0.0.1:5000/team", Base: "gcr.io/distroless/static:nonroot", Platforms: arm64,
			Tags: []string{"latest", "v1"}, User: "65532:65532", Entrypoint: []string{"/usr/local/bin/lint_tool"},
			Env: []string{"LANG=C", "TZ=UTC"}, BuildEnv: []string{"GOFLAGS=-mod=mod"},
			Ldflags: []string{"-X main.version=1.2"}, Flags: []string{"-tags=netgo"},
		},
	}
	if got := withoutAt(got); !reflect.DeepEqual(got, want) { // At: see TestTargetsAt
		t.Errorf("Targets:\n got %+v\nwant %+v", got, want)
	}
}

func TestTargetsBuiltinDefaults(t *testing.T) {
	f := mustParse(t, "/src/hello", "images:\n  - main: .\n")
	got, err := f.Targets(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Target{{
		Name: "hello", Main: ".", Dir: "/src/hello", Path: "/usr/local/bin/hello", Base: "static",
		Binaries:  []Binary{{Main: ".", Path: "/usr/local/bin/hello"}},
		Platforms: []vocab.Platform{{OS: "linux", Architecture: "amd64"}}, Tags: []string{"latest"},
		User: "65532:65532", Entrypoint: []string{"/usr/local/bin/hello"},
		At: map[string]string{"main": "packager.yaml:2:11"}, Entry: "images[0]",
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Targets:\n got %+v\nwant %+v", got, want)
	}
}

func TestTargetsDoesNotMutateFile(t *testing.T) {
	f := mustParse(t, "/src", fullFile)
	pristine := mustParse(t, "/src", fullFile)
	o := Overrides{Tags: []string{"x"}, Packages: []string{"api", "./cmd/extra"}}
	first, err := f.Targets(o)
	if err != nil {
		t.Fatal(err)
	}
	first[0].Ldflags[0] = "changed" // must not reach the File or later Targets
	first[0].Tags[0] = "changed"
	second, err := f.Targets(o)
	if err != nil {
		t.Fatal(err)
	}
	if second[0].Ldflags[0] != "-X main.version=1.2" || second[0].Tags[0] != "x" {
		t.Errorf("a change to one Targets result leaked into the next: %+v", second[0])
	}
	if !reflect.DeepEqual(f, pristine) {
		t.Errorf("Targets changed the File:\n got %+v\nwant %+v", f, pristine)
	}
}

func TestTargetsRejectsBadValues(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		wants []want
	}{
		{"bad repo", "repo: Example.com/Team\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:1:7: repo: ", `invalid repo "Example.com/Team"`}}},
		{"repo with a tag", "repo: ghcr.io/x/y:v1\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:1:7: repo: ", "must not include a tag or digest"}}},
		{"bad tag", "images:\n  - main: ./a\n    tags: [ok, -bad, 'a/b']\n",
			[]want{
				{"packager.yaml:3:16: images[0].tags[1]: ", `invalid tag "-bad"`},
				{"packager.yaml:3:22: images[0].tags[2]: ", `invalid tag "a/b"`},
			}},
		{"empty tags", "defaults:\n  tags: []\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:2:9: defaults.tags: ", "the list is empty"}}},
		{"base typo", "base: statik\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:1:7: base: ", `unknown base "statik"; did you mean "static"?`}}},
		{"bad base reference", "images:\n  - main: ./a\n    base: gcr.io/Distroless/static\n",
			[]want{{"packager.yaml:3:11: images[0].base: ", `invalid base "gcr.io/Distroless/static"`}}},
		{"oci base without dir", "base: 'oci:'\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:1:7: base: ", "names no directory"}}},
		{"bad name", "images:\n  - name: My_App\n    main: ./a\n",
			[]want{{"packager.yaml:2:11: images[0].name: ", `invalid image name "My_App"`}}},
		{"missing main", "images:\n  - name: a\n",
			[]want{{"packager.yaml:2:5: images[0].main: ", "main is required"}}},
		{"pattern main", "images:\n  - main: ./...\n",
			[]want{{"packager.yaml:2:11: images[0].main: ", "is a pattern"}}},
		{"underivable name", "images:\n  - main: ./__\n",
			[]want{{"packager.yaml:2:5: images[0].name: ", `cannot make an image name from "./__"`}}},
		{"relative path", "images:\n  - main: ./a\n    path: bin/a\n",
			[]want{{"packager.yaml:3:11: images[0].path: ", `invalid path "bin/a"`}}},
		{"root path", "images:\n  - main: ./a\n    path: /\n",
			[]want{{"packager.yaml:3:11: images[0].path: ", `invalid path "/"`}}},
		{"unclean path", "images:\n  - main: ./a\n    path: /usr/../bin/a\n",
			[]want{{"packager.yaml:3:11: images[0].path: ", "absolute, clean"}}},
		{"bad env key", "images:\n  - main: ./a\n    env:\n      OK: 1\n      1BAD: 2\n",
			[]want{{"packager.yaml:5:7: images[0].env: ", `invalid variable name "1BAD"`}}},
		{"bad build_env key", "defaults:\n  build_env: {GO-FLAGS: x}\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:2:15: defaults.build_env: ", `invalid variable name "GO-FLAGS"`}}},
		{"bad user", "images:\n  - main: ./a\n    user: 'Admin User'\n",
			[]want{{"packager.yaml:3:11: images[0].user: ", `invalid user "Admin User"`}}},
		{"empty user", "defaults:\n  user: ''\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:2:9: defaults.user: ", "user is empty"}}},
		{"cgo on a static base", "images:\n  - main: ./a\n    cgo: true\n",
			[]want{{"packager.yaml:3:10: images[0].cgo: ", `base is "static" (from the default)`}}},
		{"cgo from defaults, reported once", "base: scratch\ndefaults: {cgo: true}\nimages: [{main: ./a}, {main: ./b}]\n",
			[]want{{"packager.yaml:2:17: defaults.cgo: ", `base is "scratch" (from base)`}}},
		{"cgo with a registry base is fine; static image base is not", "base: gcr.io/distroless/base\ndefaults: {cgo: true}\nimages:\n  - main: ./a\n  - main: ./b\n    base: static\n",
			[]want{{"packager.yaml:2:17: defaults.cgo: ", `base is "static" (from images[1].base)`}}},
		{"unknown platform", "platforms: [linux/amd46]\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:1:13: platforms[0]: ", `unknown platform "linux/amd46"; did you mean "linux/amd64"? known: linux/386, linux/amd64,`}}},
		{"duplicate platform", "platforms: [linux/arm64, linux/arm, linux/arm/v7]\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:1:37: platforms[2]: ", `duplicate platform "linux/arm/v7": platforms[1] ("linux/arm") is the same platform; remove one`}}},
		{"all mixed with platforms", "platforms: [linux/amd64, all]\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:1:26: platforms[1]: ", `"all" means every platform the base has and cannot be combined with others; write platforms: [all] alone`}}},
		{"empty platforms", "platforms: []\nimages: [{main: ./a}]\n",
			[]want{{"packager.yaml:1:12: platforms: ", "the list is empty"}}},
		{"duplicate names", "images:\n  - main: ./cmd/app\n  - main: ./a\n  - main: ./other/app\n",
			[]want{{"packager.yaml:4:5: images[2].name: ", `image name "app" is also used by images[0] (line 2)`}}},
		{"no images", "repo: ghcr.io/x\n",
			[]want{{"packager.yaml: ", "no images: add an images: list to packager.yaml or name a package, e.g. packager build ./cmd/app"}}},
		{"several problems at once", "repo: UPPER\nimages:\n  - main: ./a\n    user: '-x'\n  - name: a\n    path: rel\n",
			[]want{
				{"packager.yaml:1:7: repo: ", "invalid repo"},
				{"packager.yaml:4:11: images[0].user: ", "invalid user"},
				{"packager.yaml:5:5: images[1].main: ", "main is required"},
				{"packager.yaml:5:11: images[1].name: ", `image name "a" is also used by images[0] (line 3)`},
				{"packager.yaml:6:11: images[1].path: ", "invalid path"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, "/src", tt.yaml)
			got, err := f.Targets(Overrides{})
			if got != nil {
				t.Errorf("Targets returned targets along with errors: %+v", got)
			}
			checkProblems(t, err, tt.wants)
		})
	}
}

// TestTargetsEntry: a target says which images: entry it comes from, or
// none for a package argument the file has no entry for.
func TestTargetsEntry(t *testing.T) {
	f := mustParse(t, "/src", "images:\n  - {name: api, main: ./cmd/api}\n  - {name: web, main: ./cmd/web}\n")
	got, err := f.Targets(Overrides{Packages: []string{"./cmd/web", "./cmd/other"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Entry != "images[1]" || got[1].Entry != "" {
		t.Errorf("entries %q and %q, want images[1] and none", got[0].Entry, got[1].Entry)
	}
}
