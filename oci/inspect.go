package oci

import (
	"context"
	"fmt"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Description is what `packager inspect` shows of an image or index.
type Description struct {
	Reference string     `json:"reference"`
	Digest    string     `json:"digest"`
	MediaType string     `json:"mediaType"`
	Size      int64      `json:"size"`
	Images    []ImageDoc `json:"images"`             // the image, or one per platform of the index
	Attached  *Attached  `json:"attached,omitempty"` // of the index (an image's are in Images[0])
}

// ImageDoc describes one image.
type ImageDoc struct {
	Platform  string        `json:"platform,omitempty"`
	Digest    string        `json:"digest"`
	MediaType string        `json:"mediaType"`
	Size      int64         `json:"size"`
	Layers    []LayerDoc    `json:"layers"`
	Config    ConfigSummary `json:"config"`
	Attached  Attached      `json:"attached"`
}

// LayerDoc is one layer, as the manifest lists it.
type LayerDoc struct {
	Digest    string `json:"digest"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
}

// ConfigSummary is the part of an image config that says how it runs.
type ConfigSummary struct {
	Created    string            `json:"created,omitempty"`
	Entrypoint []string          `json:"entrypoint,omitempty"`
	Cmd        []string          `json:"cmd,omitempty"`
	User       string            `json:"user,omitempty"`
	WorkingDir string            `json:"workingDir,omitempty"`
	Env        []string          `json:"env,omitempty"`
	Ports      []string          `json:"ports,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
}

// Attached lists what refers to one digest.
type Attached struct {
	Referrers   []ReferrerDoc `json:"referrers,omitempty"`
	Signature   string        `json:"signature,omitempty"`   // digest of cosign's sha256-<hex>.sig image
	Attestation string        `json:"attestation,omitempty"` // digest of cosign's sha256-<hex>.att image
}

// ReferrerDoc is one entry of a referrers list.
type ReferrerDoc struct {
	Digest       string            `json:"digest"`
	ArtifactType string            `json:"artifactType"`
	Size         int64             `json:"size"`
	Annotations  map[string]string `json:"annotations,omitempty"`
}

// store is where Inspect reads from: a registry repository or a layout.
type store interface {
	index(ctx context.Context, h v1.Hash) (v1.ImageIndex, error)
	image(ctx context.Context, h v1.Hash) (v1.Image, error)
	referrers(ctx context.Context, h v1.Hash) ([]v1.Descriptor, error)
	tagged(ctx context.Context, tag string) (string, error) // digest or "" when absent
}

// Inspect describes ref: "oci:DIR", "oci:DIR:TAG", "oci:DIR@sha256:..." or
// a registry reference. opts matter only for registries.
func Inspect(ctx context.Context, ref string, opts ...Option) (*Description, error) {
	s, root, err := openStore(ctx, ref, makeOptions(opts))
	if err != nil {
		return nil, err
	}
	d := &Description{Reference: ref, Digest: root.Digest.String(), MediaType: string(root.MediaType), Size: root.Size}
	if !root.MediaType.IsIndex() {
		img, err := describeImage(ctx, s, root)
		if err != nil {
			return nil, fmt.Errorf("inspect %s: %w", ref, err)
		}
		d.Images = []ImageDoc{img}
		return d, nil
	}
	idx, err := s.index(ctx, root.Digest)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", ref, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", ref, err)
	}
	for _, child := range im.Manifests {
		if !child.MediaType.IsImage() {
			continue
		}
		img, err := describeImage(ctx, s, child)
		if err != nil {
			return nil, fmt.Errorf("inspect %s: %s: %w", ref, child.Digest, err)
		}
		d.Images = append(d.Images, img)
	}
	att, err := attached(ctx, s, root.Digest)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", ref, err)
	}
	d.Attached = &att
	return d, nil
}

func describeImage(ctx context.Context, s store, desc v1.Descriptor) (ImageDoc, error) {
	doc := ImageDoc{Digest: desc.Digest.String(), MediaType: string(desc.MediaType), Size: desc.Size}
	img, err := s.image(ctx, desc.Digest)
	if err != nil {
		return doc, err
	}
	m, err := img.Manifest()
	if err != nil {
		return doc, err
	}
	for _, l := range m.Layers {
		doc.Layers = append(doc.Layers, LayerDoc{Digest: l.Digest.String(), MediaType: string(l.MediaType), Size: l.Size})
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return doc, fmt.Errorf("read config: %w", err)
	}
	doc.Platform = platformString(v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant})
	if desc.Platform != nil {
		doc.Platform = platformString(*desc.Platform)
	}
	doc.Config = summarize(cf)
	doc.Attached, err = attached(ctx, s, desc.Digest)
	return doc, err
}

func summarize(cf *v1.ConfigFile) ConfigSummary {
	c := cf.Config
	s := ConfigSummary{Entrypoint: c.Entrypoint, Cmd: c.Cmd, User: c.User, WorkingDir: c.WorkingDir, Env: c.Env, Labels: c.Labels}
	if !cf.Created.IsZero() {
		s.Created = cf.Created.UTC().Format("2006-01-02T15:04:05Z")
	}
	for p := range c.ExposedPorts {
		s.Ports = append(s.Ports, p)
	}
	sort.Strings(s.Ports)
	return s
}

// attached lists the referrers of h and cosign's tags for it.
func attached(ctx context.Context, s store, h v1.Hash) (Attached, error) {
	var a Attached
	ds, err := s.referrers(ctx, h)
	if err != nil {
		return a, fmt.Errorf("list referrers of %s: %w", h, err)
	}
	for _, d := range ds {
		a.Referrers = append(a.Referrers, ReferrerDoc{Digest: d.Digest.String(), ArtifactType: d.ArtifactType, Size: d.Size, Annotations: d.Annotations})
	}
	base := FallbackTag(h)
	if a.Signature, err = s.tagged(ctx, base+".sig"); err != nil {
		return a, err
	}
	a.Attestation, err = s.tagged(ctx, base+".att")
	return a, err
}

// openStore opens what ref names and returns the descriptor of the
// manifest it points at.
func openStore(ctx context.Context, ref string, o options) (store, v1.Descriptor, error) {
	if spec, ok := strings.CutPrefix(ref, "oci:"); ok {
		return openLayoutStore(spec)
	}
	return openRemoteStore(ctx, ref, o)
}

// ListAttached lists what refers to the manifest ref names: referrers
// (from the referrers API or the fallback tag) and cosign's tags. ref is a
// registry reference or "oci:DIR[:TAG|@DIGEST]". It is how the pipeline
// finds a base image's own SBOM.
func ListAttached(ctx context.Context, ref string, opts ...Option) (Attached, error) {
	s, root, err := openStore(ctx, ref, makeOptions(opts))
	if err != nil {
		return Attached{}, err
	}
	a, err := attached(ctx, s, root.Digest)
	if err != nil {
		return Attached{}, fmt.Errorf("%s: %w", ref, err)
	}
	return a, nil
}
