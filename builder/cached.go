package builder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/packager-dev/packager/internal/atomicfile"
	"github.com/packager-dev/packager/internal/flock"
)

// BuildCached is [Build] with a persistent link target: the binary is built
// at a stable path under cacheDir, where go's own up-to-date check (the
// build ID it stamps into every binary) skips the link when nothing changed,
// and then copied to output. A warm rebuild of an unchanged program costs a
// `go list`-sized check instead of a full link.
//
// The stable path depends on the package, its directory, the platform and
// cgo, so different programs do not evict each other; everything else that
// changes the binary (flags, ldflags, environment, sources) is go's to
// notice. output is a hard link when it is on the cache's file system. Concurrent packager processes take an exclusive lock on the
// directory while they build and copy, so one never copies a binary
// another is replacing.
func BuildCached(ctx context.Context, pkg Package, output, cacheDir string, o Options) error {
	where := fmt.Sprintf("build %s for %s", pkg.ImportPath, o.Platform)
	dir := filepath.Join(cacheDir, cacheKey(pkg, o))
	unlock, err := lockTarget(ctx, dir)
	if err != nil {
		return fmt.Errorf("%s: cache: %w", where, err)
	}
	defer unlock()

	work, err := os.MkdirTemp(dir, "work-*")
	if err != nil {
		return fmt.Errorf("%s: cache: %w", where, err)
	}
	defer os.RemoveAll(work)
	target := filepath.Join(dir, "bin")
	if err := goBuild(ctx, pkg, target, output, work, o); err != nil {
		// A binary CheckBinary refused must not be taken as up to date next time.
		os.Remove(target)
		return fmt.Errorf("%s: %w", where, err)
	}
	if err := linkOrCopy(target, output); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// linkOrCopy makes output a hard link to target when both are on one file
// system, else a copy. A link is safe: go never writes into an existing
// target, it replaces it (rename, or remove and create), so output keeps
// the bytes it had when it was linked.
func linkOrCopy(target, output string) error {
	os.Remove(output)
	if err := os.Link(target, output); err == nil {
		return nil
	}
	return copyAtomic(target, output)
}

// cacheKey names the stable build directory of pkg for o.
func cacheKey(pkg Package, o Options) string {
	h := sha256.New()
	for _, s := range []string{"packager-bin-v1", pkg.ImportPath, pkg.Dir, o.Dir, o.Platform.String(), fmt.Sprint(o.Cgo), o.GoBin} {
		h.Write(append([]byte(s), 0)) // a hash.Hash never fails to write
	}
	name := filepath.Base(pkg.ImportPath)
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, name)
	return name + "-" + hex.EncodeToString(h.Sum(nil))[:24]
}

// copyAtomic copies src to dst through a temporary file next to dst.
func copyAtomic(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(context.Background(), dst, 0o755, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// lockTarget creates a stable link-target directory, takes its lock (other
// packager processes wait) and marks it used now, so the cache's trim
// keeps it.
func lockTarget(ctx context.Context, dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	unlock, err := flock.Lock(ctx, filepath.Join(dir, ".lock"))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	_ = os.Chtimes(dir, now, now)
	return unlock, nil
}
