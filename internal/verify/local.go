package verify

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/render"
)

// LocalState finds in workDir what Check compares with p: HEAD's commit and
// whether tracked files differ from it (none outside git), `go env
// GOVERSION`, and the digest of packager.yaml, the one p records (relative
// to workDir) or, when p records none, the one config.Find finds. environ
// is the complete environment for git and go; LocalState reads no other.
func LocalState(ctx context.Context, workDir string, environ []string, p Provenance) (Local, error) {
	var l Local
	if g, err := render.GitInfo(ctx, workDir, environ); err == nil && g != nil {
		l.Commit, l.Dirty = g.Commit, g.Dirty
	}
	cmd := exec.CommandContext(ctx, "go", "env", "GOVERSION")
	cmd.Dir, cmd.Env = workDir, environ
	out, err := cmd.Output()
	if err != nil {
		return l, fmt.Errorf("go env GOVERSION: %w", err)
	}
	l.GoVersion = strings.TrimSpace(string(out))
	file := config.Find(workDir)
	if p.Config != "" {
		file = abs(workDir, p.Config)
	}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return l, err
		}
		if err == nil {
			l.ConfigDigest = fmt.Sprintf("sha256:%x", sha256.Sum256(data))
		}
	}
	return l, nil
}

// Args are the packages p records, which are relative to packager.yaml's
// directory, as package arguments relative to workDir, the way `packager
// build` takes them there.
func (p Provenance) Args(workDir string) []string {
	if p.Config == "" {
		return p.Packages
	}
	return config.ArgsFromConfigDir(p.Packages, workDir, filepath.Dir(abs(workDir, p.Config)))
}

func abs(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
