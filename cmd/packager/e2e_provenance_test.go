package main

import (
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/testenv"
)

// TestProvenanceRecordsInputs pushes a module with a dependency, from a
// git repository, with a packager.yaml, on a base pushed to the test
// registry, and reads its provenance back with in-toto's types: every
// recorded input is the real one (go.sum's and packager.yaml's digests, the
// commit, the Go toolchain, the base's digest, the dependency with its
// go.sum hash, packager's own version). packager verify reads it back and
// the rebuild matches.
func TestProvenanceRecordsInputs(t *testing.T) {
	reg := testenv.StartRegistry(t)
	base := reg.Host + "/base/app:v1"
	_, baseDigest := mustPackager(t, copyExample(t, "hello"), nil, "build", "--repo", reg.Host+"/base", "--tag", "v1",
		"--platform", "linux/amd64", "--provenance=false", "--sbom", "none", ".").refs(t)

	dir, dep := testenv.WriteDepModule(t)
	yaml := "images:\n  - main: .\n    base: " + base + "\n"
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"GOPROXY=off", "GOFLAGS=-mod=mod", "SOURCE_DATE_EPOCH="}
	// go raises go.mod's go line to the dependency's; let it before the
	// commit, so the checkout stays clean for verify --rebuild.
	if out, err := testenvCommand(testenv.RequireTool(t, "go"), dir, env, "build", "-o", os.DevNull, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	commit := gitRepo(t, dir, "v0.1.0")
	_, digests := mustPackager(t, dir, env, "build", "--repo", reg.Host+"/prov", "--platform", "linux/amd64").refs(t)
	repo := reg.Host + "/prov/syncdemo"

	raw := referrerData(t, repo, mustHash(t, digests[0]), provenance.MediaType)
	_, p, err := provenance.Parse(raw)
	if err != nil {
		t.Fatalf("in-toto types cannot read the provenance: %v\n%s", err, raw)
	}

	goVersion := strings.TrimSpace(testenv.Run(t, dir, testenv.RequireTool(t, "go"), "env", "GOVERSION"))
	sum, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(dep.Sum, "h1:"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // what -> the resolved dependency that must be there, as "name uri digest"
		"commit": fmt.Sprintf(" git+https://github.com/acme/app map[gitCommit:%s]", commit),
		"go":     fmt.Sprintf("go pkg:golang/stdlib@%s map[]", strings.TrimPrefix(goVersion, "go")),
		"go.sum": fmt.Sprintf("go.sum  map[sha256:%s]", fileSHA256(t, filepath.Join(dir, "go.sum"))),
		"module": fmt.Sprintf("%s pkg:golang/%s@%s map[dirHash:%s]", dep.Path, dep.Path, dep.Version, hex.EncodeToString(sum)),
		"base":   fmt.Sprintf("%s oci://%s map[sha256:%s]", base, base, strings.TrimPrefix(baseDigest[0], "sha256:")),
	}
	got := map[string]bool{}
	for _, d := range p.BuildDefinition.ResolvedDependencies {
		got[fmt.Sprintf("%s %s %v", d.Name, d.Uri, d.Digest)] = true
	}
	for what, w := range want {
		if !got[w] {
			t.Errorf("resolved dependencies lack the %s, %q:\n%s", what, w, raw)
		}
	}
	if n := len(p.BuildDefinition.ResolvedDependencies); n != len(want) {
		t.Errorf("%d resolved dependencies, want %d (the module has one dependency):\n%s", n, len(want), raw)
	}
	cfg, _ := p.BuildDefinition.ExternalParameters.AsMap()["config"].(map[string]any)
	if cfg["path"] != "packager.yaml" || cfg["digest"] != "sha256:"+fileSHA256(t, filepath.Join(dir, "packager.yaml")) {
		t.Errorf("externalParameters.config = %v, want packager.yaml by the digest of its bytes", cfg)
	}
	self, err := buildinfo.ReadFile(packagerBin)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.RunDetails.Builder.Version["packager"], builderVersion(self); got != want {
		t.Errorf("builder version %q, want %q (from the packager binary's build information)", got, want)
	}

	ref := repo + ":latest"
	r := mustPackager(t, dir, env, "verify", ref)
	for _, want := range []string{commit, goVersion, "modules: 1 linked", baseDigest[0]} {
		if !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), want) {
			t.Errorf("packager verify does not print %q:\n%s", want, r.stdout)
		}
	}
	if r := packager(t, dir, env, "verify", "--rebuild", ref); r.code != 0 || !strings.HasPrefix(r.stdout, "match "+digests[0]) {
		t.Errorf("verify --rebuild: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// fileSHA256 is the hex SHA-256 of a file's bytes.
func fileSHA256(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}
