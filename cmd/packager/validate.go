package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/render"
)

// newValidateCommand is `packager validate`: every check that needs no
// build, no registry and no network.
func newValidateCommand(stdout io.Writer, e env) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check packager.yaml without building anything",
		Long: `Validate reads packager.yaml and reports every problem at once, each as
FILE:LINE:COLUMN: field: what to fix. It checks the shape of the file (unknown
keys, wrong types), every value (platforms, ports, modes, paths, signals,
durations, users), that files: and ca_certs: sources exist, and the syntax of
every template. It does not compile, fetch bases or render templates (their
values come from git and the environment at build time).

Exit codes: 0 valid, 2 invalid. Editors can check the file as you type with
the JSON Schema in docs/packager.schema.json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := file
			if path == "" {
				path = "packager.yaml"
			}
			if !filepath.IsAbs(path) {
				path = filepath.Join(e.workDir, path)
			}
			f, err := config.LoadContext(cmd.Context(), path)
			if err != nil {
				return usageError{err}
			}
			targets, err := f.Targets(config.Overrides{})
			var errs []error
			if err != nil {
				errs = append(errs, err)
			}
			for _, t := range f.Templates() {
				if err := render.Check(t.At+": "+t.Field, t.Text); err != nil {
					errs = append(errs, err)
				}
			}
			if err := errors.Join(errs...); err != nil {
				return usageError{err}
			}
			fmt.Fprintf(stdout, "%s: ok (%d images)\n", file0(file), len(targets))
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "packager.yaml to check (default ./packager.yaml)")
	return cmd
}

func file0(f string) string {
	if f == "" {
		return "packager.yaml"
	}
	return f
}
