package sign_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/secure-systems-lab/go-securesystemslib/encrypted"

	"github.com/packager-dev/packager/internal/sign"
)

// pkcs8 PEM-encodes key as PKCS#8, as `openssl genpkey` writes it.
func pkcs8(t testing.TB, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// cosignEncrypted wraps key the way `cosign generate-key-pair` stores it.
func cosignEncrypted(t testing.TB, key any, password string) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := encrypted.Encrypt(der, []byte(password))
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED SIGSTORE PRIVATE KEY", Bytes: enc})
}

// must keeps test set-up short; key generation does not fail in practice.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestLoadKey(t *testing.T) {
	p256 := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	p384 := must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader))
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsa2048 := must(rsa.GenerateKey(rand.Reader, 2048))
	rsa1024 := must(rsa.GenerateKey(rand.Reader, 1024))
	sec1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: must(x509.MarshalECPrivateKey(p256))})
	tests := []struct {
		name     string
		pem      []byte
		password string
		wantErr  bool
	}{
		{"pkcs8 P-256", pkcs8(t, p256), "", false},
		{"pkcs8 Ed25519", pkcs8(t, ed), "", false},
		{"pkcs8 RSA 2048", pkcs8(t, rsa2048), "", false},
		{"cosign encrypted", cosignEncrypted(t, p256, "s3cret"), "s3cret", false},
		{"cosign encrypted, wrong password", cosignEncrypted(t, p256, "s3cret"), "wrong", true},
		{"P-384: cosign verifies it with SHA-256 only", pkcs8(t, p384), "", true},
		{"RSA 1024: too small", pkcs8(t, rsa1024), "", true},
		{"SEC1, not PKCS#8", sec1, "", true},
		{"not PEM", []byte("hello"), "", true},
		{"a certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sign.LoadKey(tt.pem, []byte(tt.password))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			checkSigns(t, s)
		})
	}
}

// checkSigns verifies a signature the way cosign does for each key type.
func checkSigns(t *testing.T, s sign.Signer) {
	t.Helper()
	msg := []byte("payload")
	sig := must(s.Sign(context.Background(), msg))
	h := sha256.Sum256(msg)
	var ok bool
	switch pub := s.Public().(type) {
	case *ecdsa.PublicKey:
		ok = ecdsa.VerifyASN1(pub, h[:], sig)
	case ed25519.PublicKey:
		ok = ed25519.Verify(pub, msg, sig)
	case *rsa.PublicKey:
		ok = rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) == nil
	}
	if !ok {
		t.Errorf("signature by %T does not verify", s.Public())
	}
}

func TestWrongPasswordIsErrWrongPassword(t *testing.T) {
	key := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	_, err := sign.LoadKey(cosignEncrypted(t, key, "a"), []byte("b"))
	if !errors.Is(err, sign.ErrWrongPassword) {
		t.Errorf("err = %v, want ErrWrongPassword", err)
	}
}

// loadPKCS8 makes a fresh P-256 key and loads it as a PEM PKCS#8 file would be.
func loadPKCS8(t testing.TB) (sign.Signer, error) {
	key := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	return sign.LoadKey(pkcs8(t, key), nil)
}
