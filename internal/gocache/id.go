package gocache

import (
	"encoding/hex"
	"fmt"
)

// idHex returns the lowercase hex of a 32-byte ActionID or OutputID. The go
// command's IDs are SHA-256 sums; anything else is refused so an ID can never
// name a path outside the cache.
func idHex(kind string, id []byte) (string, error) {
	if len(id) != 32 {
		return "", fmt.Errorf("%s is %d bytes, want 32 (a SHA-256)", kind, len(id))
	}
	return hex.EncodeToString(id), nil
}

// validHex reports whether s is 64 lowercase hex digits.
func validHex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
