package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/packager-dev/packager/vocab"
)

const selectFile = `
defaults: {env: {A: "1"}}
images:
  - main: ./cmd/hello
  - name: api
    main: .
    dir: services/api
  - main: example.com/x/cmd/lint
`

func TestOverridesReplaceFileValues(t *testing.T) {
	f := mustParse(t, "/src", `
repo: BAD REPO          # not validated: --repo replaces it
platforms: [linux/amd64]
base: static
images:
  - main: ./a
    base: scratch
    tags: [v1]
`)
	got, err := f.Targets(Overrides{
		Repo:      "ghcr.io/o",
		Platforms: []string{"linux/arm"},
		Base:      "gcr.io/distroless/base",
		Tags:      []string{"t1", "t2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tg := got[0]
	if tg.Repo != "ghcr.io/o" || tg.Base != "gcr.io/distroless/base" || !slices.Equal(tg.Tags, []string{"t1", "t2"}) ||
		!reflect.DeepEqual(tg.Platforms, []vocab.Platform{{OS: "linux", Architecture: "arm", Variant: "v7"}}) {
		t.Errorf("overrides not applied: %+v", tg)
	}
}

func TestOverridesRejectBadFlags(t *testing.T) {
	f := mustParse(t, "/src", "images:\n  - main: ./a\n  - main: ./b\n    base: gcr.io/distroless/base\n    cgo: true\n")
	tests := []struct {
		name  string
		o     Overrides
		wants []want
	}{
		{"each flag", Overrides{Repo: "UP", Platforms: []string{"linux/amd46"}, Base: "statik", Tags: []string{"ok", "-x"}},
			[]want{
				{"--base: ", `unknown base "statik"; did you mean "static"?`},
				{"--platform: ", `unknown platform "linux/amd46"; did you mean "linux/amd64"? known: linux/386,`},
				{"--repo: ", `invalid repo "UP"`},
				{"--tag: ", `invalid tag "-x"`},
			}},
		{"all mixed with a platform", Overrides{Platforms: []string{"linux/amd64", "all"}},
			[]want{{"--platform: ", `"all" means every platform the base has and cannot be combined with others`}}},
		{"--base static under a cgo image", Overrides{Base: "static"},
			[]want{{"packager.yaml:5:10: images[1].cgo: ", `base is "static" (from --base)`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Targets(tt.o)
			checkProblems(t, err, tt.wants)
		})
	}
}

func TestOverridesPackagesSelect(t *testing.T) {
	f := mustParse(t, "/src", selectFile)
	tests := []struct {
		packages []string
		want     []string // target names, in order
	}{
		{[]string{"./cmd/hello"}, []string{"hello"}},
		{[]string{"./cmd/hello/"}, []string{"hello"}},
		{[]string{"api", "./cmd/hello"}, []string{"api", "hello"}},
		{[]string{"./services/api"}, []string{"api"}},
		{[]string{"example.com/x/cmd/lint"}, []string{"lint"}},
		{[]string{"./cmd/hello", "hello"}, []string{"hello"}},
		{[]string{"./cmd/new", "lint", "./cmd/new"}, []string{"new", "lint"}},
	}
	for _, tt := range tests {
		got, err := f.Targets(Overrides{Packages: tt.packages})
		if err != nil {
			t.Errorf("Packages %q: %v", tt.packages, err)
			continue
		}
		var names []string
		for _, tg := range got {
			names = append(names, tg.Name)
		}
		if !slices.Equal(names, tt.want) {
			t.Errorf("Packages %q selected %q, want %q", tt.packages, names, tt.want)
		}
	}
}

func TestOverridesPackageBecomesImage(t *testing.T) {
	f := mustParse(t, "/src", selectFile)
	got, err := f.Targets(Overrides{Packages: []string{"./cmd/new"}, Repo: "ghcr.io/o"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Target{{
		Name: "new", Main: "./cmd/new", Dir: "/src", Path: "/usr/local/bin/new", Repo: "ghcr.io/o", Base: "static",
		Binaries:  []Binary{{Main: "./cmd/new", Path: "/usr/local/bin/new"}},
		Platforms: []vocab.Platform{{OS: "linux", Architecture: "amd64"}}, Tags: []string{"latest"},
		User: "65532:65532", Entrypoint: []string{"/usr/local/bin/new"}, Env: []string{"A=1"},
		At: map[string]string{"env.A": "packager.yaml:2:18"}, // inherited from defaults:
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Targets:\n got %+v\nwant %+v", got, want)
	}
}

func TestOverridesWithoutFile(t *testing.T) {
	tests := []struct {
		name     string
		packages []string
		wants    []want
	}{
		{"nothing to build", nil, []want{{"no images: ", "name a package, e.g. packager build ./cmd/app"}}},
		{"pattern", []string{"./..."}, []want{{"./...: ", `main "./..." is a pattern`}}},
		{"same derived name", []string{"./cmd/app", "./other/app"},
			[]want{{"./other/app: ", `image name "app" (from the package's last path element) is already used by package ./cmd/app`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Empty("/src").Targets(Overrides{Packages: tt.packages})
			checkProblems(t, err, tt.wants)
		})
	}

	got, err := Empty("/src/tool").Targets(Overrides{Packages: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "tool" || got[0].Dir != "/src/tool" || got[0].Main != "." {
		t.Errorf("Targets = %+v, want one image named tool in /src/tool", got)
	}
}

func TestKoImageFlags(t *testing.T) {
	f, err := Parse("packager.yaml", t.TempDir(), []byte(`defaults:
  ldflags: ["-X main.a=1"]
  labels: {team: payments, tier: web}
images:
  - {name: app, main: ., user: "1000:1000"}
`))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := f.Targets(Overrides{User: "2000:2000", Ldflags: []string{"-X main.b=2"},
		Labels: map[string]string{"tier": "api", "owner": "me"}, Annotations: map[string]string{"a": "b"}})
	if err != nil {
		t.Fatal(err)
	}
	got := ts[0]
	if got.User != "2000:2000" || strings.Join(got.Ldflags, " ") != "-X main.a=1 -X main.b=2" ||
		got.Labels["tier"] != "api" || got.Labels["team"] != "payments" || got.Labels["owner"] != "me" || got.Annotations["a"] != "b" {
		t.Errorf("target %+v", got)
	}
	if f.Defaults.Labels["tier"] != "web" {
		t.Error("the overrides changed the file's defaults")
	}
	_, err = f.Targets(Overrides{User: "a:b:c", Labels: map[string]string{"": "x"}})
	for _, want := range []string{"--image-user", "--image-label: a key is empty"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to mention %q", err, want)
		}
	}
}
