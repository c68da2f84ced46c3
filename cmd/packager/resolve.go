package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/internal/resolve"
)

// resolveFlags are the flags of resolve and apply: build's, except that
// -f names the Kubernetes YAML (as in kubectl and ko) and --config names
// packager.yaml.
type resolveFlags struct {
	build     buildFlags
	filenames []string
}

// outputFlags choose build destinations; resolve always pushes, since a
// cluster must pull what the YAML names.
var outputFlags = []string{"oci-layout", "tarball", "docker", "push"}

func newResolveCommand(stdout io.Writer, logger func() *slog.Logger, e env) *cobra.Command {
	var f resolveFlags
	cmd := &cobra.Command{
		Use:   "resolve -f FILE|DIR|-",
		Short: "Build and push the images Kubernetes YAML names as ko:// or packager://, and print the YAML with their digests",
		Long: `Resolve reads Kubernetes YAML and finds string values that start with
ko://IMPORTPATH or packager://NAME (an image of packager.yaml by name, or a
package). It builds and pushes each image once, all concurrently, and prints
the YAML with each reference replaced by REPO/NAME@sha256:...; every other
byte (comments, order, quoting) stays as it was.

-f is a file, a directory (its *.yaml and *.yml files, sorted, joined with
---) or - for stdin; repeat it for several. The images are pushed to the repo
(--repo, $PACKAGER_REPO, $KO_DOCKER_REPO or packager.yaml's repo:); --config
names packager.yaml (default: the nearest one up to the module root).`,
		Example: `  packager resolve -f k8s/ > resolved.yaml
  packager resolve --repo ghcr.io/acme -f deploy.yaml | kubectl apply -f -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, err := f.resolve(cmd, logger(), e)
			if err != nil {
				return err
			}
			_, err = stdout.Write(out)
			return err
		},
	}
	f.register(cmd, e)
	return cmd
}

func newApplyCommand(stdout, stderr io.Writer, logger func() *slog.Logger, e env) *cobra.Command {
	var f resolveFlags
	cmd := &cobra.Command{
		Use:   "apply -f FILE|DIR|- [-- KUBECTL-ARGS...]",
		Short: "Resolve like packager resolve, then kubectl apply the result",
		Long: `Apply does what resolve does and pipes the resolved YAML to
kubectl apply -f -. Arguments after -- go to kubectl (e.g. -- -n staging).
kubectl must be on PATH; without it, use packager resolve and apply the
output another way.`,
		Example: `  packager apply -f k8s/
  packager apply -f deploy.yaml -- --namespace staging --dry-run=server`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && cmd.ArgsLenAtDash() != 0 {
				return usageErrorf("unexpected arguments %q: arguments for kubectl go after --", args)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			// Before building: a missing kubectl should not cost a build.
			kubectl, err := exec.LookPath("kubectl")
			if err != nil {
				return fmt.Errorf("kubectl not found on PATH (%w): install kubectl (https://kubernetes.io/docs/tasks/tools/), "+
					"or run packager resolve with the same flags and apply its output another way", err)
			}
			out, err := f.resolve(cmd, logger(), e)
			if err != nil {
				return err
			}
			return kubectlApply(cmd.Context(), kubectl, args, out, stdout, stderr, e)
		},
	}
	f.register(cmd, e)
	return cmd
}

func (f *resolveFlags) register(cmd *cobra.Command, e env) {
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.filenames, "filename", "f", nil, "Kubernetes YAML: a file, a directory of *.yaml/*.yml, or - for stdin (repeatable)")
	fl.StringVar(&f.build.file, "config", "", "packager.yaml to read (default: the nearest packager.yaml from the current directory up to the module root)")
	addBuildFlags(cmd, &f.build, e)
	for _, name := range outputFlags {
		_ = fl.MarkHidden(name)
	}
}

// kubectlApply runs kubectl apply -f - with yaml on its stdin.
func kubectlApply(ctx context.Context, kubectl string, args []string, yaml []byte, stdout, stderr io.Writer, e env) error {
	c := exec.CommandContext(ctx, kubectl, append([]string{"apply", "-f", "-"}, args...)...)
	c.Dir, c.Env = e.workDir, e.vars
	c.Stdin, c.Stdout, c.Stderr = bytes.NewReader(yaml), stdout, stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("kubectl apply -f - %s: %w (the images are pushed; see kubectl's message above)", strings.Join(args, " "), err)
	}
	return nil
}

// resolve reads the YAML, builds and pushes each image it references once,
// and returns the YAML with the references replaced.
func (f *resolveFlags) resolve(cmd *cobra.Command, log *slog.Logger, e env) ([]byte, error) {
	for _, name := range outputFlags {
		if cmd.Flags().Changed(name) {
			return nil, usageErrorf("--%s is for packager build: %s pushes to the registry, because a cluster pulls the images the YAML names", name, cmd.Name())
		}
	}
	srcs, err := f.read(cmd.InOrStdin(), e.workDir)
	if err != nil {
		return nil, err
	}
	refs, err := resolve.FindAll(srcs)
	if err != nil {
		return nil, usageError{err}
	}
	images := map[string]string{}
	if len(refs) == 0 {
		log.Info("no ko:// or packager:// references; nothing to build")
	} else if images, err = f.publish(cmd.Context(), refs, log, e); err != nil {
		return nil, err
	}
	outs := make([][]byte, len(srcs))
	for i, src := range srcs {
		if outs[i], err = resolve.Replace(src.Data, images); err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
	}
	return resolve.Join(outs), nil
}

// read reads every -f, with one size budget for all of them.
func (f *resolveFlags) read(stdin io.Reader, workDir string) ([]resolve.Source, error) {
	if len(f.filenames) == 0 {
		return nil, usageErrorf("name the YAML with -f FILE, -f DIR or -f - (stdin)")
	}
	budget := int64(resolve.MaxBytes)
	var srcs []resolve.Source
	stdinRead := false
	for _, name := range f.filenames {
		if name == "-" {
			if stdinRead {
				return nil, usageErrorf("-f - is given twice; stdin can be read once")
			}
			stdinRead = true
		} else {
			name = abs(workDir, name)
		}
		s, err := resolve.Read(name, stdin, &budget)
		if err != nil {
			return nil, usageError{err}
		}
		srcs = append(srcs, s...)
	}
	return srcs, nil
}
