package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Exit codes, documented in docs/cli.md.
const (
	exitOK      = 0
	exitFailure = 1 // a build or publish failed
	exitUsage   = 2 // bad flags, arguments or packager.yaml
	// 128 + the signal's number after SIGINT (130) or SIGTERM (143), the
	// shell convention CI runners and scripts check for.
)

// interrupted is the cause of a command's cancellation by a signal.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string { return "interrupted by " + i.sig.String() }

func (i interrupted) code() int {
	if s, ok := i.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitFailure
}

// usageError marks an error the user fixes by changing the command line
// or packager.yaml; it exits with exitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode is the process exit code for err, the result of a command run
// with ctx.
func exitCode(ctx context.Context, err error) int {
	var u usageError
	var sig interrupted
	switch {
	case err == nil:
		return exitOK
	case errors.As(context.Cause(ctx), &sig):
		return sig.code()
	case errors.As(err, &u):
		return exitUsage
	default:
		return exitFailure
	}
}
