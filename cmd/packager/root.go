package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
)

// run executes one packager command line and returns the exit code.
// Results go to stdout, logs and errors to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, e env) int {
	root, started := newRoot(stdout, stderr, e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && !*started {
		err = usageError{err}
	}
	if err != nil {
		fmt.Fprintf(stderr, "packager: %v\n", err)
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "packager: interrupted")
		}
	}
	return exitCode(ctx, err)
}

// newRoot is the command tree. *started turns true once the command line
// has parsed: every error before it is cobra's own (unknown command, bad
// flag) and so a usage error.
func newRoot(stdout, stderr io.Writer, e env) (*cobra.Command, *bool) {
	var verbose, quiet, started bool
	root := &cobra.Command{
		Use:              "packager",
		Short:            "Build Go programs into OCI images: no Dockerfile, no daemon",
		SilenceUsage:     true,
		SilenceErrors:    true,
		Version:          versionLine(),
		PersistentPreRun: func(*cobra.Command, []string) { started = true },
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log every step")
	root.PersistentFlags().BoolVarP(&quiet, "quiet", "q", false, "log only warnings and errors (no progress)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.SetOut(stdout)
	root.SetErr(stderr)
	logger := func() *slog.Logger {
		level := slog.LevelInfo
		switch {
		case quiet:
			level = slog.LevelWarn
		case verbose:
			level = slog.LevelDebug
		}
		return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	}
	root.AddCommand(newBuildCommand(stdout, stderr, logger, e), newIndexCommand(stdout, logger, e),
		newValidateCommand(stdout, e), newInspectCommand(stdout, e), newVersionCommand(stdout),
		newGCCommand(stdout, e), newGocacheprogCommand(logger, e), newCacheCommand(stdout, e),
		newResolveCommand(stdout, logger, e), newApplyCommand(stdout, stderr, logger, e),
		newConvertCommand(stdout, stderr, e), newInitCommand(stderr, e),
		newVerifyCommand(stdout, logger, e))
	return root, &started
}
