//go:build unix

package config

import (
	"context"
	"io/fs"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// openConfig opens path for reading. A named pipe is opened without blocking
// (open(2) of a FIFO waits for a writer and cannot be interrupted) and then
// waited on through the poller until a writer has written or gone, or ctx
// is done.
func openConfig(ctx context.Context, path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		return os.Open(path)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if err := waitWriter(ctx, f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// waitWriter waits until f has data or its writer has closed it. Before a
// writer comes, a non-blocking read of a FIFO returns 0, which reads as an
// empty file, so the first read must wait for readiness instead. poll(2)
// asks without reading; the poller's readiness flag cannot be trusted for
// that, since RawConn.Read clears it before the first call, and data that
// arrived earlier would then never wake the wait.
func waitWriter(ctx context.Context, f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Now()) })
	defer stop()
	var pollErr error
	err = rc.Read(func(fd uintptr) bool {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}} //nolint:gosec // G115: a file descriptor fits in an int32
		n, err := unix.Poll(fds, 0)
		if err != nil && err != unix.EINTR {
			pollErr = err
			return true
		}
		return n > 0 && fds[0].Revents&(unix.POLLIN|unix.POLLHUP|unix.POLLERR) != 0
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err == nil {
		err = pollErr
	}
	return err
}
