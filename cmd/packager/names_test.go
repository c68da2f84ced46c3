package main

import (
	"crypto/rand"
	"encoding/hex"
	"testing"
)

// uniqueRepo is a Docker repository prefix no other test run uses, so
// images loaded into the shared Docker engine by concurrent runs (other
// worktrees, CI jobs on one host) never collide or remove each other's.
func uniqueRepo(t *testing.T) string {
	t.Helper()
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "packager-test.local/e2e-" + hex.EncodeToString(b)
}
