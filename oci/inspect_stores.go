package oci

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// remoteStore reads one repository of a registry.
type remoteStore struct {
	repo name.Repository
	opts []remote.Option
}

func openRemoteStore(ctx context.Context, ref string, o options) (store, v1.Descriptor, error) {
	r, err := name.ParseReference(ref, o.nameOptions()...)
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("inspect %q: not an image reference (REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR): %w", ref, err)
	}
	s := &remoteStore{repo: r.Context(), opts: o.remoteOptions(ctx)}
	desc, err := remote.Head(r, s.opts...)
	if err != nil {
		return nil, v1.Descriptor{}, o.registryError("inspect "+ref, r.Context().RegistryStr(), err)
	}
	return s, *desc, nil
}

func (s *remoteStore) index(_ context.Context, h v1.Hash) (v1.ImageIndex, error) {
	return remote.Index(s.repo.Digest(h.String()), s.opts...)
}

func (s *remoteStore) image(_ context.Context, h v1.Hash) (v1.Image, error) {
	return remote.Image(s.repo.Digest(h.String()), s.opts...)
}

func (s *remoteStore) referrers(_ context.Context, h v1.Hash) ([]v1.Descriptor, error) {
	idx, err := remote.Referrers(s.repo.Digest(h.String()), s.opts...)
	if err != nil {
		return nil, err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	return im.Manifests, nil
}

func (s *remoteStore) tagged(_ context.Context, tag string) (string, error) {
	desc, err := remote.Head(s.repo.Tag(tag), s.opts...)
	if IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return desc.Digest.String(), nil
}

// layoutStore reads an OCI image layout, with referrers stored as
// AttachmentArtifacts writes them.
type layoutStore struct {
	path layout.Path
	idx  *v1.IndexManifest
}

func openLayoutStore(spec string) (store, v1.Descriptor, error) {
	var digest string
	if i := strings.LastIndex(spec, "@"); i >= 0 {
		spec, digest = spec[:i], spec[i+1:]
	}
	idx, desc, err := layoutManifest(spec)
	if digest != "" {
		// A digest picks from the whole layout, whatever a tag would.
		dir, _ := splitLayoutSpec(spec)
		idx, desc, err = layoutByDigest(dir, digest)
	}
	if err != nil {
		return nil, v1.Descriptor{}, err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, v1.Descriptor{}, err
	}
	dir, _ := splitLayoutSpec(spec)
	return &layoutStore{path: layout.Path(dir), idx: im}, desc, nil
}

func layoutByDigest(dir, digest string) (v1.ImageIndex, v1.Descriptor, error) {
	h, err := v1.NewHash(digest)
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("oci:%s@%s: %w", dir, digest, err)
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("oci:%s is not a readable OCI image layout: %w", dir, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, v1.Descriptor{}, err
	}
	for _, d := range im.Manifests {
		if d.Digest == h {
			return idx, d, nil
		}
	}
	return nil, v1.Descriptor{}, fmt.Errorf("oci:%s has no manifest %s in index.json", dir, digest)
}

func (s *layoutStore) index(_ context.Context, h v1.Hash) (v1.ImageIndex, error) {
	parent, err := s.parentOf(h)
	if err != nil {
		return nil, err
	}
	return parent.ImageIndex(h)
}

func (s *layoutStore) image(_ context.Context, h v1.Hash) (v1.Image, error) {
	parent, err := s.parentOf(h)
	if err != nil {
		return nil, err
	}
	return parent.Image(h)
}

// parentOf finds the index that lists h: index.json or an index below it.
// ggcr's layout reads a manifest only through the index that lists it.
func (s *layoutStore) parentOf(h v1.Hash) (v1.ImageIndex, error) {
	root, err := s.path.ImageIndex()
	if err != nil {
		return nil, err
	}
	queue := []v1.ImageIndex{root}
	for len(queue) > 0 {
		idx := queue[0]
		queue = queue[1:]
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, err
		}
		for _, d := range im.Manifests {
			if d.Digest == h {
				return idx, nil
			}
			if d.MediaType.IsIndex() {
				child, err := idx.ImageIndex(d.Digest)
				if err != nil {
					return nil, err
				}
				queue = append(queue, child)
			}
		}
	}
	return nil, fmt.Errorf("the layout %s has no manifest %s", s.path, h)
}

func (s *layoutStore) referrers(ctx context.Context, h v1.Hash) ([]v1.Descriptor, error) {
	d, err := s.named(FallbackTag(h))
	if err != nil || d == nil {
		return nil, err
	}
	child, err := s.index(ctx, d.Digest)
	if err != nil {
		return nil, err
	}
	im, err := child.IndexManifest()
	if err != nil {
		return nil, err
	}
	return im.Manifests, nil
}

func (s *layoutStore) tagged(_ context.Context, tag string) (string, error) {
	d, err := s.named(tag)
	if err != nil || d == nil {
		return "", err
	}
	return d.Digest.String(), nil
}

// named finds the index.json entry whose name ends in ":"+tag.
func (s *layoutStore) named(tag string) (*v1.Descriptor, error) {
	for _, d := range s.idx.Manifests {
		if n := d.Annotations[refNameAnnotation]; n == tag || strings.HasSuffix(n, ":"+tag) {
			return &d, nil
		}
	}
	return nil, nil
}
