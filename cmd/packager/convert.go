package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/internal/convert"
)

// newConvertCommand is `packager convert`: a Dockerfile (or .ko.yaml)
// becomes a commented packager.yaml.
func newConvertCommand(stdout, stderr io.Writer, e env) *cobra.Command {
	var out string
	var fromKo, strict, force bool
	cmd := &cobra.Command{
		Use:   "convert [Dockerfile]",
		Short: "Write a packager.yaml from a Dockerfile or a .ko.yaml",
		Long: `Convert reads a Dockerfile (default ./Dockerfile) with BuildKit's parser and
writes a packager.yaml that builds the same image: the builder stages' go build
lines (package, -ldflags with ARGs and $(git ...) as templates, -tags,
CGO_ENABLED, GOOS/GOARCH), the final stage's base, the binaries and files it
copies, and its USER, EXPOSE, ENV, WORKDIR, LABEL, ENTRYPOINT, CMD,
HEALTHCHECK, VOLUME and STOPSIGNAL. Comments name the line each value came
from. What packager.yaml cannot say (RUN in the final stage, ADD of a URL,
ONBUILD, ...) is printed as a warning, FILE:LINE: what to do.

With --from-ko it reads ko's .ko.yaml (default ./.ko.yaml) instead, and
KO_DOCKER_REPO, KO_DEFAULTBASEIMAGE and KO_DEFAULTPLATFORMS from the
environment. See docs/migrating.md.

Exit codes: 0 written, 1 not written (--strict with warnings, or the
output exists without --force), 2 the input cannot be read.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			in := "Dockerfile"
			if fromKo {
				in = ".ko.yaml"
			}
			if len(args) == 1 {
				in = args[0]
			}
			path := in
			if !filepath.IsAbs(path) {
				path = filepath.Join(e.workDir, path)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return usageErrorf("convert: %w", err)
			}
			var r *convert.Result
			if fromKo {
				r, err = convert.Ko(filepath.Base(in), data, koOptions(e))
			} else {
				r, err = convert.Dockerfile(filepath.Base(in), data)
			}
			if err != nil {
				return usageErrorf("convert: %w", err)
			}
			return writeConverted(r, out, strict, force, stdout, stderr, e)
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "packager.yaml", `file to write; "-" for stdout`)
	cmd.Flags().BoolVar(&fromKo, "from-ko", false, "read ko's .ko.yaml instead of a Dockerfile")
	cmd.Flags().BoolVar(&strict, "strict", false, "fail, writing nothing, when anything cannot be converted")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite the output file")
	return cmd
}

func writeConverted(r *convert.Result, out string, strict, force bool, stdout, stderr io.Writer, e env) error {
	for _, w := range r.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if strict {
		if err := r.Strict(); err != nil {
			return err
		}
	}
	if out == "-" {
		_, err := stdout.Write(r.YAML)
		return err
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(e.workDir, out)
	}
	if err := convert.WriteFile(out, r.YAML, force); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s (%d warnings); check it with packager validate -f %s\n", out, len(r.Warnings), out)
	return nil
}

// koOptions are ko's environment variables, read here since only cmd reads
// the environment.
func koOptions(e env) convert.KoOptions {
	return convert.KoOptions{
		DockerRepo:       lookupEnv(e.vars, "KO_DOCKER_REPO"),
		DefaultBaseImage: lookupEnv(e.vars, "KO_DEFAULTBASEIMAGE"),
		DefaultPlatforms: lookupEnv(e.vars, "KO_DEFAULTPLATFORMS"),
	}
}
