package oci

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
)

const caBundlePath = "/etc/ssl/certs/ca-certificates.crt"

// checkCACert checks that the i-th extra CA holds PEM certificates and
// nothing else: a private key or a typo in a trust bundle is a mistake
// better caught at build time than as a TLS failure in production.
func checkCACert(i int, data []byte) error {
	n := 0
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		n++
		if block.Type != "CERTIFICATE" {
			return fmt.Errorf("cacerts[%d]: PEM block %d is a %q, not a CERTIFICATE; give only certificates", i, n, block.Type)
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return fmt.Errorf("cacerts[%d]: certificate %d does not parse: %w", i, n, err)
		}
	}
	if n == 0 {
		return fmt.Errorf("cacerts[%d]: no PEM certificate found; give the certificate in PEM form (-----BEGIN CERTIFICATE-----)", i)
	}
	return nil
}

// caBundle appends the extra certificates to bundle (the base's, or the
// built-in one when the base has none), each starting on a new line.
func caBundle(bundle []byte, extra [][]byte) []byte {
	if bundle == nil {
		bundle = caBundlePEM()
	}
	out := bytes.Clone(bundle)
	for _, pem := range extra {
		out = append(endLine(out), pem...)
	}
	return endLine(out)
}

func endLine(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	return b
}

// extras returns the entries of the extras layer (CA bundle, the unpacked
// time zone database) and the env entries they need, given the base's CA
// bundle (nil if none) and its env.
func extras(s Spec, baseBundle []byte, baseEnv []string) ([]Entry, []string, error) {
	var entries []Entry
	var env []string
	if len(s.CACerts) > 0 {
		entries = append(entries, Entry{Path: caBundlePath, Mode: 0o644, Data: caBundle(baseBundle, s.CACerts)})
		if !hasEnv(baseEnv, "SSL_CERT_FILE") {
			env = append(env, "SSL_CERT_FILE="+caBundlePath)
		}
	}
	if s.TZData != "" {
		st, err := os.Stat(s.TZData)
		if err != nil {
			return nil, nil, fmt.Errorf("tzdata: %w; point it at $(go env GOROOT)/lib/time/zoneinfo.zip", err)
		}
		if !st.Mode().IsRegular() {
			return nil, nil, fmt.Errorf("tzdata: %s is not a regular file; point it at $(go env GOROOT)/lib/time/zoneinfo.zip", s.TZData)
		}
		// No ZONEINFO: /usr/share/zoneinfo is the first place Go's time
		// package (and glibc, musl, Python, Java...) looks, so setting it
		// would only override a ZONEINFO the base or the user chose.
		tz, err := tzdataEntries(s.TZData)
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, tz...)
	}
	return entries, env, nil
}

func hasEnv(env []string, key string) bool {
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			return true
		}
	}
	return false
}
