package verify

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/oci"
)

func TestParseReadsWhatProvenanceWrites(t *testing.T) {
	in := provenance.Input{
		Subjects:  []provenance.Subject{{Name: "r.example/app", Digest: "sha256:" + strings.Repeat("a", 64)}},
		Packages:  []string{"./cmd/app"},
		Platforms: []string{"linux/arm64", "linux/amd64"},
		Config:    "deploy/packager.yaml", ConfigDigest: "sha256:" + strings.Repeat("c", 64),
		Git:       &provenance.Git{Repository: "https://github.com/acme/app", Commit: strings.Repeat("1", 40)},
		GoVersion: "go1.26.8", GoSum: "sha256:" + strings.Repeat("5", 64),
		Modules:        []provenance.Module{{Path: "golang.org/x/sync", Version: "v0.24.0", Sum: "h1:Khu2En+0gcYPZ2kuIihfswbzxv/mIHXgzPZ018Oty48="}},
		Bases:          []provenance.Base{{Ref: "cgr.dev/chainguard/static:latest", Digest: "sha256:" + strings.Repeat("b", 64)}},
		BuilderVersion: "v1.2.3",
		Started:        time.Unix(100, 0), Finished: time.Unix(200, 0),
		Flags: provenance.Flags{Base: "scratch", User: "1000:1000", Ldflags: []string{"-X main.v=1"},
			Labels: map[string]string{"team": "a"}, Annotations: map[string]string{"note": "b"}},
	}
	data, err := provenance.Statement(in)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"subject":    {p.Subject, in.Subjects[0].Digest},
		"platforms":  {strings.Join(p.Platforms, ","), "linux/amd64,linux/arm64"},
		"packages":   {strings.Join(p.Packages, ","), "./cmd/app"},
		"config":     {p.Config + " " + p.ConfigDigest, in.Config + " " + in.ConfigDigest},
		"git":        {p.Repository + " " + p.Commit, in.Git.Repository + " " + in.Git.Commit},
		"go":         {p.GoVersion, in.GoVersion},
		"go.sum":     {p.GoSum, in.GoSum},
		"builder":    {p.BuilderVersion, "v1.2.3"},
		"finished":   {p.Finished.UTC().String(), in.Finished.UTC().String()},
		"base count": {strings.Repeat("x", len(p.Bases)), "x"},
		"modules":    {fmt.Sprint(p.Modules), "[{pkg:golang/golang.org/x/sync@v0.24.0 dirHash:2a1bb6127fb481c60f67692e22285fb306f3c6ffe62075e0ccf674d7c3adcb8f}]"},
		"flags":      {fmt.Sprintf("%+v", p.Flags), fmt.Sprintf("%+v", in.Flags)},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if len(p.Bases) == 1 && (p.Bases[0].Ref != in.Bases[0].Ref || p.Bases[0].Digest != in.Bases[0].Digest) {
		t.Errorf("base = %+v, want %+v", p.Bases[0], in.Bases[0])
	}
}

func TestParseRejectsOtherBuildTypes(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":        "{",
		"other predicate": `{"predicateType":"https://spdx.dev/Document","subject":[{"digest":{"sha256":"aa"}}]}`,
		"other build":     `{"predicateType":"https://slsa.dev/provenance/v1","subject":[{"digest":{"sha256":"aa"}}],"predicate":{"buildDefinition":{"buildType":"https://example.com/docker"}}}`,
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: Parse accepted it", name)
		}
	}
}

func TestCheckSaysWhatToFix(t *testing.T) {
	p := Provenance{Commit: "abc", GoVersion: "go1.26.8", Config: "packager.yaml", ConfigDigest: "sha256:11"}
	ok := Local{Commit: "abc", GoVersion: "go1.26.8", ConfigDigest: "sha256:11"}
	tests := []struct {
		name  string
		local func(l *Local)
		want  []string // substrings of the error; none: no error
	}{
		{"match", func(*Local) {}, nil},
		{"other commit", func(l *Local) { l.Commit = "def" }, []string{"check out abc first"}},
		{"dirty", func(l *Local) { l.Dirty = true }, []string{"commit or stash"}},
		{"not git", func(l *Local) { l.Commit = "" }, []string{"not in a git checkout"}},
		{"go", func(l *Local) { l.GoVersion = "go1.25.0" }, []string{"install go1.26.8"}},
		{"config", func(l *Local) { l.ConfigDigest = "sha256:22" }, []string{"packager.yaml is sha256:22"}},
		{"all at once", func(l *Local) { l.Commit, l.GoVersion, l.ConfigDigest = "def", "go1.25.0", "" },
			[]string{"check out abc", "install go1.26.8", "packager.yaml is missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ok
			tt.local(&l)
			err := p.Check(l)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			var pe *PreconditionError
			if !errors.As(err, &pe) {
				t.Fatalf("Check = %v, want a *PreconditionError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestCompareNamesFieldsAndLayers(t *testing.T) {
	img := func(digest, created string, env []string, layers ...string) oci.ImageDoc {
		d := oci.ImageDoc{Platform: "linux/amd64", Digest: digest,
			Config: oci.ConfigSummary{Created: created, Env: env, Labels: map[string]string{"a": "1"}}}
		for _, l := range layers {
			d.Layers = append(d.Layers, oci.LayerDoc{Digest: l})
		}
		return d
	}
	pub := &oci.Description{Digest: "sha256:p", Images: []oci.ImageDoc{img("sha256:p", "2024-01-01T00:00:00Z", []string{"A=1"}, "l0", "l1")}}
	same := Compare(pub, pub)
	if !same.Match() || !strings.HasPrefix(same.String(), "match sha256:p") {
		t.Errorf("same image: %q", same)
	}
	reb := &oci.Description{Digest: "sha256:r", Images: []oci.ImageDoc{img("sha256:r", "2024-01-02T00:00:00Z", []string{"A=2"}, "l0", "l1x", "l2")}}
	r := Compare(pub, reb)
	if r.Match() {
		t.Fatal("different digests match")
	}
	out := r.String()
	for _, w := range []string{"mismatch", "config Created", "config Env", "layer 1: published l1, rebuilt l1x", "layer 2: published (none)", "SOURCE_DATE_EPOCH=1704067200"} {
		if !strings.Contains(out, w) {
			t.Errorf("report does not say %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "layer 0") || strings.Contains(out, "Labels") {
		t.Errorf("report names what is equal:\n%s", out)
	}
}

// TestCheckLdflags: a rebuild takes only -X, -s and -w from a provenance,
// whatever else its publisher wrote into it.
func TestCheckLdflags(t *testing.T) {
	ok := [][]string{nil, {"-X main.version=1.2.3"}, {"-s -w", "-X=main.a=b -X main.c="}}
	bad := [][]string{
		{"-extld=/bin/sh"}, {"-X main.a=b -linkmode=external"}, {"-X"}, {"-X -s"}, {"-X =v"},
		{`-X "main.a=b -extld=x"`}, {"-X main.a='b c'"}, {`-X main.a=b\ -extld=x`}, {"-X main.a=b", "-E main.main"},
	}
	for _, l := range ok {
		p := Provenance{Flags: provenance.Flags{Ldflags: l}}
		if err := checkLdflags(p.Flags.Ldflags); err != nil {
			t.Errorf("%q refused: %v", l, err)
		}
	}
	for _, l := range bad {
		err := Provenance{Commit: "c", Flags: provenance.Flags{Ldflags: l}}.Check(Local{Commit: "c"})
		var pe *PreconditionError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "takes only -X NAME=VALUE") {
			t.Errorf("%q: Check = %v, want the ldflags refused", l, err)
		}
	}
}
