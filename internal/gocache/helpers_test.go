package gocache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/packager-dev/packager/internal/testenv"
)

// actionID is a stable fake ActionID for a name.
func actionID(name string) string {
	s := sha256.Sum256([]byte("action " + name))
	return hex.EncodeToString(s[:])
}

// output is the bytes an action "produced", and their OutputID.
func output(name string) ([]byte, string) {
	b := []byte(strings.Repeat("output of "+name+"\n", 100))
	s := sha256.Sum256(b)
	return b, hex.EncodeToString(s[:])
}

// runner is one build machine: its own empty disk, the shared registry.
type runner struct {
	*Tiered
	reg  *Registry
	warn *testenv.SyncBuffer
}

func newRunner(t *testing.T, repo string, opts ...RegistryOption) *runner {
	t.Helper()
	disk, err := OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	warn := &testenv.SyncBuffer{}
	opts = append([]RegistryOption{WithWarnings(warn), WithKeychain(authn.NewMultiKeychain())}, opts...)
	reg, err := OpenRegistry(repo, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &runner{Tiered: NewTiered(disk, reg, warn), reg: reg, warn: warn}
}

// put stores name's output under name's action and fails the test on error.
func (r *runner) put(t *testing.T, name string) {
	t.Helper()
	body, oid := output(name)
	if _, err := r.Put(context.Background(), actionID(name), oid, int64(len(body)), bytes.NewReader(body)); err != nil {
		t.Fatalf("put %s: %v", name, err)
	}
}

// get reports whether name's action hits, and checks the bytes if it does.
func (r *runner) get(t *testing.T, name string) bool {
	t.Helper()
	e, ok, err := r.Get(context.Background(), actionID(name))
	if err != nil {
		t.Fatalf("get %s: %v", name, err)
	}
	if !ok {
		return false
	}
	want, oid := output(name)
	got, err := os.ReadFile(e.DiskPath)
	if err != nil || !bytes.Equal(got, want) || e.OutputID != oid {
		t.Fatalf("get %s: hit with wrong bytes or OutputID (err %v)", name, err)
	}
	return true
}

func (r *runner) close(t *testing.T) {
	t.Helper()
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// writeSession is a runner that puts names and closes: one build.
func writeSession(t *testing.T, repo string, names ...string) {
	t.Helper()
	w := newRunner(t, repo)
	for _, n := range names {
		w.put(t, n)
	}
	w.close(t)
	if s := w.warn.String(); s != "" {
		t.Fatalf("writer warned: %s", s)
	}
}

// startRegistry starts a real docker-registry and returns a repository in it.
func startRegistry(t *testing.T, opts ...testenv.RegistryOption) (*testenv.Registry, string) {
	t.Helper()
	reg := testenv.StartRegistry(t, opts...)
	return reg, reg.Host + "/team/gocache"
}

// elapsed fails the test if f takes longer than max.
func elapsed(t *testing.T, max time.Duration, what string, f func()) {
	t.Helper()
	start := time.Now()
	f()
	if d := time.Since(start); d > max {
		t.Errorf("%s took %s, want at most %s", what, d, max)
	}
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l
}
