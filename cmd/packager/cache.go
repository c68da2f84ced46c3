package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	units "github.com/docker/go-units"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/packager-dev/packager/internal/cache"
	"github.com/packager-dev/packager/internal/gocache"
	"github.com/spf13/cobra"
)

func newCacheCommand(stdout io.Writer, e env) *cobra.Command {
	cmd := &cobra.Command{Use: "cache", Short: "Manage packager's caches"}
	cmd.AddCommand(newCachePruneCommand(stdout, e))
	return cmd
}

func newCachePruneCommand(stdout io.Writer, e env) *cobra.Command {
	var f goCacheFlags
	var maxAge time.Duration
	var maxSize string
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Trim the local caches and, with --remote-cache, the shared Go build cache",
		Long: `prune removes the image layers and linked binaries not used within --max-age
from packager's cache (every build also does this once a day for a week) and,
with --max-size, the least recently used ones beyond that size; and Go build
outputs not used within --max-age and, with --max-size, the least recently
used ones beyond that size (each cache is kept under --max-size on its own):
on local disk (DIR/gocache),
and with --remote-cache in the registry, where it deletes the session
manifests that are too old or too many (the registry's garbage collection
then frees the outputs no manifest references any more).`,
		Example: `  packager cache prune --max-age 72h
  packager cache prune --remote-cache ghcr.io/acme/gocache --max-age 168h --max-size 20GB`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := gocache.Policy{MaxAge: maxAge}
			if maxSize != "" {
				n, err := units.FromHumanSize(maxSize)
				if err != nil || n <= 0 {
					return usageErrorf("--max-size %q: want a size such as 500MB or 20GB", maxSize)
				}
				p.MaxSize = n
			}
			if p.MaxAge <= 0 && p.MaxSize == 0 {
				return usageErrorf("prune needs --max-age or --max-size")
			}
			return prune(cmd, stdout, f, p)
		},
	}
	addGoCacheFlags(cmd, &f, e)
	cmd.Flags().DurationVar(&maxAge, "max-age", goCacheMaxAge, "remove what was not used (locally) or written (remotely) within this long")
	cmd.Flags().StringVar(&maxSize, "max-size", "", "keep at most this many bytes in each cache (layers and binaries; Go outputs; the remote outputs), most recently used first, e.g. 20GB")
	return cmd
}

func prune(cmd *cobra.Command, stdout io.Writer, f goCacheFlags, p gocache.Policy) error {
	if f.cacheDir != "" {
		c, err := cache.Open(f.cacheDir)
		if err != nil {
			return err
		}
		var st cache.TrimStats
		if p.MaxAge > 0 {
			if st, err = c.Trim(p.MaxAge, time.Now()); err != nil {
				return err
			}
		}
		if p.MaxSize > 0 {
			bySize, err := c.TrimToSize(p.MaxSize, time.Now())
			if err != nil {
				return err
			}
			st.Blobs, st.Bytes, st.Bins = st.Blobs+bySize.Blobs, st.Bytes+bySize.Bytes, st.Bins+bySize.Bins
		}
		fmt.Fprintf(stdout, "local %s: removed %d layers (%s) and %d binaries\n", c.Dir(), st.Blobs, units.HumanSize(float64(st.Bytes)), st.Bins)
	}
	if f.cacheDir != "" {
		disk, err := gocache.OpenDisk(filepath.Join(f.cacheDir, "gocache"))
		if err != nil {
			return err
		}
		st, err := disk.Trim(p, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "local %s: removed %d outputs (%s), kept %d (%s)\n", disk.Dir(),
			st.Removed, units.HumanSize(float64(st.FreedBytes)), st.Kept, units.HumanSize(float64(st.KeptBytes)))
	}
	if f.remote == "" {
		return nil
	}
	st, err := gocache.PruneRegistry(cmd.Context(), f.remote, p, time.Now(),
		gocache.WithKeychain(authn.DefaultKeychain), gocache.WithStateDir(filepath.Join(f.cacheDir, "gocache-sessions")))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "remote %s: deleted %d of %d sessions, kept %s of outputs\n", f.remote,
		st.Deleted, st.Sessions, units.HumanSize(float64(st.KeptBytes)))
	return nil
}
