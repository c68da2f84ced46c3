package gocache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/packager-dev/packager/internal/testenv"
)

func TestRemoteHitAndMiss(t *testing.T) {
	_, repo := startRegistry(t)
	writeSession(t, repo, "a", "b", "c")

	r := newRunner(t, repo)
	for _, n := range []string{"a", "b", "c"} {
		if !r.get(t, n) {
			t.Errorf("fresh runner: %s missed, want a remote hit", n)
		}
	}
	if r.get(t, "never-built") {
		t.Error("an action nobody built hit")
	}
	if !r.get(t, "a") { // now from disk
		t.Error("second get of a missed")
	}
	r.close(t)
	st := r.Stats()
	if st.RemoteHits.Load() != 3 || st.LocalHits.Load() != 1 || st.Misses.Load() != 1 {
		t.Errorf("stats = %s, want 3 remote hits, 1 local hit, 1 miss", st)
	}
	if s := r.warn.String(); s != "" {
		t.Errorf("warnings: %s", s)
	}
}

func TestRemoteCorruptBlobIsAMiss(t *testing.T) {
	reg, repo := startRegistry(t)
	writeSession(t, repo, "good", "bad")

	// Flip the blob's bytes in the registry's storage, keeping its size.
	_, oid := output("bad")
	blob := filepath.Join(reg.DataDir, "docker/registry/v2/blobs/sha256", oid[:2], oid, "data")
	data, err := os.ReadFile(blob)
	if err != nil {
		t.Fatal(err)
	}
	copy(data, "CORRUPT")
	if err := os.WriteFile(blob, data, 0o644); err != nil {
		t.Fatal(err)
	}

	r := newRunner(t, repo)
	if r.get(t, "bad") {
		t.Fatal("corrupted blob was used")
	}
	if !r.get(t, "good") {
		t.Error("the good blob missed after a corrupt one: the remote level must stay on")
	}
	r.close(t)
	if w := r.warn.String(); !strings.Contains(w, "corrupt") || !strings.Contains(w, oid) {
		t.Errorf("warnings = %q, want one naming the corrupt output %s", w, oid)
	}
	if _, err := os.Stat(filepath.Join(r.local.Dir(), "o", oid)); err == nil {
		t.Error("the corrupt output was stored on disk")
	}
}

func TestRegistryKilledMidBuild(t *testing.T) {
	reg, repo := startRegistry(t)
	writeSession(t, repo, "a", "b")

	r := newRunner(t, repo)
	if !r.get(t, "a") {
		t.Fatal("a missed before the registry died")
	}
	reg.Stop()
	elapsed(t, 5*time.Second, "the rest of the build", func() {
		if r.get(t, "b") {
			t.Error("b hit with the registry dead")
		}
		for i := range 20 {
			r.put(t, fmt.Sprint("new", i))
			if !r.get(t, fmt.Sprint("new", i)) {
				t.Errorf("new%d: local put then get missed", i)
			}
		}
		r.close(t)
	})
	if n := strings.Count(r.warn.String(), "warning"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, r.warn)
	}
}

func TestRegistryDownOrHanging(t *testing.T) {
	hanging := hangingServer(t)
	for _, tc := range []struct{ name, repo string }{
		{"refused", testenv.RefusedAddr(t) + "/team/gocache"},
		{"hanging", hanging + "/team/gocache"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(t, tc.repo, WithTimeout(time.Second), WithFlushTimeout(2*time.Second))
			elapsed(t, 6*time.Second, "a build against a "+tc.name+" registry", func() {
				for i := range 10 {
					name := fmt.Sprint("x", i)
					if r.get(t, name) {
						t.Fatal("hit from nowhere")
					}
					r.put(t, name)
				}
				r.close(t)
			})
			if n := strings.Count(r.warn.String(), "warning"); n != 1 {
				t.Errorf("%d warnings, want 1:\n%s", n, r.warn)
			}
		})
	}
}

// hangingServer accepts connections and never answers: a registry that is
// up but stuck.
func hangingServer(t *testing.T) string {
	t.Helper()
	l := listen(t)
	var mu sync.Mutex
	var conns []interface{ Close() error }
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

func TestTwoWritersAtOnce(t *testing.T) {
	_, repo := startRegistry(t)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Both write "shared" and ten of their own.
			names := []string{"shared"}
			for i := range 10 {
				names = append(names, fmt.Sprintf("w%d-%d", w, i))
			}
			writeSession(t, repo, names...)
		}()
	}
	wg.Wait()

	r := newRunner(t, repo)
	for w := range 2 {
		for i := range 10 {
			if n := fmt.Sprintf("w%d-%d", w, i); !r.get(t, n) {
				t.Errorf("%s lost", n)
			}
		}
	}
	if !r.get(t, "shared") {
		t.Error("shared lost")
	}
	r.close(t)
}

func TestReadOnly(t *testing.T) {
	reg, repo := startRegistry(t)
	writeSession(t, repo, "trusted")

	ro := newRunner(t, repo, WithReadOnly())
	if !ro.get(t, "trusted") {
		t.Error("read-only runner missed what the registry has")
	}
	ro.put(t, "from-a-pull-request")
	ro.close(t)

	tags, err := remote.List(mustRepo(t, repo))
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 1 {
		t.Errorf("tags after a read-only build = %v, want only the trusted session", tags)
	}
	_, oid := output("from-a-pull-request")
	if _, err := os.Stat(filepath.Join(reg.DataDir, "docker/registry/v2/blobs/sha256", oid[:2], oid)); err == nil {
		t.Error("a read-only build uploaded its output")
	}
	r := newRunner(t, repo)
	if r.get(t, "from-a-pull-request") {
		t.Error("a read-only build wrote to the cache")
	}
	r.close(t)
}

func TestAuth(t *testing.T) {
	reg, repo := startRegistry(t, testenv.WithAuth())
	creds := WithKeychain(staticKeychain{authn.FromConfig(authn.AuthConfig{Username: reg.Username, Password: reg.Password})})

	w := newRunner(t, repo, creds)
	w.put(t, "a")
	w.close(t)
	if s := w.warn.String(); s != "" {
		t.Fatalf("writer with credentials warned: %s", s)
	}
	r := newRunner(t, repo, creds)
	if !r.get(t, "a") {
		t.Error("reader with credentials missed")
	}
	r.close(t)

	anon := newRunner(t, repo)
	if anon.get(t, "a") {
		t.Error("reader without credentials hit")
	}
	anon.close(t)
	if w := anon.warn.String(); !strings.Contains(w, "docker login "+reg.Host) {
		t.Errorf("warning without credentials = %q, want a docker login hint", w)
	}
}

type staticKeychain struct{ a authn.Authenticator }

func (k staticKeychain) Resolve(authn.Resource) (authn.Authenticator, error) { return k.a, nil }

func TestPruneRegistry(t *testing.T) {
	_, repo := startRegistry(t)
	writeSession(t, repo, "old")
	writeSession(t, repo, "new1", "new2")
	ctx := context.Background()
	b1, _ := output("new1")
	b2, _ := output("new2")

	// Size: room for the newest session's two outputs only.
	st, err := PruneRegistry(ctx, repo, Policy{MaxSize: int64(len(b1) + len(b2))}, time.Now(), WithKeychain(authn.NewMultiKeychain()))
	if err != nil {
		t.Fatal(err)
	}
	if st.Sessions != 2 || st.Deleted != 1 {
		t.Errorf("size prune: %+v, want 1 of 2 sessions deleted", st)
	}
	r := newRunner(t, repo)
	if r.get(t, "old") || !r.get(t, "new1") {
		t.Error("size prune removed the wrong session")
	}
	r.close(t)

	// Age: an hour from now, everything is older than 30 minutes.
	st, err = PruneRegistry(ctx, repo, Policy{MaxAge: 30 * time.Minute}, time.Now().Add(time.Hour), WithKeychain(authn.NewMultiKeychain()))
	if err != nil || st.Deleted != 1 {
		t.Fatalf("age prune: %+v, %v; want the last session deleted", st, err)
	}
	r = newRunner(t, repo)
	if r.get(t, "new1") {
		t.Error("age prune left new1")
	}
	r.close(t)
}

func mustRepo(t *testing.T, repo string) name.Repository {
	t.Helper()
	r, err := name.NewRepository(repo)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
