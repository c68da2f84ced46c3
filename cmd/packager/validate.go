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
		Long: `Validate reads packager.yaml (the nearest one from the current directory up
to the module root, as build finds it, or the file -f names) and reports every
problem at once, each as FILE:LINE:COLUMN: field: what to fix. It checks the
shape of the file (unknown keys, wrong types), every value (platforms, ports,
modes, paths, signals, durations, users), that files: and ca_certs: sources
exist, and the syntax of every template. It does not compile, fetch bases or render templates (their
values come from git and the environment at build time).

Exit codes: 0 valid, 2 invalid. Editors can check the file as you type with
the JSON Schema in docs/packager.schema.json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := file
			if path == "" { // as build finds it: here or up to the module root
				if path = config.Find(e.workDir); path == "" {
					path = config.FileName
				}
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
			fmt.Fprintf(stdout, "%s: ok (%d images)\n", shownPath(file, e.workDir, path), len(targets))
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "packager.yaml to check (default: the nearest packager.yaml from the current directory up to the module root)")
	return cmd
}

// shownPath names the file checked: as -f gave it, else relative to the
// working directory ("packager.yaml", "../../packager.yaml").
func shownPath(flag, workDir, path string) string {
	if flag != "" {
		return flag
	}
	if rel, err := filepath.Rel(workDir, path); err == nil {
		return rel
	}
	return path
}
