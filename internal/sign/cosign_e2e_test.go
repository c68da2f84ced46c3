package sign_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/packager-dev/packager/internal/sign"
	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

// cosignFlags let cosign verify offline against the loopback registry:
// there is no Rekor transparency log here, and the registry speaks HTTP.
var cosignFlags = []string{"--insecure-ignore-tlog=true", "--allow-http-registry=true"}

// cosign runs the real cosign CLI with a private HOME, so it neither reads
// nor writes the user's configuration.
func cosign(t *testing.T, dir string, args ...string) (string, string, error) {
	t.Helper()
	bin := testenv.RequireTool(t, "cosign")
	t.Setenv("HOME", dir)
	t.Setenv("TUF_ROOT", filepath.Join(dir, "tuf"))
	return testenv.RunErr(dir, bin, args...)
}

// cosignKey makes a key pair with `cosign generate-key-pair`, in cosign's
// encrypted format, and loads the private key with sign.LoadKeyFile.
func cosignKey(t *testing.T) (sign.Signer, string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("COSIGN_PASSWORD", "correct horse")
	if out, stderr, err := cosign(t, dir, "generate-key-pair"); err != nil {
		t.Fatalf("cosign generate-key-pair: %v\n%s%s", err, out, stderr)
	}
	if _, err := sign.LoadKeyFile(filepath.Join(dir, "cosign.key"), []byte("wrong")); err == nil {
		t.Error("a cosign key loads with the wrong password")
	}
	s, err := sign.LoadKeyFile(filepath.Join(dir, "cosign.key"), []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	return s, filepath.Join(dir, "cosign.pub")
}

// pkcs8Key makes key with crypto/x509 as a PEM PKCS#8 file and loads it.
func pkcs8Key(t *testing.T, key any) (sign.Signer, string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(file, pkcs8(t, key), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := sign.LoadKeyFile(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, writePub(t, s)
}

func writePub(t *testing.T, s sign.Signer) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "key.pub")
	if err := os.WriteFile(file, must(sign.PublicKeyPEM(s)), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestCosignVerifies signs with each key type cosign supports and checks
// that the real cosign CLI accepts the signature and the attestations, and
// rejects them with another key and on a tampered image.
func TestCosignVerifies(t *testing.T) {
	reg := testenv.StartRegistry(t)
	b := buildImage(t, reg.Host+"/signed/syncdemo")
	keys := []struct {
		name string
		make func(t *testing.T) (sign.Signer, string)
	}{
		{"cosign generate-key-pair", cosignKey},
		{"pkcs8 P-256", func(t *testing.T) (sign.Signer, string) {
			return pkcs8Key(t, must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)))
		}},
		{"pkcs8 Ed25519", func(t *testing.T) (sign.Signer, string) {
			_, k, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			return pkcs8Key(t, k)
		}},
		{"pkcs8 RSA 2048", func(t *testing.T) (sign.Signer, string) {
			return pkcs8Key(t, must(rsa.GenerateKey(rand.Reader, 2048)))
		}},
	}
	_, otherPub := pkcs8Key(t, must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)))
	for i, k := range keys {
		t.Run(k.name, func(t *testing.T) {
			s, pub := k.make(t)
			kb := *b
			kb.repo = reg.Host + "/signed/key" + string(rune('a'+i))
			kb.push(t, "v1", s)
			ref := kb.repo + "@" + kb.digest.String()
			dir := t.TempDir()

			verify := append([]string{"verify", "--key", pub}, cosignFlags...)
			mustCosign(t, dir, append(verify, ref)...)
			att := append([]string{"verify-attestation", "--key", pub}, cosignFlags...)
			mustCosign(t, dir, append(att, "--type", "slsaprovenance1", ref)...)
			mustCosign(t, dir, append(att, "--type", "spdxjson", ref)...)

			other := append([]string{"verify", "--key", otherPub}, cosignFlags...)
			failCosign(t, dir, append(other, ref)...)
			otherAtt := append([]string{"verify-attestation", "--key", otherPub, "--type", "slsaprovenance1"}, cosignFlags...)
			failCosign(t, dir, append(otherAtt, ref)...)

			tampered := tamper(t, &kb)
			failCosign(t, dir, append(verify, tampered)...)
			failCosign(t, dir, append(att, "--type", "slsaprovenance1", tampered)...)
		})
	}
}

// tamper pushes a changed copy of the image and gives it the original's
// signature and attestations, as an attacker replacing an image would.
func tamper(t *testing.T, b *built) string {
	t.Helper()
	ctx := context.Background()
	changed := mutate.Annotations(b.img, map[string]string{"evil": "yes"}).(v1.Image)
	out := must(oci.ParseOutput("registry"))
	if _, err := out.Write(ctx, []oci.Artifact{{Repository: b.repo, Tags: []string{"v1"}, Image: changed}}); err != nil {
		t.Fatal(err)
	}
	d := must(changed.Digest())
	repo := must(name.NewRepository(b.repo))
	for _, tags := range [][2]string{{sign.SignatureTag(b.digest), sign.SignatureTag(d)}, {sign.AttestationTag(b.digest), sign.AttestationTag(d)}} {
		img := must(remote.Image(repo.Tag(tags[0])))
		if err := remote.Write(repo.Tag(tags[1]), img); err != nil {
			t.Fatal(err)
		}
	}
	return b.repo + "@" + d.String()
}

func mustCosign(t *testing.T, dir string, args ...string) {
	t.Helper()
	if out, stderr, err := cosign(t, dir, args...); err != nil {
		t.Errorf("cosign %v: %v\n%s%s", args, err, out, stderr)
	}
}

func failCosign(t *testing.T, dir string, args ...string) {
	t.Helper()
	out, stderr, err := cosign(t, dir, args...)
	t.Logf("cosign %v failed as it should: %s", args[0], lastLine(stderr))
	if err == nil {
		t.Errorf("cosign %v passed, want a failure\n%s", args, out)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
