package oci

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// containerdNameAnnotation is the full image name docker load (25+, with the
// containerd image store) and containerd's import give an index entry.
const containerdNameAnnotation = "io.containerd.image.name"

// tarballOutput writes one tarball holding every artifact.
type tarballOutput struct {
	file string
}

func (o *tarballOutput) String() string { return "tarball:" + o.file }

// Write puts every Repository:TAG of every artifact into one tarball that is
// both an OCI image layout (index.json, oci-layout, blobs/; read by
// `skopeo copy oci-archive:`, containerd and docker load 25+, multi-platform
// indexes included) and a `docker save` archive (manifest.json, read by every
// docker load). Like `docker save` since Docker 25, manifest.json points
// into blobs/, so nothing is stored twice; for an index it names the image
// for the host platform, since the classic image store holds one per name.
//
// The bytes depend only on the artifacts: entries are sorted and carry fixed
// times and owners. FILE is written atomically.
func (o *tarballOutput) Write(ctx context.Context, arts []Artifact) ([]string, error) {
	if err := checkArtifacts(arts); err != nil {
		return nil, err
	}
	refs, err := o.refs(arts)
	if err != nil {
		return nil, err
	}
	// The layout is staged next to FILE, not in $TMPDIR: the same disk the
	// user chose for the output, and cleaned up by the next run if this one
	// is killed (see lockOutput).
	unlock, err := lockOutput(ctx, o.file)
	if err != nil {
		return nil, fmt.Errorf("write tarball %s: %w", o.file, err)
	}
	defer unlock()
	staging, err := stagingDir(o.file)
	if err != nil {
		return nil, fmt.Errorf("write tarball %s: %w", o.file, err)
	}
	defer os.RemoveAll(staging)
	docker, err := stageArchive(ctx, staging, arts)
	if err != nil {
		return nil, fmt.Errorf("write tarball %s: %w", o.file, err)
	}
	entries, err := archiveEntries(staging, docker)
	if err != nil {
		return nil, fmt.Errorf("write tarball %s: %w", o.file, err)
	}
	err = writeFileAtomic(ctx, o.file, func(w io.Writer) error {
		all, err := completeEntries(entries)
		if err != nil {
			return err
		}
		return writeTar(w, all, time.Unix(0, 0))
	})
	if err != nil {
		return nil, fmt.Errorf("write tarball %s: %w", o.file, err)
	}
	return refs, nil
}

// refs checks the names (no two artifacts may share one) and makes the
// printed references.
func (o *tarballOutput) refs(arts []Artifact) ([]string, error) {
	seen := make(map[string]bool)
	refs := make([]string, len(arts))
	for i, a := range arts {
		for _, t := range a.Tags {
			tag, err := archiveTag(a.Repository, t)
			if err != nil {
				return nil, fmt.Errorf("tarball %s: %w", o.file, err)
			}
			if seen[tag.String()] {
				return nil, fmt.Errorf("tarball %s: two artifacts are both named %s: give them different repositories or tags", o.file, tag)
			}
			seen[tag.String()] = true
		}
		digest, err := digestOf(a.taggable())
		if err != nil {
			return nil, fmt.Errorf("tarball %s: %s: %w", o.file, a.Repository, err)
		}
		refs[i] = "tarball:" + o.file + "@" + digest
	}
	return refs, nil
}

// archiveTag parses REPOSITORY:TAG weakly: "hello:latest" stays
// "hello:latest" in the archive, and docker load expands it as docker pull would.
func archiveTag(repo, tag string) (name.Tag, error) {
	return name.NewTag(repo + ":" + tag)
}

// stageArchive writes the OCI layout into dir with ggcr and returns the
// docker manifest.json entries.
func stageArchive(ctx context.Context, dir string, arts []Artifact) (tarball.Manifest, error) {
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		return nil, err
	}
	var docker tarball.Manifest
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var repoTags []string
		for _, t := range a.Tags {
			tag, err := archiveTag(a.Repository, t)
			if err != nil {
				return nil, err
			}
			repoTags = append(repoTags, tag.String())
			ann := layout.WithAnnotations(map[string]string{
				refNameAnnotation:        path.Base(a.Repository) + ":" + t,
				containerdNameAnnotation: fullName(tag),
			})
			if a.Index != nil {
				err = lp.AppendIndex(a.Index, ann)
			} else {
				err = lp.AppendImage(a.Image, ann)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", a.Repository, err)
			}
		}
		if isAttachment(a) {
			continue // signatures and SBOMs live in the OCI half only: docker load cannot load them
		}
		img, err := a.image(HostPlatform())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Repository, err)
		}
		if a.Index != nil {
			// The index's own writes covered its children; this is a no-op
			// for blobs already present.
			if err := lp.WriteImage(img); err != nil {
				return nil, fmt.Errorf("%s: %w", a.Repository, err)
			}
		}
		d, err := dockerEntry(img, repoTags)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Repository, err)
		}
		docker = append(docker, d)
	}
	return docker, nil
}

// dockerEntry is one manifest.json element, with paths into blobs/.
func dockerEntry(img v1.Image, repoTags []string) (tarball.Descriptor, error) {
	cfg, err := img.ConfigName()
	if err != nil {
		return tarball.Descriptor{}, err
	}
	layers, err := img.Layers()
	if err != nil {
		return tarball.Descriptor{}, err
	}
	d := tarball.Descriptor{Config: blobPath(cfg), RepoTags: repoTags}
	for _, l := range layers {
		h, err := l.Digest()
		if err != nil {
			return tarball.Descriptor{}, err
		}
		d.Layers = append(d.Layers, blobPath(h))
	}
	return d, nil
}

func blobPath(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

// fullName is the fully qualified name containerd stores an image under
// ("docker.io/library/hello:latest").
func fullName(tag name.Tag) string {
	reg := tag.RegistryStr()
	if reg == name.DefaultRegistry {
		reg = "docker.io"
	}
	return reg + "/" + tag.RepositoryStr() + ":" + tag.TagStr()
}

// archiveEntries lists the staged layout's files plus manifest.json as
// entries rooted at "/", the form writeTar takes.
func archiveEntries(dir string, docker tarball.Manifest) ([]Entry, error) {
	raw, err := json.Marshal(docker)
	if err != nil {
		return nil, err
	}
	entries := []Entry{{Path: "/manifest.json", Mode: 0o644, Data: raw}}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		e := Entry{Path: "/" + filepath.ToSlash(rel), Mode: 0o644, Source: p}
		if d.IsDir() {
			e = Entry{Path: e.Path, Mode: fs.ModeDir | 0o755}
		}
		entries = append(entries, e)
		return nil
	})
	return entries, err
}
