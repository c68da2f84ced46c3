package gomod

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
)

// H1Hex decodes a go.sum "h1:" hash (base64 of a SHA-256, the module's
// dirhash) to lowercase hex, the form SBOM checksums and in-toto's
// "dirHash" digest take. ok is false for anything else.
func H1Hex(sum string) (hexSum string, ok bool) {
	b64, ok := strings.CutPrefix(sum, "h1:")
	if !ok {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != sha256.Size {
		return "", false
	}
	return hex.EncodeToString(raw), true
}

// PackageURL is the package URL of a Go module or package,
// "pkg:golang/NAMESPACE/NAME@VERSION": each path segment and the version
// are percent-encoded ("+incompatible" becomes "%2Bincompatible"). An
// empty or "(devel)" version is left out: it names no release.
func PackageURL(modPath, version string) string {
	segs := strings.Split(modPath, "/")
	for i, s := range segs {
		segs[i] = EscapePURL(s)
	}
	p := "pkg:golang/" + strings.Join(segs, "/")
	if version != "" && version != "(devel)" {
		p += "@" + EscapePURL(version)
	}
	return p
}

// EscapePURL percent-encodes s for a package URL; ":" and "+" too, as
// the spec's examples do ("sha256%3A...").
func EscapePURL(s string) string {
	return strings.NewReplacer("+", "%2B", ":", "%3A").Replace(url.PathEscape(s))
}
