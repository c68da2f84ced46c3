// Package oci turns built Go binaries into OCI images and publishes them.
//
// It is a thin, deterministic layer over go-containerregistry (ggcr):
//
//   - [Base], [StaticBase] and [ScratchBase] give the image to build on, for
//     one platform: a built-in minimal root filesystem, an empty image, an OCI
//     image layout on disk or an image in a registry.
//   - [NewLayer] and [NewLayerCompressed] write a reproducible tar layer
//     from a list of [Entry] values, gzip (default level 6) or zstd.
//   - [Build] adds what a Dockerfile's final stage would: an extras layer
//     (extra CA certificates, Go's tzdata), a layer of [File] copies and the
//     layer of [Binary] values, in that order (least to most often changed),
//     and the image config: entrypoint, cmd, env, user (names resolved
//     against the base's /etc/passwd), working directory, ports, volumes,
//     stop signal, healthcheck, labels, and manifest annotations.
//   - A [LayerCache] given in [Spec] keeps compressed layers by a key over
//     their inputs, so a rebuild with the same inputs does not recompress.
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
