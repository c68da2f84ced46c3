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

func TestTryLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := TryLock(dir); ok || err != nil {
		t.Errorf("TryLock while held = %v, %v; want not ok", ok, err)
	}
	unlock()
	again, ok, err := TryLock(dir)
	if !ok || err != nil {
		t.Fatalf("TryLock after unlock = %v, %v", ok, err)
	}
	again()
}
