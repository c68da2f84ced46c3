package oci

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// emptyConfigMediaType and emptyJSON are OCI 1.1's config for artifacts
// that have none: the two bytes "{}".
const emptyConfigMediaType types.MediaType = "application/vnd.oci.empty.v1+json"

var emptyJSON = []byte("{}")

// Descriptor returns the descriptor of an image or index, the form a
// referrer's subject takes: media type, size and digest, nothing else.
func Descriptor(m interface {
	Digest() (v1.Hash, error)
	MediaType() (types.MediaType, error)
	Size() (int64, error)
}) (v1.Descriptor, error) {
	var d v1.Descriptor
	var err error
	if d.Digest, err = m.Digest(); err != nil {
		return d, err
	}
	if d.MediaType, err = m.MediaType(); err != nil {
		return d, err
	}
	d.Size, err = m.Size()
	return d, err
}

// NewReferrer returns an OCI 1.1 artifact manifest that refers to subject:
// its artifactType says what data is (e.g. "application/spdx+json"), its
// one layer is data (with that media type) and its config is the empty
// descriptor. annotations go on the manifest (and so into the referrers
// list). The result depends only on the arguments.
func NewReferrer(subject v1.Descriptor, artifactType string, data []byte, annotations map[string]string) (v1.Image, error) {
	if artifactType == "" {
		return nil, fmt.Errorf("referrer of %s has no artifact type", subject.Digest)
	}
	layer := static.NewLayer(data, types.MediaType(artifactType))
	ld, err := partial.Descriptor(layer)
	if err != nil {
		return nil, err
	}
	cfgDigest, cfgSize, err := v1.SHA256(bytes.NewReader(emptyJSON))
	if err != nil {
		return nil, err
	}
	sub := v1.Descriptor{MediaType: subject.MediaType, Size: subject.Size, Digest: subject.Digest}
	m := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.OCIManifestSchema1,
		ArtifactType:  artifactType,
		Config:        v1.Descriptor{MediaType: emptyConfigMediaType, Size: cfgSize, Digest: cfgDigest, Data: emptyJSON},
		Layers:        []v1.Descriptor{*ld},
		Subject:       &sub,
		Annotations:   annotations,
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return partial.CompressedToImage(&referrer{manifest: raw, layer: layer, layerDigest: ld.Digest})
}

// referrer is the core ggcr's partial package completes into a v1.Image.
// ggcr's mutate cannot set a manifest's artifactType or an empty config,
// so the manifest is made here, from ggcr's own v1.Manifest type.
type referrer struct {
	manifest    []byte
	layer       v1.Layer
	layerDigest v1.Hash
}

func (r *referrer) RawConfigFile() ([]byte, error)      { return emptyJSON, nil }
func (r *referrer) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }
func (r *referrer) RawManifest() ([]byte, error)        { return r.manifest, nil }

func (r *referrer) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if h == r.layerDigest {
		return r.layer, nil
	}
	cfg, _, err := v1.SHA256(bytes.NewReader(emptyJSON))
	if err != nil {
		return nil, err
	}
	if h == cfg {
		return static.NewLayer(emptyJSON, emptyConfigMediaType), nil
	}
	return nil, fmt.Errorf("referrer has no blob %s", h)
}

// Attachments are what gets attached to published images: OCI 1.1
// referrers (SBOMs, provenance) and images under tags of their own
// (cosign's "sha256-<hex>.sig" and ".att").
type Attachments struct {
	Referrers []v1.Image // made by NewReferrer; each names its subject
	Tagged    []Tagged
}

// Tagged is an image published under a tag of its own in the subject's repository.
type Tagged struct {
	Tag   string
	Image v1.Image
}

// referrerDescriptor is how a referrer is listed in a referrers index:
// with its artifactType and annotations, as the referrers API lists it.
func referrerDescriptor(img v1.Image) (v1.Descriptor, v1.Hash, error) {
	m, err := img.Manifest()
	if err != nil {
		return v1.Descriptor{}, v1.Hash{}, err
	}
	if m.Subject == nil {
		return v1.Descriptor{}, v1.Hash{}, fmt.Errorf("referrer manifest has no subject")
	}
	d, err := Descriptor(img)
	if err != nil {
		return v1.Descriptor{}, v1.Hash{}, err
	}
	d.ArtifactType = m.ArtifactType
	if d.ArtifactType == "" {
		d.ArtifactType = string(m.Config.MediaType)
	}
	d.Annotations = m.Annotations
	return d, m.Subject.Digest, nil
}

// FallbackTag is the tag the OCI distribution spec's referrers tag schema
// uses for the referrers of digest: "sha256-<hex>".
func FallbackTag(digest v1.Hash) string { return digest.Algorithm + "-" + digest.Hex }

// groupBySubject sorts referrers by subject, each group by digest (the
// order ggcr keeps fallback indexes in).
func groupBySubject(refs []v1.Image) (map[v1.Hash][]v1.Descriptor, map[v1.Hash]v1.Image, error) {
	groups := map[v1.Hash][]v1.Descriptor{}
	byDigest := map[v1.Hash]v1.Image{}
	for _, img := range refs {
		d, subject, err := referrerDescriptor(img)
		if err != nil {
			return nil, nil, err
		}
		if _, dup := byDigest[d.Digest]; dup {
			continue
		}
		byDigest[d.Digest] = img
		groups[subject] = append(groups[subject], d)
	}
	for _, ds := range groups {
		sort.Slice(ds, func(i, j int) bool { return ds[i].Digest.String() < ds[j].Digest.String() })
	}
	return groups, byDigest, nil
}
