package oci

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// testCA returns a self-signed CA certificate as PEM.
func testCA(t *testing.T, cn string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(0, 0).AddDate(100, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestCheckCACert(t *testing.T) {
	ca := testCA(t, "corp root")
	if err := checkCACert(0, append(append([]byte("# corp root\n"), ca...), testCA(t, "second")...)); err != nil {
		t.Errorf("two certificates with a comment: %v", err)
	}
	tests := []struct {
		name string
		pem  []byte
		want string
	}{
		{"not pem", []byte("hello"), "cacerts[2]: no PEM certificate found"},
		{"empty", nil, "cacerts[2]: no PEM certificate found"},
		{"key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}), `"PRIVATE KEY", not a CERTIFICATE`},
		{"garbage der", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}}), "cacerts[2]: certificate 1 does not parse"},
	}
	for _, tt := range tests {
		wantErrContains(t, checkCACert(2, tt.pem), tt.want)
	}
}

func TestBuildCACertsAndTZData(t *testing.T) {
	ca := testCA(t, "corp root")
	static, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	scratch, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	own := layeredBase(t, []Entry{file(caBundlePath, "BASE BUNDLE")}) // no newline at the end
	withEnv, err := mutate.Config(own, v1.Config{Env: []string{"SSL_CERT_FILE=/somewhere/else.pem"}})
	if err != nil {
		t.Fatal(err)
	}
	builtin := caBundlePEM()
	tests := []struct {
		name       string
		base       v1.Image
		wantBundle []byte
		wantSSLEnv string
	}{
		{"static", static, append(slices.Clone(builtin), ca...), "SSL_CERT_FILE=" + caBundlePath},
		{"scratch gets the built-in bundle", scratch, append(slices.Clone(builtin), ca...), "SSL_CERT_FILE=" + caBundlePath},
		{"base bundle", own, append([]byte("BASE BUNDLE\n"), ca...), "SSL_CERT_FILE=" + caBundlePath},
		{"base SSL_CERT_FILE kept", withEnv, append([]byte("BASE BUNDLE\n"), ca...), "SSL_CERT_FILE=/somewhere/else.pem"},
	}
	tz := writeZip(t, map[string]string{"UTC": "TZif utc", "Europe/Paris": "TZif paris"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSpec(t, tt.base)
			s.Platform, s.Env = linuxAmd64, nil
			s.CACerts = [][]byte{ca}
			s.TZData = tz
			img, err := Build(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			mustValidate(t, img)
			ls, err := img.Layers()
			if err != nil {
				t.Fatal(err)
			}
			names, files := readLayer(t, ls[len(ls)-2]) // extras, then binaries
			if !slices.Contains(names, "etc/ssl/certs/ca-certificates.crt") {
				t.Fatalf("extras layer holds %q", names)
			}
			if got := files["etc/ssl/certs/ca-certificates.crt"]; !bytes.Equal(got.data, tt.wantBundle) || got.hdr.Mode != 0o644 {
				t.Errorf("bundle mode %o, %d bytes, want %d", got.hdr.Mode, len(got.data), len(tt.wantBundle))
			}
			if got := files["usr/share/zoneinfo/Europe/Paris"]; string(got.data) != "TZif paris" || got.hdr.Mode != 0o644 {
				t.Errorf("zoneinfo %+v", got.hdr)
			}
			env := mustConfig(t, img).Config.Env
			if !slices.Contains(env, tt.wantSSLEnv) || slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "ZONEINFO=") }) {
				t.Errorf("env %q: want %s and no ZONEINFO", env, tt.wantSSLEnv)
			}
			if tt.name == "base SSL_CERT_FILE kept" && slices.Contains(env, "SSL_CERT_FILE="+caBundlePath) {
				t.Errorf("env %q sets SSL_CERT_FILE twice", env)
			}
		})
	}
}
