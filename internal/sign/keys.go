package sign

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
	"fmt"
	"os"

	"github.com/secure-systems-lab/go-securesystemslib/encrypted"
)

// Signer signs payloads the way cosign verifies them with a public key:
// ECDSA and RSA (PKCS #1 v1.5) over the SHA-256 of the payload, Ed25519
// over the payload itself.
type Signer interface {
	Sign(ctx context.Context, payload []byte) ([]byte, error)
	Public() crypto.PublicKey
	KeyID() (string, error) // for DSSE envelopes; may be empty
}

// PEM block types cosign writes for password-encrypted keys (the second is
// what cosign 1.x wrote).
const (
	encryptedSigstoreKey = "ENCRYPTED SIGSTORE PRIVATE KEY"
	encryptedCosignKey   = "ENCRYPTED COSIGN PRIVATE KEY"
)

// ErrWrongPassword is returned when an encrypted key does not decrypt.
var ErrWrongPassword = errors.New("wrong password for the encrypted key (set COSIGN_PASSWORD to the password given to `cosign generate-key-pair`)")

// LoadKeyFile reads the private key in file; see [LoadKey].
func LoadKeyFile(file string, password []byte) (Signer, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	s, err := LoadKey(raw, password)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", file, err)
	}
	return s, nil
}

// LoadKey parses a PEM private key: PKCS#8 ("PRIVATE KEY") or cosign's
// encrypted format, decrypted with password. Only keys cosign can verify
// are accepted: ECDSA P-256, Ed25519 and RSA of at least 2048 bits.
func LoadKey(pemBytes, password []byte) (Signer, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("no PEM block found: give a PEM file (PKCS#8 \"PRIVATE KEY\" or cosign's \"ENCRYPTED SIGSTORE PRIVATE KEY\")")
	}
	der := block.Bytes
	switch block.Type {
	case "PRIVATE KEY":
	case encryptedSigstoreKey, encryptedCosignKey:
		plain, err := encrypted.Decrypt(block.Bytes, password)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrWrongPassword, err)
		}
		der = plain
	case "EC PRIVATE KEY", "RSA PRIVATE KEY":
		return nil, fmt.Errorf("PEM type %q is not PKCS#8: convert it with `openssl pkcs8 -topk8 -nocrypt`", block.Type)
	default:
		return nil, fmt.Errorf("PEM type %q is not a private key packager can use: give a PKCS#8 \"PRIVATE KEY\" or a cosign key", block.Type)
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("parse PKCS#8 private key: %w", err)
	}
	return newSigner(key)
}

func newSigner(key any) (Signer, error) {
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("ECDSA curve %s is not supported: use P-256 (what `cosign generate-key-pair` makes)", k.Curve.Params().Name)
		}
		return keySigner{key: k}, nil
	case ed25519.PrivateKey:
		return keySigner{key: k}, nil
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("RSA key of %d bits is too small: use at least 2048", k.N.BitLen())
		}
		return keySigner{key: k}, nil
	}
	return nil, fmt.Errorf("key type %T cannot be verified by cosign: use ECDSA P-256, Ed25519 or RSA", key)
}

// keySigner signs with a private key held in memory.
type keySigner struct {
	key crypto.Signer
}

func (s keySigner) Public() crypto.PublicKey { return s.key.Public() }

// KeyID is empty, as in the envelopes cosign writes for key-based signing.
func (s keySigner) KeyID() (string, error) { return "", nil }

func (s keySigner) Sign(ctx context.Context, payload []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch k := s.key.(type) {
	case ed25519.PrivateKey:
		return ed25519.Sign(k, payload), nil
	case *ecdsa.PrivateKey:
		h := sha256.Sum256(payload)
		return ecdsa.SignASN1(rand.Reader, k, h[:])
	case *rsa.PrivateKey:
		h := sha256.Sum256(payload)
		return rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, h[:])
	}
	return nil, fmt.Errorf("unsupported key type %T", s.key)
}

// PublicKeyPEM returns s's public key as PEM ("PUBLIC KEY"), the form
// `cosign verify --key` reads.
func PublicKeyPEM(s Signer) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(s.Public())
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
