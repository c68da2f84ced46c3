package oci

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// update adds artifacts to the existing layout at DIR.
//
// ggcr's layout writer puts blobs whose digest it knows straight under their
// final name, so an interrupted write there would leave a truncated blob that
// later writes skip as "already present". Blobs are therefore written into a
// staging layout next to DIR and moved in with os.Rename (whole files only),
// and index.json, written last and atomically, is what makes them visible.
func (o *layoutOutput) update(ctx context.Context, arts []Artifact, adds []mutate.IndexAddendum) error {
	tmp, err := stagingDir(o.dir)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	staged, err := layout.Write(tmp, empty.Index)
	if err != nil {
		return err
	}
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if a.Index != nil {
			err = staged.WriteIndex(a.Index)
		} else {
			err = staged.WriteImage(a.Image)
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", a.Repository, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := normalizeModes(tmp); err != nil {
		return err
	}
	if err := moveNewBlobs(filepath.Join(tmp, "blobs"), filepath.Join(o.dir, "blobs")); err != nil {
		return err
	}

	idx, err := layout.ImageIndexFromPath(o.dir)
	if err != nil {
		return err
	}
	names := make(map[string]bool, len(adds))
	for _, add := range adds {
		names[add.Annotations[refNameAnnotation]] = true
	}
	replaced := func(d v1.Descriptor) bool { return names[d.Annotations[refNameAnnotation]] }
	idx = mutate.AppendManifests(mutate.RemoveManifests(idx, replaced), adds...)
	raw, err := idx.RawManifest()
	if err != nil {
		return err
	}
	err = writeFileAtomic(ctx, filepath.Join(o.dir, "index.json"), func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(raw))
		return err
	})
	if err != nil {
		return err
	}
	// The replaced tags' blobs would otherwise stay forever: a rebuild of a
	// large image would add its full size every time. When what the layout
	// references cannot be known (another tool wrote something packager
	// cannot read), nothing is removed and the write still succeeded.
	var unknown *unknownReachError
	if _, err := gcLayout(o.dir); err != nil && !errors.As(err, &unknown) {
		return err
	}
	return nil
}

// moveNewBlobs renames every blob under from (blobs/ALG/HEX) that to lacks.
// Blobs to already has are identical by construction (content addressed).
func moveNewBlobs(from, to string) error {
	algs, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, alg := range algs {
		if !alg.IsDir() {
			continue
		}
		dst := filepath.Join(to, alg.Name())
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return err
		}
		blobs, err := os.ReadDir(filepath.Join(from, alg.Name()))
		if err != nil {
			return err
		}
		for _, b := range blobs {
			target := filepath.Join(dst, b.Name())
			if _, err := os.Stat(target); err == nil {
				continue
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err := os.Rename(filepath.Join(from, alg.Name(), b.Name()), target); err != nil {
				return fmt.Errorf("move blob %s: %w", b.Name(), err)
			}
		}
	}
	return nil
}
