package main

import (
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/verify"
	"github.com/packager-dev/packager/oci"
)

// TestPrintProvenanceQuotesControlCharacters: a provenance is whatever the
// image's publisher wrote; an escape sequence or a newline in it must not
// reach the terminal as such, nor forge a line of the report.
func TestPrintProvenanceQuotesControlCharacters(t *testing.T) {
	evil := "x\x1b[2J\ngit:\tforged"
	p := verify.Provenance{
		Subject: "sha256:aa", Packages: []string{"./cmd/a"}, Platforms: []string{"linux/amd64"},
		Environment: map[string]*string{"V": &evil},
		Flags:       provenance.Flags{Labels: map[string]string{"k": evil}},
		Bases:       []verify.Base{{Ref: evil, Digest: "sha256:bb"}},
		Commit:      "abc",
	}
	var b strings.Builder
	if err := printProvenance(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "\x1b") {
		t.Errorf("an escape sequence reached the output:\n%q", out)
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if strings.HasPrefix(l, "git:") && !strings.HasSuffix(l, "abc") {
			t.Errorf("a value forged the line %q:\n%s", l, out)
		}
	}
	for _, want := range []string{`"V=x\x1b[2J\ngit:\tforged"`, `"--image-label=k=x\x1b[2J\ngit:\tforged"`, "packages:", "./cmd/a"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

// TestPrintDescriptionQuotesControlCharacters: the same for inspect, whose
// config, media types and artifact types come from the registry.
func TestPrintDescriptionQuotesControlCharacters(t *testing.T) {
	evil := "x\x1b]0;title\x07\n  digest:\tsha256:forged"
	d := &oci.Description{Reference: "r/app:v1", Digest: "sha256:aa", MediaType: evil, Images: []oci.ImageDoc{{
		Digest: "sha256:bb", Layers: []oci.LayerDoc{{Digest: "sha256:cc", MediaType: evil}},
		Config:   oci.ConfigSummary{Env: []string{"A=" + evil}, User: evil, Entrypoint: []string{evil}},
		Attached: oci.Attached{Referrers: []oci.ReferrerDoc{{Digest: "sha256:dd", ArtifactType: evil}}},
	}}}
	var b strings.Builder
	if err := printDescription(&b, d); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, "sha256:forged\n") {
		t.Errorf("control characters reached the output:\n%q", out)
	}
	if n := strings.Count(out, `\x1b]0;title\a\n  digest:\tsha256:forged`); n != 6 {
		t.Errorf("%d quoted values, want 6 (media types, env, user, entrypoint, artifact type):\n%s", n, out)
	}
}
