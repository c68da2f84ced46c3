//go:build unix

package oci

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockDir takes an exclusive flock on the directory dir itself, waiting for
// other processes until ctx is done. Every packager output written into dir
// (an OCI layout, a tarball) is read, changed and renamed under this lock,
// so concurrent packager processes never lose each other's tags. The kernel
// drops the lock when the process dies, so a crash never leaves dir locked,
// and whatever staging a dead process left is known to be stale.
//
// Locking the directory rather than a lock file leaves nothing behind next
// to the user's output.
func lockDir(ctx context.Context, dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
		// Another packager is writing an output here; a layout update takes
		// well under a second. flock cannot wait on ctx, so poll.
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
