package oci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// reachableBlobs walks from index.json through everything that is or may
// be a manifest, whatever tool wrote it, and returns the digests reached.
//
// A layout may hold what packager does not make: OCI artifact manifests,
// descriptors without a media type, referrers with a subject, schema 1
// manifests. So a blob is followed whenever it parses as a manifest or
// index, not only when its descriptor says so; known layer and config
// media types are the only blobs taken as leaves unread. It fails, and
// the caller must remove nothing, when a blob could reference others but
// what it references cannot be known: a manifest (or a blob of unknown
// type) that is missing, a manifest that does not parse, or a manifest of
// a type it does not know.
func reachableBlobs(dir string) (map[string]bool, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, err
	}
	refs, err := manifestRefs(raw, types.OCIImageIndex, true)
	if err != nil {
		return nil, fmt.Errorf("index.json: %w", err)
	}
	r := reach{dir: dir, live: map[string]bool{}}
	return r.live, r.visit(refs)
}

// reach is one walk of a layout's blobs.
type reach struct {
	dir  string
	live map[string]bool
}

// ref is a descriptor found in a manifest, and whether where it was found
// (manifests, subject) says it must be a manifest.
type ref struct {
	v1.Descriptor
	manifest bool
}

func (r *reach) visit(refs []ref) error {
	for _, d := range refs {
		key := d.Digest.String()
		if r.live[key] {
			continue
		}
		r.live[key] = true
		if !d.manifest && leafType(d.MediaType) {
			continue
		}
		children, err := r.follow(d)
		if err != nil {
			return fmt.Errorf("blob %s (%s): %w", d.Digest, mediaTypeName(d.MediaType), err)
		}
		if err := r.visit(children); err != nil {
			return err
		}
	}
	return nil
}

// follow reads the blob d names and returns what it references.
func (r *reach) follow(d ref) ([]ref, error) {
	p := filepath.Join(r.dir, "blobs", d.Digest.Algorithm, d.Digest.Hex)
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New("missing, and it may be a manifest that references other blobs")
	}
	if err != nil {
		return nil, err
	}
	// No manifest is this large (registries refuse them): a big blob of
	// unknown type is data.
	if info.Size() > maxBuffered && !d.manifest && !manifestType(d.MediaType) {
		return nil, nil
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return manifestRefs(raw, d.MediaType, d.manifest)
}

// manifestRefs returns the descriptors raw references when it is a
// manifest or index of any known kind: manifests, config, layers, blobs
// (OCI artifact manifests), subject, and fsLayers (Docker schema 1). typ
// is the media type its descriptor gave; must says where the descriptor
// was found requires a manifest. A blob that is not JSON, or JSON without
// schemaVersion, is not a manifest: it references nothing, unless typ or
// must say it should have been one, which is an error.
func manifestRefs(raw []byte, typ types.MediaType, must bool) ([]ref, error) {
	must = must || manifestType(typ)
	var head struct {
		SchemaVersion json.RawMessage `json:"schemaVersion"`
		MediaType     types.MediaType `json:"mediaType"`
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) || json.Unmarshal(raw, &head) != nil {
		if must {
			return nil, errors.New("not a manifest: not a JSON object")
		}
		return nil, nil
	}
	if head.SchemaVersion == nil && !must {
		return nil, nil // JSON data: a config, an SBOM, an attestation
	}
	if head.MediaType != "" {
		typ = head.MediaType
	}
	if typ != "" && !manifestType(typ) {
		return nil, fmt.Errorf("a manifest of type %s, which packager does not know", typ)
	}
	var m struct {
		Manifests []v1.Descriptor `json:"manifests"`
		Config    *v1.Descriptor  `json:"config"`
		Layers    []v1.Descriptor `json:"layers"`
		Blobs     []v1.Descriptor `json:"blobs"`
		Subject   *v1.Descriptor  `json:"subject"`
		FSLayers  []struct {
			BlobSum v1.Hash `json:"blobSum"`
		} `json:"fsLayers"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("not a manifest: %w", err)
	}
	var refs []ref
	add := func(manifest bool, ds ...v1.Descriptor) {
		for _, d := range ds {
			refs = append(refs, ref{Descriptor: d, manifest: manifest})
		}
	}
	add(true, m.Manifests...)
	if m.Subject != nil {
		add(true, *m.Subject)
	}
	if m.Config != nil {
		add(false, *m.Config)
	}
	add(false, m.Layers...)
	add(false, m.Blobs...)
	for _, l := range m.FSLayers {
		add(false, v1.Descriptor{MediaType: types.DockerLayer, Digest: l.BlobSum})
	}
	return refs, nil
}

// ociArtifactManifest is the media type of OCI 1.1-rc artifact manifests
// (config-less, with blobs), which some tools still write.
const ociArtifactManifest types.MediaType = "application/vnd.oci.artifact.manifest.v1+json"

// manifestType reports media types of manifests and indexes.
func manifestType(t types.MediaType) bool {
	return t.IsIndex() || t.IsImage() || t.IsSchema1() || t == ociArtifactManifest
}

// leafType reports media types of blobs that are never manifests.
func leafType(t types.MediaType) bool {
	return t.IsLayer() || t.IsConfig() || t == types.OCIEmptyJSON || t == types.DockerPluginConfig
}

func mediaTypeName(t types.MediaType) string {
	if t == "" {
		return "no media type"
	}
	return string(t)
}
