package oci

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/stream"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/packager-dev/packager/internal/testenv"
)

// earlySpec is a spec whose binary is 3 MB of random bytes (several
// compressed blocks), built through a memory cache, with EarlyUpload
// handing the early layer to got.
func earlySpec(t *testing.T, got chan<- v1.Layer) Spec {
	t.Helper()
	static, err := StaticBase(linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	s := testSpec(t, static)
	bin := filepath.Join(t.TempDir(), "app")
	if err := os.WriteFile(bin, randomBytes(t, 3<<20), 0o755); err != nil {
		t.Fatal(err)
	}
	s.Binaries[0].Source = bin
	s.Cache = newMemCache()
	s.EarlyUpload = func(l v1.Layer) { got <- l }
	return s
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// The early layer streams exactly the bytes of the image's binaries
// layer, and knows its digest and size once they have all been read.
func TestEarlyLayerIsTheBinariesLayer(t *testing.T) {
	got := make(chan v1.Layer, 1)
	s := earlySpec(t, got)
	read := make(chan []byte, 1)
	go func() {
		l := <-got
		if _, err := l.Digest(); !errors.Is(err, stream.ErrNotComputed) {
			t.Errorf("digest before the bytes: %v, want stream.ErrNotComputed", err)
		}
		rc, err := l.Compressed()
		if err != nil {
			t.Error(err)
			read <- nil
			return
		}
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Error(err)
		}
		rc.Close()
		if _, err := l.Compressed(); err == nil {
			t.Error("a second read of an early layer succeeded; its bytes can be read once")
		}
		read <- data
		got <- l
	}()
	img := mustBuild(t, s)
	data := <-read
	l := <-got
	want := lastLayer(t, img)
	wantDigest, gotDigest := mustDigest(t, want), mustDigest(t, l)
	if gotDigest != wantDigest {
		t.Errorf("early layer digest %s, image layer %s", gotDigest, wantDigest)
	}
	if h, _, _ := v1.SHA256(bytes.NewReader(data)); h != wantDigest {
		t.Errorf("early layer bytes hash to %s, want %s", h, wantDigest)
	}
	if size, _ := l.Size(); size != int64(len(data)) {
		t.Errorf("size %d, read %d bytes", size, len(data))
	}
	// A second build hits the cache: nothing is handed out.
	mustBuild(t, s)
	select {
	case l := <-got:
		t.Errorf("a cached layer was handed out for an early upload: %v", l)
	default:
	}
}

// A reader that falls behind by more than maxTapBuffer is dropped; the
// compression does not wait for it and the layer is built all the same.
func TestEarlyLayerDroppedWhenBehind(t *testing.T) {
	tap := newLayerTap(types.OCILayer)
	if !tap.take() {
		t.Fatal("the first pass did not take the tap")
	}
	rc, err := tap.layer().Compressed()
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for range maxTapBuffer>>20 + 1 {
		if n, err := tap.Write(chunk); n != len(chunk) || err != nil {
			t.Fatalf("write: %d, %v", n, err)
		}
	}
	tap.finish(layerSums{size: 1}, nil)
	if _, err := io.ReadAll(rc); !errors.Is(err, errTapDropped) {
		t.Errorf("read: %v, want errTapDropped", err)
	}
}

// An early layer whose layer is never made (the build failed before
// compressing it) does not leave its reader waiting.
func TestEarlyLayerNeverMade(t *testing.T) {
	got := make(chan v1.Layer, 1)
	s := earlySpec(t, got)
	s.Cache = failingCache{}
	if _, err := Build(context.Background(), s); err == nil {
		t.Fatal("Build with a failing cache succeeded")
	}
	l := <-got
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := io.ReadAll(rc); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("read an early layer that was never made without an error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reader of an early layer never made is still waiting")
	}
}

type failingCache struct{}

func (failingCache) Get(string) (v1.Layer, bool, error) { return nil, false, nil }
func (failingCache) Put(string, v1.Layer) (v1.Layer, error) {
	return nil, errors.New("disk full")
}

// UploadLayer streams an early layer to Debian's docker-registry while the
// image is built; the blob is there afterwards, under the digest the
// image's manifest names.
func TestEarlyUploadToDockerRegistry(t *testing.T) {
	reg := testenv.StartRegistry(t)
	repo := reg.Host + "/early/app"
	got := make(chan v1.Layer, 1)
	s := earlySpec(t, got)
	uploaded := make(chan error, 1)
	go func() { uploaded <- UploadLayer(context.Background(), repo, <-got, anonymous) }()
	img := mustBuild(t, s)
	if err := <-uploaded; err != nil {
		t.Fatal(err)
	}
	want := mustDigest(t, lastLayer(t, img))
	ref, err := name.NewDigest(repo + "@" + want.String())
	if err != nil {
		t.Fatal(err)
	}
	blob, err := remote.Layer(ref)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := blob.Compressed()
	if err != nil {
		t.Fatalf("the registry has no blob %s after the early upload: %v", want, err)
	}
	defer rc.Close()
	h, _, err := v1.SHA256(rc)
	if err != nil || h != want {
		t.Errorf("blob %s hashes to %s (%v)", want, h, err)
	}
}
