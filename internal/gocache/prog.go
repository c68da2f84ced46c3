package gocache

import (
	"fmt"
	"strings"
)

// ProgConfig is how a build wants its GOCACHEPROG to run.
type ProgConfig struct {
	Repo     string // REGISTRY/REPO of the remote level; "" for the local level only
	ReadOnly bool   // never write to the registry
	CacheDir string // packager's cache directory; the Go cache is CacheDir/gocache
	Verbose  bool   // print a summary line to the go command's stderr at close
}

// ProgEnv returns the GOCACHEPROG=... entry that makes a go command use
// `EXE gocacheprog` with c: exe is the path of the packager executable
// (os.Executable in the caller). GOCACHEPROG is split like a shell would
// with quotes only, so arguments with spaces are quoted.
func ProgEnv(exe string, c ProgConfig) (string, error) {
	args := []string{exe, "gocacheprog"}
	if c.Repo != "" {
		args = append(args, "--remote-cache", c.Repo)
	}
	if c.ReadOnly {
		args = append(args, "--remote-cache-readonly")
	}
	if c.CacheDir != "" {
		args = append(args, "--cache-dir", c.CacheDir)
	}
	if c.Verbose {
		args = append(args, "-v")
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		q, err := quote(a)
		if err != nil {
			return "", err
		}
		quoted[i] = q
	}
	return "GOCACHEPROG=" + strings.Join(quoted, " "), nil
}

// quote follows cmd/internal/quoted, which the go command splits
// GOCACHEPROG with: a field may be wrapped in ' or ", with no escapes.
func quote(s string) (string, error) {
	switch {
	case s != "" && !strings.ContainsAny(s, " \t\n\r'\""):
		return s, nil
	case !strings.Contains(s, "'"):
		return "'" + s + "'", nil
	case !strings.Contains(s, `"`):
		return `"` + s + `"`, nil
	}
	return "", fmt.Errorf("cannot pass %q in GOCACHEPROG: it holds both kinds of quote; use another path", s)
}
