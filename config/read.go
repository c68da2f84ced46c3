package config

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// MaxFileSize is the most Load reads. An honest packager.yaml is a few
// kilobytes; the bound keeps a wrong -f (a log file, /dev/zero) from eating
// all memory before the YAML parser even starts.
const MaxFileSize = 4 << 20

// Load is LoadContext without cancellation.
func Load(path string) (*File, error) { return LoadContext(context.Background(), path) }

// LoadContext reads and parses path; relative dirs are resolved against
// filepath.Dir(abs(path)). Errors name path as given, so they read the way the
// user typed it. It reads at most MaxFileSize bytes, and stops when ctx is
// done, also while it waits for the writer of a named pipe (-f <(cmd)).
func LoadContext(ctx context.Context, path string) (*File, error) {
	data, err := readConfig(ctx, path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return Parse(path, filepath.Dir(abs), data)
}

func readConfig(ctx context.Context, path string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	f, err := openConfig(ctx, path)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("read config %s: %w", path, ctx.Err())
		}
		return nil, fmt.Errorf("read config: %w; create it or pass the package to build, e.g. packager build ./cmd/app", err)
	}
	defer f.Close()
	// A pipe is read through the poller, so a deadline wakes a blocked Read;
	// regular files and devices never block for long, and ctxReader stops them
	// between reads.
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Now()) })
	defer stop()
	data, err := io.ReadAll(io.LimitReader(ctxReader{ctx, f}, MaxFileSize+1))
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("read config %s: %w", path, ctx.Err())
	case err != nil:
		return nil, fmt.Errorf("read config %s: %w", path, err)
	case len(data) > MaxFileSize:
		return nil, fmt.Errorf("read config %s: it is larger than 4 MiB, far more than any packager.yaml; check that -f names the right file", path)
	}
	return data, nil
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	if errors.Is(err, os.ErrDeadlineExceeded) && c.ctx.Err() != nil {
		err = c.ctx.Err()
	}
	return n, err
}
