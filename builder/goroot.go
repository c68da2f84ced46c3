package builder

import (
	"cmp"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// GOROOT returns the root of the Go installation `go` in env uses (where
// lib/time/zoneinfo.zip lives). goBin is the go command, "go" when empty.
func GOROOT(ctx context.Context, goBin string, env []string) (string, error) {
	cmd := exec.CommandContext(ctx, cmp.Or(goBin, "go"), "env", "GOROOT")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
