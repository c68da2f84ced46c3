package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/oci"
)

func newGCCommand(stdout io.Writer, e env) *cobra.Command {
	return &cobra.Command{
		Use:   "gc DIR",
		Short: "Remove blobs no tag reaches from an OCI layout, and staging left by killed runs",
		Long: `Every write to an OCI layout already removes the blobs of the tags it
replaced. gc does the same for a layout written by an older packager or by other
tools, under the same lock, so it is safe while builds write to DIR.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := oci.GCLayout(cmd.Context(), abs(e.workDir, args[0]))
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "removed %d blobs, %d bytes\n", st.Blobs, st.Bytes)
			return err
		},
	}
}
