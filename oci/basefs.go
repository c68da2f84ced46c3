package oci

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// maxBaseFile bounds what readBaseFiles loads into memory: the files it is
// for (/etc/passwd, /etc/group, a CA bundle) are far smaller.
const maxBaseFile = 16 << 20

// readBaseFiles returns the contents of the regular files at paths (absolute
// and clean) in img's filesystem, as a container would see them; a path that
// does not exist, or is not a regular file, is missing from the map.
//
// It reads layers from the top down and stops as soon as every path is
// decided, so a file in the top layer costs one layer, not the whole image
// (which mutate.Extract would read). Whiteouts and opaque directories hide
// lower layers; a symlinked file is followed (a few hops). Symlinks in
// parent directories are not followed.
func readBaseFiles(img v1.Image, paths []string) (map[string][]byte, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("read base layers: %w", err)
	}
	found := map[string][]byte{}
	// stands maps each path looked up to the requested paths it stands for:
	// itself at first, then the targets of symlinks.
	stands := map[string][]string{}
	for _, p := range paths {
		stands[p] = append(stands[p], p)
	}
	for hop := 0; len(stands) > 0 && hop < 8; hop++ {
		want := slices.Sorted(maps.Keys(stands))
		res, err := scanLayers(layers, want)
		if err != nil {
			return nil, err
		}
		next := map[string][]string{}
		for _, p := range want {
			switch r := res[p]; {
			case r.data != nil:
				for _, orig := range stands[p] {
					found[orig] = r.data
				}
			case r.link != "":
				next[r.link] = append(next[r.link], stands[p]...)
			}
		}
		stands = next
	}
	return found, nil
}

// scanResult is what the topmost layer that decides a path says about it.
type scanResult struct {
	data    []byte // regular file contents (non-nil, maybe empty), or
	link    string // absolute, clean symlink target, or neither: gone
	decided bool
}

// scanLayers decides each path in paths, top layer first.
func scanLayers(layers []v1.Layer, paths []string) (map[string]scanResult, error) {
	res := make(map[string]scanResult, len(paths))
	for i := len(layers) - 1; i >= 0 && len(res) < len(paths); i-- {
		if err := scanLayer(layers[i], paths, res); err != nil {
			return nil, fmt.Errorf("read base layer %d: %w", i, err)
		}
	}
	return res, nil
}

// scanLayer records in res what one layer says about the undecided paths.
// A path is decided by its own entry, by a whiteout of it or of a parent,
// or by an opaque parent directory (after this layer's own entries).
func scanLayer(l v1.Layer, paths []string, res map[string]scanResult) error {
	rc, err := l.Uncompressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	opaque := map[string]bool{}
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		name := path.Clean("/" + hdr.Name)
		dir, base := path.Split(name)
		dir = path.Clean(dir)
		for _, p := range paths {
			if res[p].decided {
				continue
			}
			switch {
			case base == ".wh..wh..opq" && under(p, dir):
				opaque[p] = true
			case strings.HasPrefix(base, ".wh.") && under(p, path.Join(dir, strings.TrimPrefix(base, ".wh."))):
				res[p] = scanResult{decided: true}
			case name == p:
				r := scanResult{decided: true}
				switch hdr.Typeflag {
				case tar.TypeReg:
					if hdr.Size > maxBaseFile {
						return fmt.Errorf("%s is %d bytes, more than the %d this reads", p, hdr.Size, maxBaseFile)
					}
					if r.data, err = io.ReadAll(tr); err != nil {
						return fmt.Errorf("%s: %w", p, err)
					}
				case tar.TypeSymlink:
					r.link = hdr.Linkname
					if !path.IsAbs(r.link) {
						r.link = path.Join(path.Dir(p), r.link)
					}
					r.link = path.Clean(r.link)
				case tar.TypeLink:
					// A hard link names another path of the image, relative to the root.
					r.link = path.Clean("/" + hdr.Linkname)
				}
				res[p] = r
			}
		}
	}
	for p := range opaque {
		if !res[p].decided {
			res[p] = scanResult{decided: true}
		}
	}
	return nil
}

// under reports whether p is dir or inside it.
func under(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}
