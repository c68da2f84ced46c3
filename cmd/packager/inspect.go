package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/oci"
)

// newInspectCommand is `packager inspect`: what an image is made of and
// what is attached to it, without pulling its layers.
func newInspectCommand(stdout io.Writer, e env) *cobra.Command {
	var asJSON, insecure bool
	cmd := &cobra.Command{
		Use:   "inspect REF|oci:DIR[:TAG|@DIGEST]",
		Short: "Show an image's platforms, digests, layers, config and attached SBOMs, provenance and signatures",
		Long: `Inspect reads an image or index from a registry or an OCI image layout and
prints, for each platform, its digest, size, layers and config summary, and
what refers to it: SBOMs and provenance (OCI referrers, through the referrers
API or the sha256-<hex> fallback tag) and cosign signatures and attestations
(the sha256-<hex>.sig and .att tags). --json prints the same as JSON.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := oci.Inspect(cmd.Context(), args[0], remoteOptions(e, insecure, 4)...)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(d)
			}
			return printDescription(stdout, d)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	cmd.Flags().BoolVar(&insecure, "insecure-registry", false, "allow plain HTTP to registries other than localhost/127.0.0.1")
	return cmd
}

func printDescription(w io.Writer, d *oci.Description) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n  digest:\t%s\n  media type:\t%s\n  size:\t%d\n", d.Reference, d.Digest, orNone(d.MediaType), d.Size)
	if d.Attached != nil {
		printAttached(tw, "  ", *d.Attached)
	}
	for _, img := range d.Images {
		fmt.Fprintf(tw, "\nplatform %s\n  digest:\t%s\n  size:\t%d\n", orNone(img.Platform), img.Digest, img.Size)
		c := img.Config
		fmt.Fprintf(tw, "  created:\t%s\n  entrypoint:\t%s\n  cmd:\t%s\n  user:\t%s\n  workdir:\t%s\n",
			orNone(c.Created), orNone(strings.Join(c.Entrypoint, " ")), orNone(strings.Join(c.Cmd, " ")), orNone(c.User), orNone(c.WorkingDir))
		fmt.Fprintf(tw, "  env:\t%s\n  ports:\t%s\n", orNone(strings.Join(c.Env, " ")), orNone(strings.Join(c.Ports, " ")))
		fmt.Fprintf(tw, "  layers:\t%d\n", len(img.Layers))
		for _, l := range img.Layers {
			fmt.Fprintf(tw, "    %s\t%d\t%s\n", orNone(l.Digest), l.Size, orNone(l.MediaType))
		}
		printAttached(tw, "  ", img.Attached)
	}
	return tw.Flush()
}

func printAttached(w io.Writer, indent string, a oci.Attached) {
	fmt.Fprintf(w, "%sreferrers:\t%d\n", indent, len(a.Referrers))
	for _, r := range a.Referrers {
		fmt.Fprintf(w, "%s  %s\t%d\t%s\n", indent, orNone(r.Digest), r.Size, orNone(r.ArtifactType))
	}
	fmt.Fprintf(w, "%scosign signature:\t%s\n%scosign attestations:\t%s\n", indent, orNone(a.Signature), indent, orNone(a.Attestation))
}

// orNone is s for printing: "-" when empty, quoted when it holds a
// character that is not printable (see printable).
func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return printable(s)
}

// printable is s, or s quoted when it holds a character that is not
// printable (a control character, an invalid byte). What inspect and
// verify print comes from registries, as an image's publisher wrote it: an
// escape sequence must not reach the terminal, nor a newline forge a line.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}
