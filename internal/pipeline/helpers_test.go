package pipeline

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/oci"
)

// fakeGo is a go command for tests: `go build -o OUT PKG` copies a real
// static binary (examples/hello, built once with the real go) to OUT, and
// `go build -o DIR/ PKG...` to DIR/NAME for each package, NAME being the
// last element of its path (of the module's for "."); with $FAKE_GO_BLOCK
// set, it writes a line there and waits to be killed; with $FAKE_GO_LOG,
// it logs its arguments there. `go env GOROOT` answers the real GOROOT. It
// lets pipeline tests run without compiling, and shows whether a compile
// was cancelled.
const fakeGo = `#!/bin/sh
case "$1" in
build)
  [ -n "$FAKE_GO_LOG" ] && echo "$*" >> "$FAKE_GO_LOG"
  if [ -n "$FAKE_GO_BLOCK" ]; then echo started >> "$FAKE_GO_BLOCK"; exec sleep 600; fi
  while [ "$1" != -o ]; do shift; done
  out="$2"; shift 2
  case "$out" in
  */) for p in "$@"; do
        n=$(basename "$p"); [ "$p" = . ] && n=$(basename "$(sed -n 's/^module //p' go.mod)")
        rm -f "$out$n"; cp "$FAKE_GO_BINARY" "$out$n" || exit 1
      done;;
  *) rm -f "$out"; exec cp "$FAKE_GO_BINARY" "$out";;
  esac;;
env) exec go env "$@" ;;
*) echo "fake go: unexpected $*" >&2; exit 2;;
esac
`

var hello = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "pipeline-test-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "../../examples/hello")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", &exec.ExitError{Stderr: out}
	}
	return bin, os.WriteFile(filepath.Join(dir, "go"), []byte(fakeGo), 0o755)
})

// testRequest is a Request for the images in yaml, in a fresh module
// example.com/app, built with the fake go into an OCI layout.
func testRequest(t *testing.T, yaml string, extraEnv ...string) (Request, string) {
	t.Helper()
	bin, err := hello()
	if err != nil {
		t.Fatalf("build examples/hello: %v", err)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/app\n\ngo 1.26\n")
	write(t, filepath.Join(dir, "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(dir, "corp.pem"), "")
	f, err := config.Parse(filepath.Join(dir, "packager.yaml"), dir, []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	targets, err := f.Targets(config.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	layout := filepath.Join(t.TempDir(), "oci")
	out, err := oci.ParseOutput("oci:" + layout)
	if err != nil {
		t.Fatal(err)
	}
	environ := append(os.Environ(), "FAKE_GO_BINARY="+bin)
	return Request{
		Targets: targets, Outputs: []string{out.String()},
		Environ: append(environ, extraEnv...), GoBin: filepath.Join(filepath.Dir(bin), "go"),
		Created: time.Unix(0, 0).UTC(), Jobs: 2,
	}, layout
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// recorder collects events.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) Event(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) kinds(k Kind) []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, e := range r.events {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

func runOK(t *testing.T, r Request) {
	t.Helper()
	if err := Run(context.Background(), r); err != nil {
		t.Fatal(err)
	}
}
