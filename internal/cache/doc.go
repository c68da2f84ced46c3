// Package cache is packager's on-disk, content-keyed cache. It lets a warm
// rebuild with no source change skip both `go build` and layer compression.
//
// The caller chooses the directory (for example $XDG_CACHE_HOME/packager) and
// computes the keys: a key is the hex SHA-256 of everything that determines
// the cached bytes. The package never reads the environment.
//
// # Layout
//
//	DIR/blobs/sha256/<hex>   compressed layer bytes, named by their digest
//	DIR/layers/<key>.json    index entry: {version, digest, diffID, size, mediaType}
//	DIR/bin/<key>/           per-key directory for `go build -o` outputs
//
// Files whose names start with "." are temporary files of a write in
// progress (or of a process that was killed mid-write); nothing reads them.
//
// # Guarantees
//
// Several packager processes may use one directory at once:
//
//   - Every file appears whole or not at all: it is written to a uniquely
//     named temporary file in its final directory, flushed to disk, and
//     renamed into place. Readers never see partial files.
//   - [Layers.Put] hashes the bytes it stores and refuses a layer whose bytes
//     do not match its digest. A layer that fails while being read leaves no
//     blob and no index entry. Two processes storing the same key both
//     succeed; the entry and blob they leave are identical.
//   - A blob is written before the index entry that names it, so an entry
//     never points at a blob that a live Put has not finished.
//   - [Layers.Get] answers from the index entry and a stat of the blob; it
//     does not read the blob. A missing blob, or one of the wrong size, is a
//     miss and its entry is removed. A blob corrupted without changing size
//     is caught when the returned layer is read: the read fails at the end of
//     the stream, and the entry and blob are removed so the next run rebuilds.
//
// A concurrent repair or removal can turn a hit into a miss; it never turns
// into wrong bytes being returned without an error.
//
// Nothing is ever deleted by age: the cache grows until the caller removes
// the directory.
package cache
