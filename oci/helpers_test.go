package oci

import (
	"archive/tar"
	"errors"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

var (
	linuxAmd64 = v1.Platform{OS: "linux", Architecture: "amd64"}
	linuxArm64 = v1.Platform{OS: "linux", Architecture: "arm64"}
	linuxArmV7 = v1.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
)

// startRegistry runs ggcr's in-memory registry and returns its host:port.
func startRegistry(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// anonymous keeps tests independent of the developer's ~/.docker/config.json.
var anonymous = WithKeychain(authn.NewMultiKeychain())

// writeFile writes data to a new file in a test directory and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustValidate(t *testing.T, img v1.Image) {
	t.Helper()
	if err := validate.Image(img); err != nil {
		t.Fatalf("validate.Image: %v", err)
	}
}

func mustDigest(t *testing.T, d interface{ Digest() (v1.Hash, error) }) v1.Hash {
	t.Helper()
	h, err := d.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func mustConfig(t *testing.T, img v1.Image) *v1.ConfigFile {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return cf
}

// tarFile is one entry read back from a layer.
type tarFile struct {
	hdr  *tar.Header
	data []byte
}

// readLayer returns a layer's entries by name, in tar order.
func readLayer(t *testing.T, l v1.Layer) ([]string, map[string]tarFile) {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var names []string
	files := map[string]tarFile{}
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
		files[hdr.Name] = tarFile{hdr: hdr, data: data}
	}
	return names, files
}

// lastLayer returns the top layer of img.
func lastLayer(t *testing.T, img v1.Image) v1.Layer {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) == 0 {
		t.Fatal("image has no layers")
	}
	return ls[len(ls)-1]
}

func wantErrContains(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", parts)
	}
	t.Logf("error: %v", err)
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func mustRef(t *testing.T, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// closedAddr returns a 127.0.0.1 address nothing listens on: it listens on a
// free port and closes it again.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func mustTag(t *testing.T, s string) *name.Tag {
	t.Helper()
	tag, err := name.NewTag(s)
	if err != nil {
		t.Fatal(err)
	}
	return &tag
}

func mustConfigName(t *testing.T, img v1.Image) v1.Hash {
	t.Helper()
	h, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// brokenImage returns an image whose layer cannot be read, so publishing
// it fails part way.
func brokenImage(t *testing.T) v1.Image {
	t.Helper()
	base, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	l, err := partial.CompressedToLayer(brokenLayer{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.Append(base, mutate.Addendum{Layer: l})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// brokenLayer claims a digest but fails when its bytes are read, like a
// blob lost from disk between build and publish.
type brokenLayer struct{}

func (brokenLayer) Digest() (v1.Hash, error) {
	return v1.NewHash("sha256:0000000000000000000000000000000000000000000000000000000000000001")
}
func (brokenLayer) DiffID() (v1.Hash, error) {
	return v1.NewHash("sha256:0000000000000000000000000000000000000000000000000000000000000002")
}
func (brokenLayer) Size() (int64, error)                { return 10, nil }
func (brokenLayer) MediaType() (types.MediaType, error) { return types.OCILayer, nil }
func (brokenLayer) Compressed() (io.ReadCloser, error) {
	return nil, errors.New("layer bytes are gone")
}
