package oci

import (
	"bytes"
	"encoding/pem"

	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// caBundlePEM returns the Mozilla/NSS roots pinned by x/crypto, as PEM, in
// bundle order. Pinning them in go.mod (not reading the host's store) is what
// makes the static base identical on every machine.
//
// Roots with a Constraint are left out: NSS distrusts certificates they issue
// after a given date, and a PEM file has no way to say so, so including them
// would trust more than NSS does.
func caBundlePEM() []byte {
	var buf bytes.Buffer
	for r := range bundle.Roots() {
		if r.Constraint != nil {
			continue
		}
		// Encoding to a bytes.Buffer cannot fail.
		_ = pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: r.Certificate})
	}
	return buf.Bytes()
}
