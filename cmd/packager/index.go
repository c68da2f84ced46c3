package main

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/oci"
)

// newIndexCommand is `packager index`, for work on image indexes that needs
// no build.
func newIndexCommand(stdout io.Writer, logger func() *slog.Logger, e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "index",
		Short: "Work with multi-platform image indexes",
	}
	var (
		from     []string
		insecure bool
	)
	create := &cobra.Command{
		Use:   "create REPOSITORY:TAG --from REF [--from REF...]",
		Short: "Merge images pushed separately (one per platform) into one index, without rebuilding",
		Long: `Create pushes an image index made of the images (or indexes) named by --from,
each keeping its platform. It is the fan-in step when every platform is built on
its own CI runner:

  runner 1: packager build --platform linux/amd64 -t ci-amd64 ./cmd/app
  runner 2: packager build --platform linux/arm64 -t ci-arm64 ./cmd/app
  then:     packager index create ghcr.io/org/app:v1 --from ghcr.io/org/app:ci-amd64 --from ghcr.io/org/app:ci-arm64

stdout gets REPOSITORY:TAG@sha256:... of the index.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(from) == 0 {
				return usageErrorf("index create needs at least one --from REF")
			}
			start := time.Now()
			ref, err := oci.MergeIndex(cmd.Context(), args[0], from, remoteOptions(e, insecure, 4)...)
			if err != nil {
				return err
			}
			logger().Info("pushed index", "sources", len(from), "took", round(time.Since(start)))
			fmt.Fprintln(stdout, ref)
			return nil
		},
	}
	create.Flags().StringArrayVar(&from, "from", nil, "an image or index to include (repeatable), e.g. ghcr.io/org/app@sha256:...")
	create.Flags().BoolVar(&insecure, "insecure-registry", false, "allow plain HTTP to registries other than localhost/127.0.0.1")
	cmd.AddCommand(create)
	return cmd
}
