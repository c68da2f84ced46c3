//go:build !unix

package builder

import "context"

// lockDir is a no-op where flock is unavailable: concurrent packager
// processes sharing a cache directory are then not serialised.
func lockDir(ctx context.Context, dir string) (func(), error) { return func() {}, ctx.Err() }
