package config

import (
	"reflect"
	"slices"
	"testing"

	"github.com/packager-dev/packager/vocab"
)

func TestTargetsRejectsBadBinaries(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		wants []want
	}{
		{"duplicate path", "images:\n  - binaries:\n      - main: ./cmd/server\n      - main: ./other/server\n      - main: ./cmd/c\n        path: /usr/local/bin/c\n      - {main: ./cmd/d, path: /usr/local/bin/c}\n",
			[]want{
				{"packager.yaml:4:9: images[0].binaries[1].path: ", `path "/usr/local/bin/server" is also used by binaries[0] (line 3); give this binary its own path:`},
				{"packager.yaml:7:31: images[0].binaries[3].path: ", `path "/usr/local/bin/c" is also used by binaries[2] (line 5)`},
			}},
		{"main and binaries", "images:\n  - main: ./a\n    binaries: [{main: ./b}]\n",
			[]want{{"packager.yaml:3:15: images[0].binaries: ", "main: and binaries: are mutually exclusive; move main: into binaries: as its first entry, or remove binaries:"}}},
		{"empty binaries", "images:\n  - name: x\n    binaries: []\n",
			[]want{{"packager.yaml:3:15: images[0].binaries: ", "the list is empty; name at least one main package"}}},
		{"binary without main", "images:\n  - binaries: [{main: ./a}, {path: /b}]\n",
			[]want{{"packager.yaml:2:29: images[0].binaries[1].main: ", "main is required"}}},
		{"path with binaries", "images:\n  - binaries: [{main: ./a}]\n    path: /a\n",
			[]want{{"packager.yaml:3:11: images[0].path: ", "path: belongs to main:; with binaries: set path: on each entry"}}},
		{"bad binary path", "images:\n  - binaries: [{main: ./a, path: bin/a}]\n",
			[]want{{"packager.yaml:2:34: images[0].binaries[0].path: ", `invalid path "bin/a"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, "/src", tt.yaml)
			_, err := f.Targets(Overrides{})
			checkProblems(t, err, tt.wants)
		})
	}
}

func TestBinariesEntrypointAndSelection(t *testing.T) {
	f := mustParse(t, "/src", `
images:
  - binaries: [{main: ./cmd/server}, {main: ./cmd/migrate}]
    entrypoint: [/usr/local/bin/migrate, up]
  - main: ./cmd/other
`)
	got, err := f.Targets(Overrides{Packages: []string{"./cmd/migrate"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "server" || got[0].Main != "./cmd/server" || got[0].Path != "/usr/local/bin/server" ||
		!slices.Equal(got[0].Entrypoint, []string{"/usr/local/bin/migrate", "up"}) {
		t.Errorf("Targets = %+v, want the server image selected by its second binary, with its own entrypoint", got)
	}
}

func TestTargetsPlatforms(t *testing.T) {
	const file = `
platforms: [linux/amd64, linux/arm64/v8, linux/arm]
images:
  - main: ./a
  - main: ./b
    base: gcr.io/distroless/static
    platforms: [all]
  - main: ./c
    base: scratch
    platforms: [all]
  - main: ./d
    platforms: [linux/s390x]
`
	var (
		amd64 = vocab.Platform{OS: "linux", Architecture: "amd64"}
		arm64 = vocab.Platform{OS: "linux", Architecture: "arm64"}
		armv7 = vocab.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
		s390x = vocab.Platform{OS: "linux", Architecture: "s390x"}
	)
	tests := []struct {
		name      string
		o         Overrides
		platforms [][]vocab.Platform
		all       []bool
	}{
		{"from the file", Overrides{}, [][]vocab.Platform{{amd64, arm64, armv7}, nil, vocab.All, {s390x}}, []bool{false, true, false, false}},
		{"--platform replaces every list and drops repeats", Overrides{Platforms: []string{"linux/arm64", "linux/arm64/v8", "linux/amd64"}},
			[][]vocab.Platform{{arm64, amd64}, {arm64, amd64}, {arm64, amd64}, {arm64, amd64}}, []bool{false, false, false, false}},
		{"--platform all", Overrides{Platforms: []string{"all"}},
			[][]vocab.Platform{vocab.All, nil, vocab.All, vocab.All}, []bool{false, true, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustParse(t, "/src", file).Targets(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			for i, tg := range got {
				if !reflect.DeepEqual(tg.Platforms, tt.platforms[i]) || tg.AllPlatforms != tt.all[i] {
					t.Errorf("%s: Platforms %v, AllPlatforms %v; want %v, %v", tg.Name, tg.Platforms, tg.AllPlatforms, tt.platforms[i], tt.all[i])
				}
			}
		})
	}
	if len(vocab.All) != 8 || vocab.All[2].String() != "linux/arm/v6" {
		t.Errorf("vocab.All = %v, want the eight documented ones", vocab.All)
	}
}

func TestTargetsRejectsBadImagePlatforms(t *testing.T) {
	f := mustParse(t, "/src", "images:\n  - main: ./a\n    platforms: [linux/arm64, linux/arm64/v8]\n  - main: ./b\n    platforms: []\n")
	_, err := f.Targets(Overrides{})
	checkProblems(t, err, []want{
		{"packager.yaml:3:30: images[0].platforms[1]: ", `duplicate platform "linux/arm64/v8": images[0].platforms[0] ("linux/arm64") is the same platform`},
		{"packager.yaml:5:16: images[1].platforms: ", "the list is empty"},
	})
}

func TestTemplates(t *testing.T) {
	f := mustParse(t, "/src", `
images:
  - main: ./a
    tags: [latest, "{{.Git.Tag}}"]
    env: {B: plain, A: "{{.Env.A | default \"dev\"}}"}
defaults:
  ldflags: ["-X main.version={{.Git.Tag}}"]
  labels: {version: "{{.Git.Commit}}"}
  annotations: {x: "{{not.rendered}}"}
`)
	want := []Template{
		{At: "packager.yaml:4:20", Field: "images[0].tags[1]", Text: "{{.Git.Tag}}"},
		{At: "packager.yaml:5:21", Field: "images[0].env.A", Text: `{{.Env.A | default "dev"}}`},
		{At: "packager.yaml:7:13", Field: "defaults.ldflags[0]", Text: "-X main.version={{.Git.Tag}}"},
		{At: "packager.yaml:8:12", Field: "defaults.labels.version", Text: "{{.Git.Commit}}"},
	}
	if got := f.Templates(); !reflect.DeepEqual(got, want) {
		t.Errorf("Templates:\n got %+v\nwant %+v", got, want)
	}
	if got := Empty("/src").Templates(); got != nil {
		t.Errorf("Empty().Templates() = %v, want none", got)
	}
}

func TestParseRejectsBadNestedShape(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		wants []want
	}{
		{"typo in healthcheck", "defaults:\n  healthcheck: {tset: [x]}\n",
			[]want{{"packager.yaml:2:17: defaults.healthcheck: ", `unknown key "tset"; did you mean "test"? known keys: interval, retries, start_period, test, timeout`}}},
		{"typo in files", "images:\n  - main: ./a\n    files:\n      - src: .\n        dest: /a\n",
			[]want{{"packager.yaml:5:9: images[0].files[0]: ", `unknown key "dest"; did you mean "dst"? known keys: dst, gid, mode, src, uid`}}},
		{"typo in binaries", "images:\n  - binaries: [{mian: ./a}]\n",
			[]want{{"packager.yaml:2:17: images[0].binaries[0]: ", `unknown key "mian"; did you mean "main"?`}}},
		{"binaries in defaults", "defaults:\n  binaries: [{main: ./a}]\n",
			[]want{{"packager.yaml:2:3: defaults: ", `"binaries" can only be set per image`}}},
		{"string uid", "images:\n  - main: ./a\n    files: [{src: ., dst: /a, uid: '1'}]\n",
			[]want{{"packager.yaml:3:36: images[0].files[0].uid: ", "expected a whole number, e.g. uid: 65532"}}},
		{"float retries", "defaults:\n  healthcheck: {test: [x], retries: 1.5}\n",
			[]want{{"packager.yaml:2:37: defaults.healthcheck.retries: ", "expected a whole number, e.g. retries: 3"}}},
		{"bool mode", "images:\n  - main: ./a\n    files: [{src: ., dst: /a, mode: true}]\n",
			[]want{{"packager.yaml:3:37: images[0].files[0].mode: ", "expected an octal file mode, e.g. mode: 0644"}}},
		{"file is a string", "images:\n  - main: ./a\n    files: [static/]\n",
			[]want{{"packager.yaml:3:13: images[0].files[0]: ", "expected a mapping, e.g. - {src: static/, dst: /srv/static}"}}},
		{"healthcheck is a list", "defaults:\n  healthcheck: [CMD, x]\n",
			[]want{{"packager.yaml:2:16: defaults.healthcheck: ", "expected a mapping, e.g. healthcheck: {test:"}}},
		{"tzdata not a bool", "defaults:\n  tzdata: 'yes'\n",
			[]want{{"packager.yaml:2:11: defaults.tzdata: ", "expected true or false, e.g. tzdata: true"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("packager.yaml", t.TempDir(), []byte(tt.yaml))
			if f != nil {
				t.Errorf("Parse returned a File along with errors")
			}
			checkProblems(t, err, tt.wants)
		})
	}
}
