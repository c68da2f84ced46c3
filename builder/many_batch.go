package builder

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// buildBatch runs one go build -o DIR/ for the units of b, whose names
// differ, and records the outcome of each unit it settles in errs. It
// returns the units to build alone: after a failed go build, those it did
// not link, so each failure gets its own error.
func buildBatch(ctx context.Context, b []*unit, cacheDir string, o Options, errs []error) (solo []*unit) {
	env, err := newGoEnv(o.Env, o.Cgo, o.Platform, o.UserEnv)
	if err != nil {
		return b // each build alone reports it
	}
	work, err := workDir(b, cacheDir)
	if err != nil {
		return b
	}
	defer os.RemoveAll(work)
	out := filepath.Join(work, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		return b
	}
	seeds := make([]os.FileInfo, len(b))
	if cacheDir != "" {
		unlock, err := lockUnits(ctx, b, cacheDir, o)
		if err != nil {
			return b
		}
		defer unlock() // before the solo builds, which take the locks again
		seedTargets(b, cacheDir, out, o, seeds)
	}
	args := flagArgs(o)
	args = append(args, "-o", out+string(filepath.Separator))
	for _, u := range b {
		args = append(args, u.pkg.ImportPath)
	}
	_, runErr := runGo(ctx, env, args, work, o)
	if runErr != nil && ctx.Err() != nil {
		for _, u := range b {
			setErr(errs, u, fmt.Errorf("build %s for %s: stopped: %w", u.pkg.ImportPath, o.Platform, ctx.Err()))
		}
		return nil
	}
	for i, u := range b {
		bin := filepath.Join(out, u.name)
		fi, err := os.Stat(bin)
		// A binary go linked in this run is a new file: go replaces its
		// targets by rename. An old one may be stale if go failed.
		fresh := err == nil && (seeds[i] == nil || !os.SameFile(seeds[i], fi))
		if err != nil || (runErr != nil && !fresh) {
			solo = append(solo, u)
			continue
		}
		setErr(errs, u, settle(u, bin, cacheDir, o))
	}
	return solo
}

// settle checks a unit's binary, keeps it as the unit's stable target when
// there is a cache, and links it to the unit's outputs.
func settle(u *unit, bin, cacheDir string, o Options) error {
	where := fmt.Sprintf("build %s for %s", u.pkg.ImportPath, o.Platform)
	target := ""
	if cacheDir != "" {
		target = filepath.Join(cacheDir, cacheKey(u.pkg, o), "bin")
	}
	if err := CheckBinary(bin, o.Platform, o.Cgo); err != nil {
		if target != "" {
			// A binary CheckBinary refused must not be taken as up to date next time.
			os.Remove(target)
		}
		return fmt.Errorf("%s: %w", where, err)
	}
	if target != "" {
		if err := keep(bin, target); err != nil {
			return fmt.Errorf("%s: cache: %w", where, err)
		}
	}
	for _, out := range u.outputs {
		if err := linkOrCopy(bin, out); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	return nil
}

// lockUnits takes the lock of every unit's stable target directory, in
// the order of their names so two packager processes never wait for each
// other in a cycle.
func lockUnits(ctx context.Context, b []*unit, cacheDir string, o Options) (unlock func(), err error) {
	dirs := make([]string, 0, len(b))
	for _, u := range b {
		dirs = append(dirs, filepath.Join(cacheDir, cacheKey(u.pkg, o)))
	}
	slices.Sort(dirs)
	var unlocks []func()
	unlock = func() {
		for _, f := range slices.Backward(unlocks) {
			f()
		}
	}
	for _, d := range dirs {
		f, err := lockTarget(ctx, d)
		if err != nil {
			unlock()
			return nil, err
		}
		unlocks = append(unlocks, f)
	}
	return unlock, nil
}

// seedTargets hard-links each unit's stable target into out, where go
// build -o out/ finds it up to date and skips the link. seeds[i] records
// the file seeded for b[i].
func seedTargets(b []*unit, cacheDir, out string, o Options, seeds []os.FileInfo) {
	for i, u := range b {
		target := filepath.Join(cacheDir, cacheKey(u.pkg, o), "bin")
		if err := os.Link(target, filepath.Join(out, u.name)); err != nil {
			continue // no target yet, or another file system: go links anew
		}
		seeds[i], _ = os.Stat(target)
	}
}

// keep makes target the file bin is, atomically: a hard link renamed over
// it. The caller holds target's lock.
func keep(bin, target string) error {
	if a, err := os.Stat(target); err == nil {
		if b, err := os.Stat(bin); err == nil && os.SameFile(a, b) {
			return nil
		}
	}
	tmp := target + ".new"
	os.Remove(tmp)
	if err := os.Link(bin, tmp); err != nil {
		return copyAtomic(bin, target)
	}
	return os.Rename(tmp, target)
}
