//go:build !unix

package oci

import "context"

// lockDir is a no-op where flock is unavailable: concurrent packager
// processes writing one output are then not serialised.
func lockDir(ctx context.Context, dir string) (func(), error) { return func() {}, ctx.Err() }
