//go:build unix

package builder

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// stopGently makes cancellation behave like Ctrl-C in a terminal. go build
// runs in its own process group; on cancel the whole group gets SIGINT, so
// the compiler and linker it started stop too (killing only go would orphan
// them) and go still removes its work directory before it exits. If that
// takes longer than waitDelay, os/exec kills go.
func stopGently(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		if errors.Is(err, syscall.ESRCH) {
			return os.ErrProcessDone
		}
		return err
	}
	cmd.WaitDelay = waitDelay
}
