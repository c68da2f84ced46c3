package provenance_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/packager-dev/packager/internal/provenance"
)

var (
	imgDigest  = "sha256:" + strings.Repeat("ab", 32)
	baseDigest = "sha256:" + strings.Repeat("cd", 32)
)

func input() provenance.Input {
	return provenance.Input{
		Subjects:       []provenance.Subject{{Name: "127.0.0.1:5000/team/api", Digest: imgDigest}},
		BuilderVersion: "v1.2.3",
		Packages:       []string{"./cmd/migrate", "./cmd/api"},
		Platforms:      []string{"linux/arm64", "linux/amd64"},
		Config:         "packager.yaml",
		ConfigDigest:   "sha256:" + strings.Repeat("01", 32),
		Git:            &provenance.Git{Repository: "https://example.com/acme/api", Commit: strings.Repeat("0a", 20)},
		GoVersion:      "go1.26.8",
		Bases:          []provenance.Base{{Ref: "registry.example/base:1", Digest: baseDigest}},
		GoSum:          "sha256:" + strings.Repeat("02", 32),
		Modules: []provenance.Module{
			{Path: "golang.org/x/sync", Version: "v0.24.0", Sum: "h1:Khu2En+0gcYPZ2kuIihfswbzxv/mIHXgzPZ018Oty48="},
			{Path: "example.com/local", Sum: ""}, // replaced by a directory: nothing to pin
			{Path: "golang.org/x/sync", Version: "v0.24.0", Sum: "h1:Khu2En+0gcYPZ2kuIihfswbzxv/mIHXgzPZ018Oty48="}, // in two binaries
		},
		Started:  time.Unix(1700000000, 0),
		Finished: time.Unix(1700000042, 0),
	}
}

// TestStatementParses reads the statement back with in-toto's own types.
func TestStatementParses(t *testing.T) {
	raw, err := provenance.Statement(input())
	if err != nil {
		t.Fatal(err)
	}
	st, p, err := provenance.Parse(raw)
	if err != nil {
		t.Fatalf("in-toto types cannot read the statement: %v\n%s", err, raw)
	}
	if st.PredicateType != "https://slsa.dev/provenance/v1" || st.Subject[0].Digest["sha256"] != strings.Repeat("ab", 32) {
		t.Errorf("statement %v", &st)
	}
	if got := p.RunDetails.Builder.Version["packager"]; got != "v1.2.3" {
		t.Errorf("builder version %q", got)
	}
	if got := p.RunDetails.Metadata.FinishedOn.AsTime().Sub(p.RunDetails.Metadata.StartedOn.AsTime()); got != 42*time.Second {
		t.Errorf("finished-started = %v", got)
	}
	ext := p.BuildDefinition.ExternalParameters.AsMap()
	if pk := ext["packages"].([]any); pk[0] != "./cmd/api" || len(pk) != 2 {
		t.Errorf("packages %v, want sorted", pk)
	}
	want := map[string]bool{"gitCommit": false, "go": false, "go.sum": false, "module": false, "base": false}
	modules := 0
	for _, d := range p.BuildDefinition.ResolvedDependencies {
		switch {
		case d.Digest["gitCommit"] == strings.Repeat("0a", 20) && d.Uri == "git+https://example.com/acme/api":
			want["gitCommit"] = true
		case d.Name == "go" && d.Uri == "pkg:golang/stdlib@1.26.8":
			want["go"] = true
		case d.Name == "go.sum" && d.Digest["sha256"] == strings.Repeat("02", 32):
			want["go.sum"] = true
		case strings.HasPrefix(d.Uri, "pkg:golang/golang.org/"):
			modules++
			want["module"] = d.Name == "golang.org/x/sync" && d.Uri == "pkg:golang/golang.org/x/sync@v0.24.0" &&
				d.Digest["dirHash"] == "2a1bb6127fb481c60f67692e22285fb306f3c6ffe62075e0ccf674d7c3adcb8f" && len(d.Digest) == 1
		case d.Name == "registry.example/base:1" && d.Digest["sha256"] == strings.Repeat("cd", 32):
			want["base"] = true
		}
	}
	if modules != 1 || len(p.BuildDefinition.ResolvedDependencies) != 5 {
		t.Errorf("%d module entries, %d in all; want x/sync once and nothing for the local module:\n%s", modules, len(p.BuildDefinition.ResolvedDependencies), raw)
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("resolved dependencies lack %s:\n%s", k, raw)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, err := provenance.Statement(input())
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, _ := provenance.Statement(input())
		if !bytes.Equal(a, b) {
			t.Fatalf("two runs differ:\n%s\n%s", a, b)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := map[string]func(*provenance.Input){
		"no subject": func(in *provenance.Input) { in.Subjects = nil },
		"bad digest": func(in *provenance.Input) { in.Subjects[0].Digest = "abc" },
		"bad base":   func(in *provenance.Input) { in.Bases[0].Digest = "" },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			in := input()
			change(&in)
			if _, err := provenance.Statement(in); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestWrap(t *testing.T) {
	raw, err := provenance.Wrap([]provenance.Subject{{Name: "x", Digest: imgDigest}}, "https://spdx.dev/Document", []byte(`{"spdxVersion":"SPDX-2.3","packages":[{"name":"a"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var st intoto.Statement
	if err := protojson.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	if st.Predicate.AsMap()["spdxVersion"] != "SPDX-2.3" {
		t.Errorf("predicate lost: %s", raw)
	}
	if _, err := provenance.Wrap(nil, "t", []byte(`{}`)); err == nil {
		t.Error("no subjects: no error")
	}
	if _, err := provenance.Wrap([]provenance.Subject{{Name: "x", Digest: imgDigest}}, "t", []byte(`[1]`)); err == nil {
		t.Error("array predicate: no error")
	}
}

func TestCheck(t *testing.T) {
	raw, err := provenance.Statement(input())
	if err != nil {
		t.Fatal(err)
	}
	if finished, err := provenance.Check(raw, imgDigest); err != nil || !finished.Equal(input().Finished) {
		t.Errorf("our own statement: finished %v, %v; want %v", finished, err, input().Finished)
	}
	sbomStmt, err := provenance.Wrap([]provenance.Subject{{Name: "x", Digest: imgDigest}}, "https://spdx.dev/Document", []byte(`{"spdxVersion":"SPDX-2.3"}`))
	if err != nil {
		t.Fatal(err)
	}
	otherBuild := bytes.Replace(raw, []byte(provenance.BuildType), []byte("https://example.com/other-build"), 1)
	for name, tc := range map[string]struct {
		stmt   []byte
		digest string
	}{
		"other subject":   {raw, baseDigest},
		"other predicate": {sbomStmt, imgDigest},
		"other builder":   {otherBuild, imgDigest},
		"not a statement": {[]byte(`{"x":1}`), imgDigest},
		"not JSON":        {[]byte(`{`), imgDigest},
	} {
		if _, err := provenance.Check(tc.stmt, tc.digest); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestFlagsRecorded checks externalParameters.flags: what was given, and no
// key at all for a build without such flags.
func TestFlagsRecorded(t *testing.T) {
	in := input()
	raw, err := provenance.Statement(in)
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := provenance.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.BuildDefinition.ExternalParameters.AsMap()["flags"]; ok {
		t.Errorf("a build without flags records flags:\n%s", raw)
	}
	in.Flags = provenance.Flags{Base: "scratch", User: "1000", Ldflags: []string{"-X main.v=1"},
		Labels: map[string]string{"team": "a"}, Annotations: map[string]string{"note": "b"}}
	if raw, err = provenance.Statement(in); err != nil {
		t.Fatal(err)
	}
	if _, p, err = provenance.Parse(raw); err != nil {
		t.Fatal(err)
	}
	got, _ := p.BuildDefinition.ExternalParameters.AsMap()["flags"].(map[string]any)
	if got["base"] != "scratch" || got["user"] != "1000" || got["ldflags"].([]any)[0] != "-X main.v=1" ||
		got["labels"].(map[string]any)["team"] != "a" || got["annotations"].(map[string]any)["note"] != "b" {
		t.Errorf("flags recorded as %v\n%s", got, raw)
	}
}
