package testenv

import (
	"errors"
	"net"
	"syscall"
	"testing"
)

// TestRefusedAddr: the address refuses connections, and nobody can start
// listening on it while the test runs.
func TestRefusedAddr(t *testing.T) {
	addr := RefusedAddr(t)
	if c, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
		if c != nil {
			c.Close()
		}
		t.Errorf("dial %s: %v, want connection refused", addr, err)
	}
	if l, err := net.Listen("tcp", addr); err == nil {
		l.Close()
		t.Errorf("another listener could bind %s", addr)
	}
}
