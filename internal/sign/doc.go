// Package sign signs images and attestations in cosign's formats, so that
// `cosign verify --key` and `cosign verify-attestation --key` accept what
// packager pushes, with no cosign code linked in.
//
//   - [LoadKey] reads a private key: PEM PKCS#8 (EC P-256, Ed25519, RSA) or
//     cosign's password-encrypted "ENCRYPTED SIGSTORE PRIVATE KEY" (scrypt +
//     NaCl secretbox, decrypted with go-securesystemslib, the library cosign
//     itself uses). A key that cannot be read, a wrong password or a key type
//     cosign cannot verify is an error here, before anything is pushed.
//   - [SignatureImage] makes the image cosign stores under the tag
//     "sha256-<hex>.sig": one layer holding a "simple signing" payload that
//     names the signed digest, its signature in a layer annotation.
//   - [AttestationImage] makes the image stored under "sha256-<hex>.att": one
//     layer per in-toto statement, each a DSSE envelope.
//
// The images are built with go-containerregistry (empty image, static
// layers, mutate) and pushed like any other image (see oci.PushAttachments).
//
// [Signer] is the seam for other ways of signing: keyless signing (a
// short-lived Fulcio certificate and a Rekor entry) needs the network and
// is not implemented, but would be one more Signer plus the certificate
// annotations it adds.
package sign
