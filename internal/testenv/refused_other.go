//go:build !unix

package testenv

import "testing"

// RefusedAddr needs a socket that is bound but not listening, which this
// platform's syscall package cannot make: the test is skipped.
func RefusedAddr(t testing.TB) string {
	t.Helper()
	t.Skip("RefusedAddr needs the unix socket calls")
	return ""
}
