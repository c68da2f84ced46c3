package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/pipeline"
)

// koFlags are ko build's flags that packager takes with the same meaning,
// so ko users and their scripts keep working (docs/migrating.md).
type koFlags struct {
	labels, annotations, ldflags []string
	user                         string
	bare, baseImport, preserve   bool
	local                        bool
}

func addKoFlags(cmd *cobra.Command, k *koFlags) {
	fl := cmd.Flags()
	fl.StringArrayVar(&k.labels, "image-label", nil, "add a label KEY=VALUE to every image (repeatable; wins over packager.yaml)")
	fl.StringArrayVar(&k.annotations, "image-annotation", nil, "add a manifest annotation KEY=VALUE to every image (repeatable)")
	fl.StringVar(&k.user, "image-user", "", "run every image as this user (uid[:gid] or a name the base knows)")
	fl.StringArrayVar(&k.ldflags, "ldflags", nil, "linker flags added after packager.yaml's (repeatable)")
	fl.BoolVar(&k.bare, "bare", false, "push to REPO itself instead of REPO/NAME (one image)")
	fl.BoolVarP(&k.baseImport, "base-import-paths", "B", false, "push to REPO/NAME, NAME the import path's last element (packager's default; for ko scripts)")
	fl.BoolVarP(&k.preserve, "preserve-import-paths", "P", false, "push to REPO/IMPORT/PATH, the whole import path")
	fl.BoolVarP(&k.local, "local", "L", false, "load into the local Docker daemon (as --docker; ko's ko.local)")
}

// naming is the repository layout the flags ask for.
func (k koFlags) naming() (pipeline.Naming, error) {
	n, set := pipeline.NameByImage, 0
	for _, f := range []struct {
		on bool
		n  pipeline.Naming
	}{{k.bare, pipeline.NameBare}, {k.baseImport, pipeline.NameByImage}, {k.preserve, pipeline.NamePreserveImportPath}} {
		if f.on {
			n, set = f.n, set+1
		}
	}
	if set > 1 {
		return 0, usageErrorf("--bare, -B and -P choose one naming; give only one of them")
	}
	return n, nil
}

// checkBare refuses --bare for more than one image: they would all be
// pushed to REPO itself under the same tags, and the last would win.
func (k koFlags) checkBare(targets []config.Target) error {
	if !k.bare || len(targets) < 2 {
		return nil
	}
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Name
	}
	return usageErrorf("--bare pushes to REPO itself, so it takes one image, but this builds %d (%s): "+
		"build one package at a time with --bare, or leave --bare out to push each to REPO/NAME", len(targets), strings.Join(names, ", "))
}

// keyValues parses repeated KEY=VALUE flags.
func keyValues(flag string, list []string) (map[string]string, error) {
	if len(list) == 0 {
		return nil, nil
	}
	m := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErrorf("%s %q: write KEY=VALUE", flag, kv)
		}
		m[k] = v
	}
	return m, nil
}
