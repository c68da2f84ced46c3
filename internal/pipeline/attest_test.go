package pipeline

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/sign"
	"github.com/packager-dev/packager/oci"
)

// testSigner is a fresh Ed25519 key, loaded the way --sign-key loads one.
func testSigner(t *testing.T) sign.Signer {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sign.LoadKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// selfInfo stands in for packager's own build information: a test binary
// records no dependencies.
var selfInfo = &debug.BuildInfo{Deps: []*debug.Module{{Path: "golang.org/x/crypto/x509roots/fallback", Version: "v0.0.0-test"}}}

// An index gets its provenance and each platform image its SBOM, in the
// layout as the referrers fallback; with a key, both digests are signed,
// and --image-refs FILE.json lists every attachment by subject.
func TestAttestationsInLayout(t *testing.T) {
	r, dir := testRequest(t, "platforms: [linux/amd64]\nimages:\n  - name: app\n    main: .\n")
	r.Index = true
	r.Attest = Attest{SBOM: sbom.FormatSPDX, Provenance: true, Signer: testSigner(t), Self: selfInfo, Version: "test"}
	r.ImageRefs = filepath.Join(t.TempDir(), "refs.json")
	rec := &recorder{}
	r.Events = rec
	runOK(t, r)

	raw, err := os.ReadFile(r.ImageRefs)
	if err != nil {
		t.Fatal(err)
	}
	var refs []imageRef
	if err := json.Unmarshal(raw, &refs); err != nil {
		t.Fatalf("%s: %v\n%s", r.ImageRefs, err, raw)
	}
	built := rec.kinds(ImageBuilt)
	if len(refs) != 1 || len(built) != 1 {
		t.Fatalf("image refs %s, built %+v", raw, built)
	}
	top, platform := digestAfter(refs[0].Ref), built[0].Digest
	var got []string
	for _, a := range refs[0].Attachments {
		got = append(got, a.Subject+" "+a.Type)
	}
	want := []string{
		platform + " " + sbom.SPDXMediaType, top + " " + provenance.MediaType,
		top + " " + sign.SimpleSigningMediaType, top + " " + sign.DSSEMediaType,
		platform + " " + sign.SimpleSigningMediaType, platform + " " + sign.DSSEMediaType,
	}
	if !slices.Equal(got, want) {
		t.Errorf("attachments\n%q\nwant\n%q", got, want)
	}
	if att := rec.kinds(Attached); len(att) != 1 || att[0].Digest != top || len(att[0].Attachments) != len(want) {
		t.Errorf("Attached events %+v", att)
	}

	a, err := oci.ListAttached(context.Background(), "oci:"+dir+"@"+top)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Referrers) != 1 || a.Referrers[0].ArtifactType != provenance.MediaType || a.Signature == "" || a.Attestation == "" {
		t.Errorf("attached to the index: %+v, want provenance, a signature and an attestation", a)
	}
	// The platform image is inside the index; its attachments are named
	// after it in the layout, and the image is still found by name.
	p, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := p.ImageIndex()
	im, _ := idx.IndexManifest()
	var names []string
	for _, d := range im.Manifests {
		names = append(names, d.Annotations["org.opencontainers.image.ref.name"])
	}
	slices.Sort(names)
	hex := platform[len("sha256:"):]
	for _, n := range []string{"app:latest", "app:sha256-" + hex, "app:sha256-" + hex + ".sig", "app:sha256-" + hex + ".att"} {
		if !slices.Contains(names, n) {
			t.Errorf("layout names %v lack %s", names, n)
		}
	}
	if len(names) != 7 {
		t.Errorf("layout names %v, want app:latest and 3 attachments of each digest", names)
	}
}

// Without attestations asked for, nothing but the image is written, and
// --image-refs holds one line per image, as ko's does.
func TestNoAttestationsPlainImageRefs(t *testing.T) {
	r, dir := testRequest(t, "platforms: [linux/amd64]\nbase: scratch\nimages:\n  - name: app\n    main: .\n")
	r.ImageRefs = filepath.Join(t.TempDir(), "refs")
	runOK(t, r)
	raw, err := os.ReadFile(r.ImageRefs)
	if err != nil {
		t.Fatal(err)
	}
	if !refLine(string(raw), "oci:"+dir+"@sha256:") {
		t.Errorf("image refs %q, want one oci:%s@sha256:... line", raw, dir)
	}
	a, err := oci.ListAttached(context.Background(), "oci:"+dir+":app:latest")
	if err != nil || len(a.Referrers) != 0 || a.Signature != "" {
		t.Errorf("attached %+v (%v), want nothing", a, err)
	}
}

func refLine(s, prefix string) bool {
	return len(s) == len(prefix)+64+1 && s[:len(prefix)] == prefix && s[len(s)-1] == '\n'
}

// The provenance records what the image read from the environment, so a
// rebuild can repeat it: template variables of ldflags, env and labels
// (the last value of one set twice, nil when unset), SOURCE_DATE_EPOCH,
// and nothing that only tags read.
func TestBuildEnvironment(t *testing.T) {
	r := &Request{Environ: []string{"VERSION=1", "OTHER=x", "VERSION=2", "TAGONLY=t"}, Epoch: true, Created: time.Unix(1000, 0)}
	tg := config.Target{
		Ldflags: []string{"-X main.v={{.Env.VERSION}}"},
		Env:     []string{"A={{.Env.UNSET | default \"d\"}}"},
		Labels:  map[string]string{"l": "{{.Env.OTHER}}"},
		Tags:    []string{"{{.Env.TAGONLY}}"},
	}
	str := func(s string) *string { return &s }
	want := map[string]*string{"SOURCE_DATE_EPOCH": str("1000"), "VERSION": str("2"), "UNSET": nil, "OTHER": str("x")}
	got := r.buildEnvironment(tg)
	if !maps.EqualFunc(got, want, func(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }) {
		t.Errorf("buildEnvironment = %v, want %v", show(got), show(want))
	}
	r.Epoch = false
	if got := r.buildEnvironment(tg); got["SOURCE_DATE_EPOCH"] != nil {
		t.Errorf("without SOURCE_DATE_EPOCH it is recorded as %q, want unset", *got["SOURCE_DATE_EPOCH"])
	}
}

func show(m map[string]*string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = "<unset>"
		if v != nil {
			out[k] = *v
		}
	}
	return out
}

// TemplateEnv (what verify --rebuild takes from a provenance) reaches the
// templates and never go's environment: a hostile provenance cannot set
// GOFLAGS or PATH for the build. FAKE_GO_LOG stands in for them here.
func TestTemplateEnvReachesTemplatesOnly(t *testing.T) {
	log := filepath.Join(t.TempDir(), "go.log")
	hostile := filepath.Join(t.TempDir(), "hostile.log")
	r, _ := testRequest(t, "base: scratch\nimages:\n  - {name: app, main: ., ldflags: ['-X main.v={{.Env.VERSION}}']}\n",
		"FAKE_GO_LOG="+log, "VERSION=local")
	nine := "9"
	r.TemplateEnv = map[string]*string{"VERSION": &nine, "FAKE_GO_LOG": &hostile}
	runOK(t, r)
	data, err := os.ReadFile(log)
	if err != nil || !strings.Contains(string(data), "-X main.v=9") {
		t.Errorf("go was run with %q (%v), want the template's VERSION from TemplateEnv, 9", data, err)
	}
	if _, err := os.Stat(hostile); err == nil {
		t.Error("go ran with a TemplateEnv variable in its environment")
	}
}
