// Package atomicfile writes files so that a reader, a crash or Ctrl-C sees
// either the old file or the whole new one, never a part: bytes go to a
// temporary file in the destination's directory (named ".NAME.packager-tmp-*" so
// nothing mistakes it for a finished file), which is flushed to disk,
// renamed over the destination, and the directory is flushed so the rename
// itself survives a power cut.
//
// Every package that writes an artifact or a cache entry uses it, so that
// rule exists once.
package atomicfile
