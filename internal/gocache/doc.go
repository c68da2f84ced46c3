// Package gocache is a Go build cache for the go command's GOCACHEPROG
// protocol, with two levels: a directory on local disk, then an OCI
// registry repository the whole team shares.
//
// Why: CI runners start with an empty Go build cache, so every job
// recompiles every dependency. The team already has a registry and
// credentials for it; storing compiled outputs there lets a fresh runner
// download what another runner already built.
//
// # Pieces
//
//   - [Serve] speaks the protocol of cmd/go/internal/cacheprog on a reader
//     and a writer (the go command's pipes) to any [Cache].
//   - [Disk] is the local level: outputs are files named by their OutputID
//     (the SHA-256 of the bytes), entries map an ActionID to an OutputID.
//   - [Registry] is the remote level; [Tiered] puts it behind a Disk.
//
// # Registry layout
//
// Every output is a blob of the repository, digest sha256:OutputID, so a
// blob is verified by hashing it. The ActionID → OutputID entries are
// stored in "session" manifests: each process that wrote outputs pushes,
// at close, one OCI manifest per 2000 new entries under a tag of its own
// (gocache-<UTC time, µs>-<random>-<n>). Each layer descriptor of that manifest
// is one output blob, annotated with its ActionID; the manifest references
// the blobs so the registry's garbage collection keeps them.
//
// A reader lists the tags once, fetches the session manifests it has not
// seen before in parallel (it keeps the ones it has seen on local disk) and
// merges them, newest session first. So a build costs one list request plus
// the new manifests, not a round trip per action, and blobs are fetched only
// on a hit, while the go command asks for them.
//
// # Guarantees
//
//   - Writers never change an existing object: every session has a new
//     tag, so any number of runners can write at once and none loses
//     another's entries.
//   - A blob whose bytes do not hash to its OutputID is a miss and a
//     warning; it is never stored or returned.
//   - The registry is best effort. Every call has a timeout; the first
//     failure writes one warning and turns the remote level off for the
//     rest of the process, so a dead registry costs a few seconds at most
//     and the build goes on with the local level.
//   - Read-only mode never writes to the registry, so untrusted builds
//     (pull requests) cannot poison the cache.
//
// The package never reads the environment and never prints: warnings go to
// an io.Writer the caller passes in.
package gocache
