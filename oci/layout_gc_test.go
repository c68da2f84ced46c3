package oci

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// foreignLayout is an OCI layout packager wrote one tag to, for tests that
// then add what other tools write.
type foreignLayout struct {
	t   *testing.T
	dir string
	out Output
}

func newForeignLayout(t *testing.T) *foreignLayout {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "oci")
	out, err := ParseOutput("oci:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	l := &foreignLayout{t: t, dir: dir, out: out}
	l.write("packager", "v1")
	return l
}

// write adds (or replaces) REPO:TAG with a new image, as packager does.
func (l *foreignLayout) write(repo, tag string) {
	l.t.Helper()
	img := testImage(l.t, linuxAmd64, repo+":"+tag)
	if _, err := l.out.Write(context.Background(), []Artifact{{Repository: repo, Tags: []string{tag}, Image: img}}); err != nil {
		l.t.Fatalf("write %s:%s: %v", repo, tag, err)
	}
}

// blob writes data as a blob and returns its digest.
func (l *foreignLayout) blob(data string) v1.Hash {
	l.t.Helper()
	h, _, err := v1.SHA256(strings.NewReader(data))
	if err != nil {
		l.t.Fatal(err)
	}
	if err := os.WriteFile(l.path(h), []byte(data), 0o644); err != nil {
		l.t.Fatal(err)
	}
	return h
}

// missing is the digest of a blob the layout does not have.
func (l *foreignLayout) missing(data string) v1.Hash {
	l.t.Helper()
	h, _, err := v1.SHA256(strings.NewReader(data))
	if err != nil {
		l.t.Fatal(err)
	}
	return h
}

func (l *foreignLayout) path(h v1.Hash) string {
	return filepath.Join(l.dir, "blobs", h.Algorithm, h.Hex)
}

// doc is a JSON document: a manifest, or a descriptor.
type doc map[string]any

func desc(mediaType string, h v1.Hash, size int) doc {
	d := doc{"digest": h.String(), "size": size}
	if mediaType != "" {
		d["mediaType"] = mediaType
	}
	return d
}

// manifest writes m as a blob and returns a descriptor of it with the
// given media type ("" for none).
func (l *foreignLayout) manifest(mediaType string, m doc) doc {
	l.t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		l.t.Fatal(err)
	}
	return desc(mediaType, l.blob(string(raw)), len(raw))
}

// tag adds descriptors to index.json, as another tool would.
func (l *foreignLayout) tag(ds ...doc) {
	l.t.Helper()
	p := filepath.Join(l.dir, "index.json")
	raw, err := os.ReadFile(p)
	if err != nil {
		l.t.Fatal(err)
	}
	var idx map[string]any
	if err := json.Unmarshal(raw, &idx); err != nil {
		l.t.Fatal(err)
	}
	ms, _ := idx["manifests"].([]any)
	for _, d := range ds {
		ms = append(ms, d)
	}
	idx["manifests"] = ms
	if raw, err = json.Marshal(idx); err != nil {
		l.t.Fatal(err)
	}
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		l.t.Fatal(err)
	}
}

// exists reports whether the layout still has blob h.
func (l *foreignLayout) exists(h v1.Hash) bool {
	_, err := os.Stat(l.path(h))
	return err == nil
}

func digestOfDesc(d doc) v1.Hash {
	h, err := v1.NewHash(d["digest"].(string))
	if err != nil {
		panic(err)
	}
	return h
}

const (
	ociManifestType = "application/vnd.oci.image.manifest.v1+json"
	ociIndexType    = "application/vnd.oci.image.index.v1+json"
	ociConfigType   = "application/vnd.oci.image.config.v1+json"
	ociLayerType    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

// TestLayoutGCKeepsForeignContent writes into a layout that other tools
// wrote to as well: an OCI artifact manifest with blobs and a subject,
// descriptors without or with an unknown media type, an artifact whose
// layers have non-image media types, a Docker schema 1 manifest. Neither
// packager's writes nor GCLayout may remove any of their blobs; a blob
// nothing reaches still goes.
func TestLayoutGCKeepsForeignContent(t *testing.T) {
	l := newForeignLayout(t)
	var keep []v1.Hash
	blob := func(data string) v1.Hash {
		h := l.blob(data)
		keep = append(keep, h)
		return h
	}
	image := func(mediaType, name string) doc {
		cfg, layer := blob(`{"architecture":"amd64","os":"linux","`+name+`":1}`), blob("layer of "+name)
		d := l.manifest(mediaType, doc{
			"schemaVersion": 2, "mediaType": ociManifestType,
			"config": desc(ociConfigType, cfg, 1),
			"layers": []doc{desc(ociLayerType, layer, 1)},
		})
		keep = append(keep, digestOfDesc(d))
		return d
	}
	track := func(d doc) doc {
		keep = append(keep, digestOfDesc(d))
		return d
	}

	subject := image(ociManifestType, "subject")
	artifact := track(l.manifest("application/vnd.oci.artifact.manifest.v1+json", doc{
		"mediaType":    "application/vnd.oci.artifact.manifest.v1+json",
		"artifactType": "application/vnd.example.sbom",
		"blobs":        []doc{desc("application/spdx+json", blob(`{"spdxVersion":"SPDX-2.3"}`), 1)},
		"subject":      subject,
	}))
	untyped := image("", "untyped")
	unknown := image("application/vnd.example.manifest+json", "unknown")
	// An index that lists, without a media type, an image only it reaches.
	nested := track(l.manifest(ociIndexType, doc{
		"schemaVersion": 2, "mediaType": ociIndexType,
		"manifests": []doc{image("", "nested")},
	}))
	// An OCI 1.1 artifact: config and layers of types packager does not know.
	sbom := track(l.manifest(ociManifestType, doc{
		"schemaVersion": 2, "mediaType": ociManifestType, "artifactType": "application/vnd.example.sbom",
		"config": desc("application/vnd.oci.empty.v1+json", blob("{}"), 2),
		"layers": []doc{
			desc("application/spdx+json", blob(`{"spdxVersion":"SPDX-2.3","name":"x"}`), 1),
			desc("application/vnd.example.data", blob("\x00binary"), 1),
		},
	}))
	schema1 := track(l.manifest("application/vnd.docker.distribution.manifest.v1+json", doc{
		"schemaVersion": 1, "name": "old", "tag": "v0",
		"fsLayers": []doc{{"blobSum": blob("schema 1 layer").String()}},
	}))
	l.tag(artifact, untyped, unknown, nested, sbom, schema1)
	orphan := l.blob("nothing reaches this")

	check := func(after string) {
		t.Helper()
		for _, h := range keep {
			if !l.exists(h) {
				t.Errorf("after %s: blob %s is gone, though index.json reaches it", after, h)
			}
		}
	}
	l.write("packager", "v2") // a write into the layout: gcLayout runs
	check("a write")
	if l.exists(orphan) {
		t.Error("a blob nothing reaches was kept by a write")
	}
	st, err := GCLayout(context.Background(), l.dir)
	if err != nil {
		t.Fatal(err)
	}
	check("GCLayout")
	if st.Blobs != 0 {
		t.Errorf("GCLayout removed %d more blobs", st.Blobs)
	}
}

// TestLayoutGCRemovesNothingWhenUnsure: when what a blob references cannot
// be known, neither GCLayout nor a write removes anything, and the write
// still succeeds.
func TestLayoutGCRemovesNothingWhenUnsure(t *testing.T) {
	tests := []struct {
		name  string
		setup func(l *foreignLayout) doc // returns what to add to index.json
		want  string
	}{
		{"missing manifest", func(l *foreignLayout) doc {
			return desc(ociManifestType, l.missing("gone"), 4)
		}, "missing"},
		{"unreadable manifest", func(l *foreignLayout) doc {
			return desc(ociManifestType, l.blob("this is not JSON"), 16)
		}, "not a manifest"},
		{"unreadable manifest without media type", func(l *foreignLayout) doc {
			return desc("", l.blob(`{"schemaVersion":2,"layers":"not a list"}`), 1)
		}, "not a manifest"},
		{"unknown manifest type", func(l *foreignLayout) doc {
			return l.manifest("", doc{"schemaVersion": 2, "mediaType": "application/vnd.example.manifest.v9+json", "refs": []string{"sha256:..."}})
		}, "does not know"},
		{"missing blob of unknown type", func(l *foreignLayout) doc {
			return l.manifest(ociManifestType, doc{
				"schemaVersion": 2, "mediaType": ociManifestType,
				"config": desc("application/vnd.oci.empty.v1+json", l.blob("{}"), 2),
				"layers": []doc{desc("application/vnd.example.maybe-a-manifest", l.missing("maybe"), 5)},
			})
		}, "missing"},
		{"missing subject", func(l *foreignLayout) doc {
			return l.manifest(ociManifestType, doc{
				"schemaVersion": 2, "mediaType": ociManifestType,
				"config":  desc("application/vnd.oci.empty.v1+json", l.blob("{}"), 2),
				"layers":  []doc{},
				"subject": desc(ociManifestType, l.missing("subject"), 7),
			})
		}, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newForeignLayout(t)
			l.tag(tt.setup(l))
			orphan := l.blob("nothing reaches this")
			_, err := GCLayout(context.Background(), l.dir)
			wantErrContains(t, err, "nothing was removed", tt.want)
			l.write("packager", "v2") // succeeds, and removes nothing either
			if !l.exists(orphan) {
				t.Error("a blob was removed although what index.json reaches is unknown")
			}
		})
	}
}
