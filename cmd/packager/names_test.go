package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// uniqueRepo is a Docker repository prefix no other test run uses, so
// images loaded into the shared Docker engine by concurrent runs (other
// worktrees, CI jobs on one host) never collide or remove each other's.
func uniqueRepo(t *testing.T) string {
	t.Helper()
	return "packager-test.local/e2e-" + testenv.RandomHex(5)
}

// notInTag is what a test name has that a Docker tag cannot.
var notInTag = regexp.MustCompile(`[^a-z0-9_.-]+`)

// uniqueTag is an image tag no other test or test run uses: the test's
// name, for whoever finds it in `docker images`, and random hex.
func uniqueTag(t *testing.T) string {
	t.Helper()
	name := notInTag.ReplaceAllString(strings.ToLower(t.Name()), "-")
	if len(name) > 80 {
		name = name[:80]
	}
	return "e2e-" + name + "-" + testenv.RandomHex(5)
}
