// Command https-client loads the system certificate pool the way any Go
// HTTPS client does and reports how many roots it found. It fails when the
// image has no CA bundle, which is the classic FROM-scratch mistake.
package main

import (
	"crypto/x509"
	"fmt"
	"os"
)

func main() {
	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load system roots:", err)
		os.Exit(1)
	}
	// Subjects is deprecated because some platforms' pools cannot be listed;
	// on Linux the pool is read from PEM files, so the count is exact.
	n := len(pool.Subjects()) //nolint:staticcheck
	if n == 0 {
		fmt.Fprintln(os.Stderr, "no CA roots found: HTTPS requests would fail")
		os.Exit(1)
	}
	fmt.Printf("CA roots: %d\n", n)
}
