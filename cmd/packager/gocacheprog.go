package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/packager-dev/packager/internal/gocache"
	"github.com/spf13/cobra"
)

// remoteCacheEnv names the default --remote-cache.
const remoteCacheEnv = "PACKAGER_REMOTE_CACHE"

// Local Go cache upkeep: entries unused for a week go, checked once a day.
const (
	goCacheMaxAge    = 7 * 24 * time.Hour
	goCacheTrimEvery = 24 * time.Hour
)

type goCacheFlags struct {
	remote   string
	readOnly bool
	cacheDir string
}

func newGocacheprogCommand(logger func() *slog.Logger, e env) *cobra.Command {
	var f goCacheFlags
	cmd := &cobra.Command{
		Use:   "gocacheprog",
		Short: "Serve the go command's build cache (GOCACHEPROG) from local disk and a registry",
		Long: `gocacheprog is a GOCACHEPROG program: the go command starts it and asks it for
compiled outputs over stdin and stdout. Outputs live in --cache-dir/gocache and,
with --remote-cache, in a registry repository shared by the team, so a fresh CI
runner downloads what another runner already compiled.

A registry that is down or slow costs a few seconds and one warning; the
build goes on with the local cache. Credentials are those of docker login.`,
		Example: `  GOCACHEPROG="packager gocacheprog --remote-cache ghcr.io/acme/gocache" go test ./...
  GOCACHEPROG="packager gocacheprog --remote-cache ghcr.io/acme/gocache --remote-cache-readonly" go build ./...`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serveGoCache(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f, logger())
		},
	}
	addGoCacheFlags(cmd, &f, e)
	cmd.Flags().BoolVar(&f.readOnly, "remote-cache-readonly", false, "read the remote cache but never write to it (untrusted builds, pull requests)")
	return cmd
}

func addGoCacheFlags(cmd *cobra.Command, f *goCacheFlags, e env) {
	fl := cmd.Flags()
	fl.StringVar(&f.remote, "remote-cache", lookupEnv(e.vars, remoteCacheEnv),
		"registry repository holding the shared Go build cache, e.g. ghcr.io/acme/gocache ($"+remoteCacheEnv+")")
	fl.StringVar(&f.cacheDir, "cache-dir", e.cacheDir, "packager's cache directory; the Go cache is DIR/gocache ($PACKAGER_CACHE_DIR)")
}

// serveGoCache runs the GOCACHEPROG protocol until the go command closes it.
func serveGoCache(ctx context.Context, in io.Reader, out, stderr io.Writer, f goCacheFlags, log *slog.Logger) error {
	if f.cacheDir == "" {
		return usageErrorf("gocacheprog needs a cache directory: pass --cache-dir or set PACKAGER_CACHE_DIR")
	}
	disk, err := gocache.OpenDisk(filepath.Join(f.cacheDir, "gocache"))
	if err != nil {
		return err
	}
	var c gocache.Cache = disk
	var summary func() string
	if f.remote != "" {
		opts := []gocache.RegistryOption{gocache.WithKeychain(authn.DefaultKeychain), gocache.WithWarnings(stderr),
			gocache.WithStateDir(filepath.Join(f.cacheDir, "gocache-sessions"))}
		if f.readOnly {
			opts = append(opts, gocache.WithReadOnly())
		}
		reg, err := gocache.OpenRegistry(f.remote, opts...)
		if err != nil {
			return usageError{err}
		}
		t := gocache.NewTiered(disk, reg, stderr)
		c = t
		summary = func() string { return t.Stats().String() + "; " + reg.Summary() }
	}
	err = gocache.Serve(ctx, in, out, c)
	if summary != nil {
		log.Debug("gocache: " + summary())
	}
	if st, ran, terr := disk.TrimIfDue(gocache.Policy{MaxAge: goCacheMaxAge}, time.Now(), goCacheTrimEvery); ran && terr == nil {
		log.Debug(fmt.Sprintf("gocache: trimmed %d outputs (%d bytes)", st.Removed, st.FreedBytes))
	}
	return err
}
