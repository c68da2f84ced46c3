package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/packager-dev/packager/internal/atomicfile"
)

// entryVersion changes whenever the meaning of an entry changes; entries of
// any other version are misses, overwritten by the next Put.
const entryVersion = 1

// entry is the index record DIR/layers/<key>.json: everything a v1.Layer
// reports about itself except its bytes.
type entry struct {
	Version   int             `json:"version"`
	Digest    v1.Hash         `json:"digest"`
	DiffID    v1.Hash         `json:"diffID"`
	Size      int64           `json:"size"`
	MediaType types.MediaType `json:"mediaType"`
}

// errStale marks an entry that exists but cannot be used.
var errStale = errors.New("stale cache entry")

// readEntry returns the entry for key, an error wrapping fs.ErrNotExist if
// there is none, or errStale if it is unreadable or from another version.
func (ls *Layers) readEntry(key string) (entry, error) {
	data, err := os.ReadFile(ls.entryPath(key))
	if err != nil {
		return entry{}, err
	}
	var e entry
	if err := json.Unmarshal(data, &e); err != nil {
		return entry{}, fmt.Errorf("%w: %w", errStale, err)
	}
	if e.Version != entryVersion || e.Digest.Algorithm != "sha256" || e.Size < 0 || e.MediaType == "" {
		return entry{}, fmt.Errorf("%w: version %d, digest %s", errStale, e.Version, e.Digest)
	}
	return e, nil
}

func (ls *Layers) writeEntry(key string, e entry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(ls.entryPath(key), append(data, '\n'), 0o644)
}
