// Package oci turns built Go binaries into OCI images and publishes them.
//
// It is a thin, deterministic layer over go-containerregistry (ggcr):
//
//   - [Base], [StaticBase] and [ScratchBase] give the image to build on, for
//     one platform: a built-in minimal root filesystem, an empty image, an OCI
//     image layout on disk or an image in a registry.
//   - [NewLayer] writes a reproducible tar layer from a list of [Entry] values.
//   - [Build] appends the binary layer to a base and sets the image config.
//   - [ParseOutput] picks where images go (a registry, an OCI image layout or
//     a `docker load` tarball) behind one small [Output] interface.
//
// Everything is a pure function from inputs to a v1.Image: the same inputs
// give the same digest on every host. The package never prints, logs or reads
// environment variables; registry credentials come from the keychain given
// with [WithKeychain] (ggcr's default keychain otherwise).
//
// Outputs never leave half-written artifacts behind: files and layouts are
// staged next to their destination and renamed into place on success.
package oci
