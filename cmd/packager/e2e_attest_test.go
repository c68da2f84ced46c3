package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	intoto "github.com/in-toto/attestation/go/v1"
	spdxjson "github.com/spdx/tools-golang/json"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

// cosignFlags let cosign verify offline against the loopback registry:
// no transparency log here, and the registry speaks plain HTTP.
var cosignFlags = []string{"--insecure-ignore-tlog=true", "--allow-http-registry=true"}

// runCosign runs the cosign CLI in dir with a private HOME.
func runCosign(t *testing.T, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := testenvCommand(testenv.RequireTool(t, "cosign"), dir,
		append([]string{"HOME=" + dir, "TUF_ROOT=" + filepath.Join(dir, "tuf")}, env...), args...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// cosignKeyPair makes cosign.key (encrypted with password) and cosign.pub
// in a fresh directory.
func cosignKeyPair(t *testing.T, password string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := runCosign(t, dir, []string{"COSIGN_PASSWORD=" + password}, "generate-key-pair"); err != nil {
		t.Fatalf("cosign generate-key-pair: %v\n%s", err, out)
	}
	return dir
}

// TestAttestationsPushed builds a module with a real dependency for two
// platforms, signed with a cosign key, pushes it to docker-registry (no
// referrers API), finds the SBOMs and the provenance through the fallback
// tag, parses them back, and has cosign verify the signature and the
// attestations, and reject them with another key and on a tampered image.
// Pushed again unchanged with --sbom cyclonedx, the provenance cosign
// verifies is still the one attached as a referrer.
func TestAttestationsPushed(t *testing.T) {
	reg := testenv.StartRegistry(t)
	keys := cosignKeyPair(t, "correct horse")
	dir, dep := testenv.WriteDepModule(t)
	env := []string{"GOPROXY=off", "GOFLAGS=-mod=mod", "COSIGN_PASSWORD=correct horse"}
	refsFile := filepath.Join(t.TempDir(), "refs.json")
	_, digests := mustPackager(t, dir, env, "build", "--repo", reg.Host+"/e2e", "--platform", "linux/amd64,linux/arm64",
		"--sign-key", filepath.Join(keys, "cosign.key"), "--image-refs", refsFile, ".").refs(t)
	if len(digests) != 1 {
		t.Fatalf("%d references printed, want the index only", len(digests))
	}
	repo := reg.Host + "/e2e/syncdemo" // named by import path, not by the folder
	index := repo + "@" + digests[0]

	idx, err := remote.Index(mustRef(t, index))
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil || len(im.Manifests) != 2 {
		t.Fatalf("index %v: %v", im, err)
	}
	purl := "pkg:golang/" + dep.Path + "@" + dep.Version
	for _, m := range im.Manifests {
		data := referrerData(t, repo, m.Digest, sbom.SPDXMediaType)
		doc, err := spdxjson.Read(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("SBOM of %s: %v", m.Platform, err)
		}
		found := false
		for _, p := range doc.Packages {
			for _, r := range p.PackageExternalReferences {
				found = found || (r.Locator == purl && p.PackageVersion == dep.Version)
			}
		}
		if !found {
			t.Errorf("SBOM of %s does not list %s at %s (go.mod's version)", m.Platform, dep.Path, dep.Version)
		}
	}
	var st intoto.Statement
	if err := protojson.Unmarshal(referrerData(t, repo, mustHash(t, digests[0]), provenance.MediaType), &st); err != nil {
		t.Fatal(err)
	}
	if st.PredicateType != provenance.PredicateType || st.Subject[0].Digest["sha256"] != strings.TrimPrefix(digests[0], "sha256:") {
		t.Errorf("provenance: type %s, subject %v; want SLSA v1 about %s", st.PredicateType, st.Subject, digests[0])
	}
	checkImageRefs(t, refsFile, index)

	cdir := t.TempDir()
	pub := filepath.Join(keys, "cosign.pub")
	platform := repo + "@" + im.Manifests[0].Digest.String()
	for _, args := range [][]string{
		{"verify", "--key", pub, index},
		{"verify", "--key", pub, platform},
		{"verify-attestation", "--key", pub, "--type", "slsaprovenance1", index},
		{"verify-attestation", "--key", pub, "--type", "spdxjson", platform},
	} {
		if out, err := runCosign(t, cdir, nil, append(args, cosignFlags...)...); err != nil {
			t.Errorf("cosign %v: %v\n%s", args, err, out)
		}
	}
	other := filepath.Join(cosignKeyPair(t, "other"), "cosign.pub")
	for _, args := range [][]string{
		{"verify", "--key", other, index},
		{"verify-attestation", "--key", other, "--type", "slsaprovenance1", index},
	} {
		if out, err := runCosign(t, cdir, nil, append(args, cosignFlags...)...); err == nil {
			t.Errorf("cosign %v accepts another key's signature:\n%s", args, out)
		}
	}
	tampered := tamperSigned(t, repo, im.Manifests[0].Digest)
	for _, args := range [][]string{
		{"verify", "--key", pub, tampered},
		{"verify-attestation", "--key", pub, "--type", "spdxjson", tampered},
	} {
		if out, err := runCosign(t, cdir, nil, append(args, cosignFlags...)...); err == nil {
			t.Errorf("cosign %v accepts a changed image with the original's signature:\n%s", args, out)
		}
	}

	// The same image pushed again, with a CycloneDX SBOM this time: the
	// first build's provenance is kept, and the attestation cosign verifies
	// is that statement, not this build's.
	_, again := mustPackager(t, dir, env, "build", "--repo", reg.Host+"/e2e", "--platform", "linux/amd64,linux/arm64",
		"--sign-key", filepath.Join(keys, "cosign.key"), "--sbom", "cyclonedx", ".").refs(t)
	if again[0] != digests[0] {
		t.Fatalf("the unchanged rebuild is %s, the first %s", again[0], digests[0])
	}
	if n := referrerCount(t, repo, mustHash(t, digests[0]), provenance.MediaType); n != 1 {
		t.Errorf("%d provenance referrers after two pushes of one image, want the first kept alone", n)
	}
	out, err := runCosign(t, cdir, nil, append([]string{"verify-attestation", "--key", pub, "--type", "slsaprovenance1", index}, cosignFlags...)...)
	if err != nil {
		t.Fatalf("cosign verify-attestation after the second push: %v\n%s", err, out)
	}
	if got, want := cosignStatements(t, out), referrerData(t, repo, mustHash(t, digests[0]), provenance.MediaType); len(got) != 1 || !bytes.Equal(got[0], want) {
		t.Errorf("cosign verified %d statements; want exactly the provenance referrer's:\n%s\ncosign:\n%s", len(got), want, out)
	}
	if out, err := runCosign(t, cdir, nil, append([]string{"verify-attestation", "--key", pub, "--type", "cyclonedx", platform}, cosignFlags...)...); err != nil {
		t.Errorf("cosign verify-attestation --type cyclonedx: %v\n%s", err, out)
	}
}

// tamperSigned changes the signed image repo@d (a label, with crane) and
// gives the changed copy the original's signature and attestations, as
// an attacker replacing an image would; it returns the copy's reference.
func tamperSigned(t *testing.T, repo string, d v1.Hash) string {
	t.Helper()
	crane := testenv.RequireTool(t, "crane")
	changed := strings.TrimSpace(testenv.Run(t, "", crane, "mutate", "--insecure", "--label", "evil=yes", repo+"@"+d.String()))
	_, digest, ok := strings.Cut(changed, "@")
	if !ok || digest == d.String() {
		t.Fatalf("crane mutate printed %q", changed)
	}
	h := mustHash(t, digest)
	for _, suffix := range []string{".sig", ".att"} {
		testenv.Run(t, "", crane, "copy", "--insecure", repo+":"+oci.FallbackTag(d)+suffix, repo+":"+oci.FallbackTag(h)+suffix)
	}
	return repo + "@" + digest
}

// cosignStatements decodes the in-toto statements cosign verify-attestation
// printed: one JSON DSSE envelope per line on stdout, among its messages.
func cosignStatements(t *testing.T, out string) [][]byte {
	t.Helper()
	var stmts [][]byte
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var env struct{ Payload []byte }
		if err := json.Unmarshal([]byte(line), &env); err != nil {
			t.Fatalf("cosign printed %q: %v", line, err)
		}
		stmts = append(stmts, env.Payload)
	}
	return stmts
}

// fallbackIndex reads the index under subject's fallback tag sha256-<hex>.
func fallbackIndex(t *testing.T, repo string, subject v1.Hash) *v1.IndexManifest {
	t.Helper()
	idx, err := remote.Index(mustRef(t, repo+":"+oci.FallbackTag(subject)))
	if err != nil {
		t.Fatalf("fallback tag of %s: %v", subject, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// referrerCount is how many referrers of subject with artifactType the
// fallback tag sha256-<hex> lists.
func referrerCount(t *testing.T, repo string, subject v1.Hash, artifactType string) int {
	t.Helper()
	n := 0
	for _, d := range fallbackIndex(t, repo, subject).Manifests {
		if d.ArtifactType == artifactType {
			n++
		}
	}
	return n
}

// referrerData finds the referrer of subject with artifactType through the
// fallback tag sha256-<hex> and returns its one layer.
func referrerData(t *testing.T, repo string, subject v1.Hash, artifactType string) []byte {
	t.Helper()
	im := fallbackIndex(t, repo, subject)
	for _, d := range im.Manifests {
		if d.ArtifactType != artifactType {
			continue
		}
		img, err := remote.Image(mustRef(t, repo+"@"+d.Digest.String()))
		if err != nil {
			t.Fatal(err)
		}
		layers, err := img.Layers()
		if err != nil || len(layers) != 1 {
			t.Fatalf("referrer %s: %d layers, %v", d.Digest, len(layers), err)
		}
		rc, err := layers[0].Compressed()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	t.Fatalf("no %s referrer of %s in %+v", artifactType, subject, im.Manifests)
	return nil
}

// checkImageRefs reads --image-refs FILE.json: the index, with its
// provenance, signature and attestation, and each platform's SBOM,
// signature and attestation.
func checkImageRefs(t *testing.T, file, index string) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var refs []struct {
		Ref         string
		Attachments []pipeline.Attachment
	}
	if err := json.Unmarshal(raw, &refs); err != nil {
		t.Fatal(err)
	}
	if len(refs) != 1 || !strings.HasSuffix(refs[0].Ref, "@"+strings.Split(index, "@")[1]) || len(refs[0].Attachments) != 9 {
		t.Fatalf("--image-refs: %s\nwant the index with 9 attachments (provenance, 2 SBOMs, 3 signatures, 3 attestations)", raw)
	}
	for _, a := range refs[0].Attachments {
		if _, err := remote.Head(mustRef(t, a.Ref)); err != nil {
			t.Errorf("--image-refs names %s (%s), which the registry does not have: %v", a.Ref, a.Type, err)
		}
	}
}

// TestSignKeyErrorsBeforePushing: a key that cannot be read, a wrong
// password or a key type cosign cannot verify exits 2 before anything
// is built or pushed.
func TestSignKeyErrorsBeforePushing(t *testing.T) {
	reg := testenv.StartRegistry(t)
	keys := cosignKeyPair(t, "right")
	p384 := filepath.Join(t.TempDir(), "p384.pem")
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p384, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := copyExample(t, "hello")
	for _, tc := range []struct {
		name, key, password, want string
	}{
		{"missing", filepath.Join(dir, "nope.key"), "", "no such file"},
		{"wrong password", filepath.Join(keys, "cosign.key"), "wrong", "wrong password"},
		{"P-384", p384, "", "P-384"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := packager(t, dir, []string{"COSIGN_PASSWORD=" + tc.password},
				"build", "--repo", reg.Host+"/e2e", "--sign-key", tc.key, ".")
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit 2 naming %q", r.code, r.stderr, tc.want)
			}
		})
	}
	crane := testenv.RequireTool(t, "crane")
	if got := strings.TrimSpace(testenv.Run(t, "", crane, "catalog", reg.Host)); got != "" {
		t.Errorf("registry holds %q after builds that should have stopped first", got)
	}
}

func mustRef(t *testing.T, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustHash(t *testing.T, s string) v1.Hash {
	t.Helper()
	h, err := v1.NewHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestBaseSBOMPointer: an image built on a registry base that has an SBOM
// attached names the base by digest and points at the base's own SBOM with
// an SPDX external reference, read back with tools-golang.
func TestBaseSBOMPointer(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := copyExample(t, "hello")
	_, base := mustPackager(t, dir, nil, "build", "--repo", reg.Host+"/base", "--provenance=false", ".").refs(t)
	baseRepo := reg.Host + "/base/app"
	_, child := mustPackager(t, dir, nil, "build", "--repo", reg.Host+"/child", "--provenance=false",
		"--base", baseRepo+"@"+base[0], ".").refs(t)

	idx, err := remote.Index(mustRef(t, baseRepo+":"+oci.FallbackTag(mustHash(t, base[0]))))
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil || len(im.Manifests) != 1 {
		t.Fatalf("base's referrers %v, %v", im, err)
	}
	data := referrerData(t, reg.Host+"/child/app", mustHash(t, child[0]), sbom.SPDXMediaType)
	doc, err := spdxjson.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	locator := baseRepo + "@" + im.Manifests[0].Digest.String()
	found := false
	for _, p := range doc.Packages {
		for _, r := range p.PackageExternalReferences {
			if r.Category == "OTHER" && r.RefType == sbom.BaseSBOMRefType && r.Locator == locator {
				found = p.PackageVersion == base[0]
			}
		}
	}
	if !found {
		t.Errorf("the child's SBOM has no base package at %s with an external reference to the base's SBOM %s:\n%s", base[0], locator, data)
	}
}

// TestRefusedPushLeavesNoAttachments: the attachments' blobs go up while
// the image is pushed, but their manifests only after it. A registry that
// refuses the image's tag (403, as for an immutable tag) fails the build,
// and the registry then holds no SBOM, provenance or fallback tag that
// would point at an image that is not there.
func TestRefusedPushLeavesNoAttachments(t *testing.T) {
	crane := testenv.RequireTool(t, "crane")
	reg := testenv.StartRegistry(t)
	proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{testenv.FaultDenied},
		Match: func(r *http.Request) bool {
			return r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/manifests/latest")
		}})
	dir := copyExample(t, "hello")
	r := packager(t, dir, nil, "build", "--repo", proxy.Host+"/refused", "--provenance", ".")
	if r.code != 1 || !strings.Contains(r.stderr, "DENIED") || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 with the registry's DENIED", r.code, r.stdout, r.stderr)
	}
	if proxy.Injected(testenv.FaultDenied) == 0 {
		t.Fatal("the proxy refused nothing")
	}
	repos := strings.Fields(testenv.Run(t, "", crane, "catalog", reg.Host))
	for _, repo := range repos {
		tags, stderr, err := testenv.RunErr("", crane, "ls", reg.Host+"/"+repo)
		if err != nil && !strings.Contains(stderr, "NAME_UNKNOWN") {
			t.Errorf("crane ls %s: %v %s", repo, err, stderr)
		}
		if strings.TrimSpace(tags) != "" {
			t.Errorf("after the refused push %s has tags %q; want none (no image, no referrer, no fallback tag)", repo, tags)
		}
	}
	t.Logf("repositories after the refused push: %q", repos)
}
