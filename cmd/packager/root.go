package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// run executes one packager command line and returns the exit code.
// Results go to stdout, logs and errors to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, e env) int {
	var verbose, started bool
	root := &cobra.Command{
		Use:           "packager",
		Short:         "Build Go programs into OCI images: no Dockerfile, no daemon",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
		// Runs once the command line has parsed: every error before it is
		// cobra's own (unknown command, bad flag) and so a usage error.
		PersistentPreRun: func(*cobra.Command, []string) { started = true },
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
	root.AddCommand(newIndexCommand(stdout, logger))
	root.AddCommand(newValidateCommand(stdout, e))
	root.AddCommand(newConvertCommand(stdout, stderr, e))
	root.AddCommand(newInitCommand(stderr, e))

	err := root.ExecuteContext(ctx)
	if err != nil && !started {
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

// version is the module version packager was built from ("(devel)" for a
// source checkout).
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
