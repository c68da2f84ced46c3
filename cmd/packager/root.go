package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// run executes one packager command line and returns the exit code.
// Results go to stdout, logs and errors to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, e env) int {
	var verbose bool
	root := &cobra.Command{
		Use:           "packager",
		Short:         "Build Go programs into OCI images: no Dockerfile, no daemon",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log every step")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)

	logger := func() *slog.Logger {
		level := slog.LevelInfo
		if verbose {
			level = slog.LevelDebug
		}
		return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	}
	root.AddCommand(newBuildCommand(stdout, logger, e))

	err := root.ExecuteContext(ctx)
	if err != nil && isCobraUsage(err) {
		err = usageError{err}
	}
	if err != nil {
		fmt.Fprintf(stderr, "packager: %v\n", err)
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "packager: interrupted")
		}
	}
	return exitCode(err)
}

// isCobraUsage recognises cobra's own errors for unknown commands and wrong
// argument counts, which come back as plain errors.
func isCobraUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return false
	}
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "accepts ", "requires ", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// version is the module version packager was built from ("(devel)" for a
// source checkout).
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
