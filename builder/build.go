package builder

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/packager-dev/packager/vocab"
)

// Options for one build.
type Options struct {
	Dir      string   // directory `go build` runs in
	Env      []string // base environment (the caller passes os.Environ())
	UserEnv  []string // the user's build_env ("K=V"), appended LAST so it wins, even over CGO_ENABLED=0
	Platform vocab.Platform
	Ldflags  []string // user's, appended after "-s -w"
	Flags    []string // user's extra go build flags, before the package
	Cgo      bool     // allow CGO_ENABLED=1 and a dynamic result
	GoBin    string   // "go" if empty
}

// waitDelay bounds how long a cancelled go build may take to exit after it
// was asked to stop, before it is killed outright.
const waitDelay = 10 * time.Second

// Build compiles pkg into output (a file path whose parent exists) with
//
//	go build -trimpath -ldflags="-s -w <user ldflags>" <user flags> -o <output> <importpath>
//
// -trimpath makes the bytes independent of where the source was checked
// out (the Go build ID is a hash of the inputs, so it is reproducible too);
// -s -w drop symbols an image does not need. The user's Go build cache is
// reused. The binary is written next to output and renamed into place only
// after [CheckBinary] accepts it, so a failed or cancelled build never
// leaves a half-written or unusable file at output.
func Build(ctx context.Context, pkg Package, output string, o Options) error {
	where := fmt.Sprintf("build %s for %s", pkg.ImportPath, o.Platform)
	tmpDir, err := os.MkdirTemp(filepath.Dir(output), ".packager-build-*")
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, filepath.Base(output))
	if err := goBuild(ctx, pkg, tmp, output, tmpDir, o); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if err := os.Rename(tmp, output); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// goBuild runs go build -o target and checks the result. shown is the
// output path printed in a failure's command line (what a user would
// re-run); work is a directory for go's temporary files on target's file
// system, removed by the caller.
func goBuild(ctx context.Context, pkg Package, target, shown, work string, o Options) error {
	env, err := newGoEnv(o.Env, o.Cgo, o.Platform, o.UserEnv)
	if err != nil {
		return err
	}
	if out, err := runGo(ctx, env, buildArgs(pkg, target, o), work, o); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("stopped: %w", ctx.Err())
		}
		shownCmd := commandLine(goBinary(o), buildArgs(pkg, shown, o), env.overrides)
		return fmt.Errorf("go build: %w\n%s\ncommand (in %s):\n  %s%s",
			err, indent(trimOutput(out)), dirName(o.Dir), shownCmd, cgoHint(pkg, env, o.Flags))
	}
	return CheckBinary(target, o.Platform, o.Cgo)
}

// runGo runs the go command with args in o.Dir and returns its combined
// output. work is a directory for go's temporary files on the output's
// file system, removed by the caller.
func runGo(ctx context.Context, env goEnv, args []string, work string, o Options) (string, error) {
	cmd := exec.CommandContext(ctx, goBinary(o), args...)
	cmd.Dir = o.Dir
	cmd.Env = env.list()
	if !hasKey(o.UserEnv, "GOTMPDIR") {
		// go build leaves its work directory behind when it is interrupted;
		// inside work it is removed with everything else. Being on target's
		// file system also lets go rename the linked binary into place
		// instead of copying it. Only a GOTMPDIR from build_env is honoured:
		// nothing is executed from it.
		cmd.Env = dedupe(append(cmd.Env, "GOTMPDIR="+work))
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	stopGently(cmd)
	err := cmd.Run()
	return out.String(), err
}

func goBinary(o Options) string {
	if o.GoBin == "" {
		return "go"
	}
	return o.GoBin
}

// buildArgs is the go command line after "go".
func buildArgs(pkg Package, output string, o Options) []string {
	return append(flagArgs(o), "-o", output, pkg.ImportPath)
}

// flagArgs is the go command line after "go" up to -o.
func flagArgs(o Options) []string {
	ldflags := strings.Join(append([]string{"-s", "-w"}, o.Ldflags...), " ")
	args := []string{"build", "-trimpath", "-ldflags=" + ldflags}
	return append(args, o.Flags...)
}

// hasKey reports whether env sets key.
func hasKey(env []string, key string) bool {
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			return true
		}
	}
	return false
}

// cgoHint explains a compile failure that is probably caused by cgo files
// being left out (code in main.go calling a function from cgo.go); Resolve
// only rejects packages that have no Go files left at all.
func cgoHint(pkg Package, env goEnv, flags []string) string {
	if env.cgoEnabled() || pkg.Dir == "" {
		return ""
	}
	paths, err := filepath.Glob(filepath.Join(pkg.Dir, "*.go"))
	if err != nil {
		return ""
	}
	files := cgoOnlyFiles(paths, env, flags)
	if len(files) == 0 {
		return ""
	}
	return "\nnote: " + needsCgo(pkg.ImportPath, files).Error()
}
