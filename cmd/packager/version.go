package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print packager's version, the commit it was built from and its Go version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(stdout, versionLine())
			return err
		},
	}
}

// version is the module version packager was built from: a tag for `go
// install ...@v1.2.3`, "(devel)" for a build from a checkout.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// versionLine is what `packager version` and --version print, e.g.
// "packager (devel) commit 2e52436f (2026-11-30T03:20:00Z, modified) go1.26.8 linux/amd64";
// the commit is go's VCS stamp, absent when built outside git.
func versionLine() string {
	s := "packager " + version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, at, modified string
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				rev = kv.Value
			case "vcs.time":
				at = kv.Value
			case "vcs.modified":
				if kv.Value == "true" {
					modified = ", modified"
				}
			}
		}
		if rev != "" {
			s += fmt.Sprintf(" commit %.12s (%s%s)", rev, at, modified)
		}
	}
	return s + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
