//go:build !unix

package pipeline

import "io/fs"

// ownedByMe cannot tell here, so staging without a cache uses a plain
// temporary directory and nothing is swept.
func ownedByMe(fs.FileInfo) bool { return false }
