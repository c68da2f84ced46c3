package flock

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestLockExcludesAndWaitsOnContext(t *testing.T) {
	for _, path := range []string{t.TempDir(), filepath.Join(t.TempDir(), ".lock")} {
		unlock, err := Lock(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		if _, err := Lock(ctx, path); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: second Lock = %v while held, want it to wait until the context ends", path, err)
		}
		cancel()
		unlock()
		again, err := Lock(context.Background(), path)
		if err != nil {
			t.Fatalf("%s: Lock after unlock: %v", path, err)
		}
		again()
	}
}
