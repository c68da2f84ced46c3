package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/builder"
	"github.com/packager-dev/packager/internal/convert"
)

// newInitCommand is `packager init`: a packager.yaml with one image per
// main package of the module.
func newInitCommand(stderr io.Writer, e env) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a packager.yaml with one image per main package",
		Long: `Init lists every main package under the current directory (go list ./...)
and writes packager.yaml with one image for each, and the most used keys as
comments. It refuses to overwrite an existing file unless --force is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			mains, err := builder.MainPackages(cmd.Context(), e.workDir, e.vars)
			if err != nil {
				return err
			}
			var ms []convert.Main
			for _, m := range mains {
				rel, err := convert.RelMain(e.workDir, m.Dir)
				if err != nil {
					return err
				}
				ms = append(ms, convert.Main{Rel: rel, ImportPath: m.ImportPath})
			}
			text, err := convert.Init(ms)
			if err != nil {
				return err
			}
			path := out
			if !filepath.IsAbs(path) {
				path = filepath.Join(e.workDir, path)
			}
			if err := convert.WriteFile(path, text, force); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "wrote %s with %d images\n", path, len(ms))
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "packager.yaml", "file to write")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
