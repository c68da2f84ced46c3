//go:build !unix

package flock

import "context"

// Lock is a no-op where flock is unavailable: concurrent packager
// processes are then not serialised.
func Lock(ctx context.Context, path string) (func(), error) { return func() {}, ctx.Err() }

// TryLock reports no holder where flock is unavailable.
func TryLock(path string) (func(), bool, error) { return func() {}, true, nil }
