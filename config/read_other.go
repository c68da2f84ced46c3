//go:build !unix

package config

import (
	"context"
	"os"
)

// openConfig opens path for reading; only Unix has named pipes to wait on.
func openConfig(_ context.Context, path string) (*os.File, error) { return os.Open(path) }
