package builder

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// GOROOT returns the root of the Go installation `go` in env uses (where
// lib/time/zoneinfo.zip lives).
func GOROOT(ctx context.Context, env []string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "GOROOT")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
