package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"
)

// env is everything packager takes from its process environment. Only this
// command reads it; the libraries get values from here.
type env struct {
	vars    []string // os.Environ(), passed on to `go`
	workDir string
	// sourceDateEpoch is SOURCE_DATE_EPOCH as given ("" when unset).
	sourceDateEpoch string
	// cacheDir is the default --cache-dir: $PACKAGER_CACHE_DIR, else the
	// user cache directory ($XDG_CACHE_HOME or ~/.cache) + /packager; ""
	// when neither can be found (no caching).
	cacheDir string
	// dockerConfig is $DOCKER_CONFIG, where credentials are read from (ggcr's
	// keychain reads it itself); oci needs it only to name it in hints.
	dockerConfig string
	// repo is $PACKAGER_REPO, else $KO_DOCKER_REPO (repoFrom says which),
	// the default --repo.
	repo, repoFrom string
	// cosignPassword is $COSIGN_PASSWORD, the password of a cosign
	// --sign-key, as cosign reads it.
	cosignPassword string
	// stderrTerminal: stderr is a terminal, so progress is drawn live.
	stderrTerminal bool
}

func environ() env {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	e := env{vars: os.Environ(), workDir: wd, sourceDateEpoch: os.Getenv("SOURCE_DATE_EPOCH"),
		cacheDir: defaultCacheDir(), dockerConfig: os.Getenv("DOCKER_CONFIG"),
		stderrTerminal: term.IsTerminal(int(os.Stderr.Fd())), cosignPassword: os.Getenv("COSIGN_PASSWORD")}
	for _, name := range []string{"PACKAGER_REPO", "KO_DOCKER_REPO"} {
		if v := os.Getenv(name); v != "" {
			e.repo, e.repoFrom = v, name
			break
		}
	}
	return e
}

func defaultCacheDir() string {
	if dir := os.Getenv("PACKAGER_CACHE_DIR"); dir != "" {
		return dir
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "packager")
	}
	return ""
}

// created is the timestamp written into images: SOURCE_DATE_EPOCH when set
// (https://reproducible-builds.org/specs/source-date-epoch/), else the Unix
// epoch, so that the same source always gives the same digest.
func (e env) created() (time.Time, error) {
	if e.sourceDateEpoch == "" {
		return time.Unix(0, 0).UTC(), nil
	}
	n, err := strconv.ParseInt(e.sourceDateEpoch, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, usageErrorf("SOURCE_DATE_EPOCH=%q: want a non-negative number of seconds since 1970, e.g. $(git log -1 --format=%%ct)", e.sourceDateEpoch)
	}
	return time.Unix(n, 0).UTC(), nil
}

// String is for debug logs.
func (e env) String() string {
	return fmt.Sprintf("workdir=%s SOURCE_DATE_EPOCH=%q", e.workDir, e.sourceDateEpoch)
}

// lookupEnv returns the value of key in vars ("K=V"), "" when unset.
func lookupEnv(vars []string, key string) string {
	val := ""
	for _, kv := range vars {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			val = v
		}
	}
	return val
}

// withRecordedEpoch returns e with the SOURCE_DATE_EPOCH a build recorded
// (set, or unset where it was unset); e as it is when none was recorded.
// The other recorded variables go to templates only (Request.TemplateEnv),
// never into go's environment.
func (e env) withRecordedEpoch(recorded map[string]*string) env {
	if v, ok := recorded["SOURCE_DATE_EPOCH"]; ok {
		e.sourceDateEpoch = ""
		if v != nil {
			e.sourceDateEpoch = *v
		}
	}
	return e
}
