package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/internal/flock"
	"github.com/packager-dev/packager/oci"
)

func TestRunEvents(t *testing.T) {
	r, dir := testRequest(t, "platforms: [linux/amd64]\nbase: scratch\nimages:\n  - name: app\n    main: .\n")
	rec := &recorder{}
	r.Events = rec
	runOK(t, r)
	if got := rec.kinds(CompileStarted); len(got) != 1 || got[0].Image != "app" || got[0].Platform.String() != "linux/amd64" {
		t.Errorf("CompileStarted events: %+v", got)
	}
	if got := rec.kinds(CompileFinished); len(got) != 1 || got[0].Err != nil || got[0].Package != "example.com/app" || got[0].Main != "." {
		t.Errorf("CompileFinished events: %+v", got)
	}
	built := rec.kinds(ImageBuilt)
	if len(built) != 1 || !strings.HasPrefix(built[0].Digest, "sha256:") || built[0].Size < 100_000 {
		t.Fatalf("ImageBuilt events: %+v", built)
	}
	pub := rec.kinds(Published)
	if len(pub) != 1 || len(pub[0].Refs) != 1 || pub[0].Refs[0] != "oci:"+dir+"@"+built[0].Digest {
		t.Errorf("Published events: %+v (image %s)", pub, built[0].Digest)
	}
}

// A preparation that fails (here: a ca_certs file that is gone) stops the
// compiles that run beside it, and its error is the one reported.
func TestFailingPreparationCancelsCompiles(t *testing.T) {
	started := filepath.Join(t.TempDir(), "started")
	r, dir := testRequest(t, "images:\n  - name: app\n    main: .\n    ca_certs: [corp.pem]\n", "FAKE_GO_BLOCK="+started)
	// config checks that ca_certs exist; remove it after, as a racing
	// checkout would, so only the preparation finds out.
	if err := os.Remove(r.Targets[0].CACerts[0]); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), r) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "ca_certs[0]") {
			t.Fatalf("Run = %v, want the ca_certs error", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run still waits for a compile after its preparation failed")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("output %s exists after a failed build", dir)
	}
}

// Every image and platform that names one base shares one load of it.
func TestBaseLoadedOncePerReferenceAndPlatform(t *testing.T) {
	r, _ := testRequest(t, `platforms: [linux/amd64, linux/arm64]
base: scratch
images:
  - {name: a, main: .}
  - {name: b, main: .}
  - {name: c, main: ., platforms: [linux/amd64]}
`)
	var loads atomic.Int32
	a, stopEarly, err := r.assembler(context.Background(), nil, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer stopEarly()
	a.bases.load = func(ctx context.Context, ref string, p v1.Platform, o ...oci.Option) (v1.Image, error) {
		loads.Add(1)
		return oci.Base(ctx, ref, p, o...)
	}
	get := a.bases.with(context.Background())
	for _, tg := range r.Targets {
		for _, p := range tg.Platforms {
			if _, err := get(tg.Base, v1.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := loads.Load(); n != 2 {
		t.Errorf("base loaded %d times for 5 image × platform jobs on 2 platforms, want 2", n)
	}
}

func TestDockerFormatDropsAnnotations(t *testing.T) {
	r, dir := testRequest(t, `platforms: [linux/amd64]
base: scratch
images:
  - name: app
    main: .
    annotations: {org.example.team: payments}
`)
	r.Format, r.Index = FormatDocker, true
	runOK(t, r)
	p, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	ii, err := p.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	im, err := ii.IndexManifest()
	if err != nil || len(im.Manifests) != 1 {
		t.Fatalf("layout index: %v %v", im, err)
	}
	idx, err := ii.ImageIndex(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	list, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if list.MediaType != types.DockerManifestList || len(list.Annotations) != 0 {
		t.Errorf("index media type %s, annotations %v; want a Docker manifest list without annotations", list.MediaType, list.Annotations)
	}
	img, err := idx.Image(list.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaType != types.DockerManifestSchema2 || len(m.Annotations) != 0 {
		t.Errorf("image media type %s, annotations %v; want Docker schema 2 without annotations", m.MediaType, m.Annotations)
	}
}

func TestTemplateErrorIsConfigError(t *testing.T) {
	r, _ := testRequest(t, "images:\n  - name: app\n    main: .\n    tags: ['{{.Env.PACKAGER_TEST_UNSET}}']\n")
	err := Run(context.Background(), r)
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "packager.yaml:4:") {
		t.Fatalf("Run = %v, want a ConfigError at the tag's line", err)
	}
}

func TestRequestNotChanged(t *testing.T) {
	r, _ := testRequest(t, "images:\n  - name: app\n    main: .\n    ldflags: ['-X main.v={{.Date}}']\n")
	before := r.Targets[0].Ldflags[0]
	runOK(t, r)
	if r.Targets[0].Ldflags[0] != before {
		t.Errorf("Run rendered the caller's ldflags in place: %q", r.Targets[0].Ldflags[0])
	}
}

func TestCollectorSummary(t *testing.T) {
	r, dir := testRequest(t, "platforms: [linux/amd64, linux/arm64]\nbase: scratch\nimages:\n  - {name: b, main: .}\n  - {name: a, main: .}\n")
	// The fake go copies one amd64 binary; arm64 would fail its ELF check,
	// so build amd64 only and check order and fields.
	for i := range r.Targets {
		r.Targets[i].Platforms = r.Targets[i].Platforms[:1]
	}
	c := &Collector{}
	r.Events = c
	runOK(t, r)
	s := c.Summary()
	if len(s.Images) != 2 || s.Images[0].Name != "b" || s.Images[1].Name != "a" {
		t.Fatalf("images %+v, want b then a", s.Images)
	}
	for _, img := range s.Images {
		if len(img.Refs) != 1 || !strings.HasPrefix(img.Refs[0], "oci:"+dir+"@sha256:") ||
			len(img.Platforms) != 1 || img.Platforms[0].Platform != "linux/amd64" || img.Platforms[0].Size == 0 ||
			len(img.Tags) != 1 || img.Tags[0] != "latest" {
			t.Errorf("image %+v", img)
		}
	}
}

// Staging a killed run left in the cache is removed by the next run; a
// staging directory some live run holds is kept.
func TestStaleStagingRemoved(t *testing.T) {
	r, _ := testRequest(t, "base: scratch\nimages:\n  - {name: app, main: .}\n")
	r.CacheDir = t.TempDir()
	stale := filepath.Join(r.CacheDir, "tmp", "packager-killed")
	live := filepath.Join(r.CacheDir, "tmp", "packager-live")
	for _, d := range []string{stale, live} {
		write(t, filepath.Join(d, "app-linux-amd64-0"), "half a binary")
	}
	unlock, err := flock.Lock(context.Background(), live)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	runOK(t, r)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale staging %s is still there (%v)", stale, err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a live run's staging was removed: %v", err)
	}
	ents, _ := os.ReadDir(filepath.Join(r.CacheDir, "tmp"))
	if len(ents) != 1 {
		t.Errorf("cache tmp holds %d entries after the run, want only the live one", len(ents))
	}
}

// Runs starting at once never sweep each other's new staging: each one's
// directory still exists, locked, until it releases it.
func TestConcurrentStagingSurvives(t *testing.T) {
	r := &Request{CacheDir: t.TempDir()}
	const n = 16
	dirs := make([]string, n)
	releases := make([]func(), n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dirs[i], releases[i], errs[i] = r.stagingDir()
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if _, err := os.Stat(dirs[i]); err != nil {
			t.Errorf("run %d's staging was removed by another run: %v", i, err)
		}
	}
	for _, release := range releases {
		release()
	}
}

// Without a cache, staging lives in a private directory of this user's
// under the temporary directory, swept the same way; where that directory
// is not private (another user made it first in a shared /tmp), a plain
// temporary directory is used and nothing there is touched.
func TestNoCacheStaging(t *testing.T) {
	tmp := t.TempDir()
	r := &Request{TempDir: tmp}
	parent := filepath.Join(tmp, fmt.Sprintf("packager-staging-%d", os.Getuid()))
	stale := filepath.Join(parent, "packager-killed")
	write(t, filepath.Join(stale, "app-linux-amd64-0"), "half a binary")
	if err := os.Chmod(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	dir, release, err := r.stagingDir()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(dir) != parent {
		t.Errorf("staging %s, want it in %s", dir, parent)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale staging %s is still there (%v)", stale, err)
	}
	release()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("released staging %s is still there (%v)", dir, err)
	}

	// Not private: used by nobody, swept by nobody.
	write(t, filepath.Join(stale, "x"), "someone else's")
	if err := os.Chmod(parent, 0o777); err != nil {
		t.Fatal(err)
	}
	dir, release, err = r.stagingDir()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if filepath.Dir(dir) != tmp {
		t.Errorf("staging %s, want a plain temporary directory in %s", dir, tmp)
	}
	if _, err := os.Stat(stale); err != nil {
		t.Errorf("a directory that is not ours was swept: %v", err)
	}
}
