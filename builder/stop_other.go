//go:build !unix

package builder

import "os/exec"

// stopGently relies on os/exec's default cancellation (kill go) where there
// are no process groups to signal, and bounds the wait for its output pipes.
func stopGently(cmd *exec.Cmd) {
	cmd.WaitDelay = waitDelay
}
