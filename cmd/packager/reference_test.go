package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
)

var update = flag.Bool("update", false, "rewrite the generated flag reference in docs/cli.md")

const (
	refBegin = "<!-- BEGIN GENERATED REFERENCE: go test ./cmd/packager -run TestCLIReference -update -->\n"
	refEnd   = "<!-- END GENERATED REFERENCE -->\n"
)

// TestCLIReference keeps the flag reference at the end of docs/cli.md equal
// to what the commands define: it fails when a flag changes and the docs
// do not.
func TestCLIReference(t *testing.T) {
	root, _ := newRoot(io.Discard, io.Discard, env{cacheDir: "$XDG_CACHE_HOME/packager"})
	var ref bytes.Buffer
	ref.WriteString(refBegin + "\n## Flag reference\n\nGenerated from the commands themselves: `TestCLIReference` fails when a flag changes and this does not.\n\n")
	var gen func(*cobra.Command)
	gen = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c != root {
			return
		}
		c.DisableAutoGenTag = true
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "jobs" {
				f.DefValue = "the number of CPUs" // not this machine's
			}
		})
		var b bytes.Buffer
		if err := doc.GenMarkdownCustom(c, &b, func(s string) string { return "#" + strings.ReplaceAll(strings.TrimSuffix(s, ".md"), "_", "-") }); err != nil {
			t.Fatal(err)
		}
		// One level down: the reference lives under a "##" heading.
		for _, line := range strings.SplitAfter(b.String(), "\n") {
			if strings.HasPrefix(line, "#") {
				line = "#" + line
			}
			ref.WriteString(line)
		}
		for _, sub := range c.Commands() {
			gen(sub)
		}
	}
	gen(root)
	ref.WriteString(refEnd)

	const path = "../../docs/cli.md"
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, _, found := strings.Cut(string(old), refBegin)
	want := head + ref.String()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !found || string(old) != want {
		t.Errorf("docs/cli.md's flag reference is out of date with the commands; regenerate it with: go test ./cmd/packager -run TestCLIReference -update")
	}
}
