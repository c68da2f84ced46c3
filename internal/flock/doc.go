// Package flock is the one exclusive lock packager processes take on a
// directory or file they share (the build cache's link targets, an output
// directory), so concurrent runs wait for each other instead of racing.
// The kernel drops the lock when a process dies, so a crash never leaves
// anything locked. Where flock(2) does not exist, locking is a no-op.
package flock
