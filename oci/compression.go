package oci

import (
	"fmt"

	"github.com/klauspost/compress/gzip"

	"github.com/google/go-containerregistry/pkg/compression"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Compression says how layers are compressed. The zero value is gzip at
// [DefaultGzipLevel].
type Compression struct {
	Algorithm string // "gzip" (default when empty) or "zstd"
	Level     int    // 0 = the algorithm's default: DefaultGzipLevel, DefaultZstdLevel
}

const (
	// DefaultGzipLevel is gzip's own default. ggcr (and so ko) uses
	// compress/gzip at gzip.BestSpeed and compresses each layer at least
	// twice (once for the digest, again to upload). packager compresses
	// once, with klauspost's deflate, whose level 6 took 223 ms for a
	// stripped crane binary (11.9 MB) on one core against 174 ms for
	// compress/gzip level 1, and made it 8% smaller (4.95 MB against 5.40
	// MB); pgzip spreads it over every core. The layer cache then pays that
	// once per binary. See compress_bench_test.go.
	DefaultGzipLevel = 6

	// DefaultZstdLevel is zstd's own default. klauspost/compress maps zstd
	// levels to four encoders: 1-2 fastest, 3-5 default, 6-9 better, 10+ best.
	DefaultZstdLevel = 3
)

// withDefaults returns c with the algorithm and level filled in, or an error
// that names the allowed values.
func (c Compression) withDefaults() (Compression, error) {
	switch c.Algorithm {
	case "", "gzip":
		c.Algorithm = "gzip"
		if c.Level == 0 {
			c.Level = DefaultGzipLevel
		}
		if c.Level < gzip.BestSpeed || c.Level > gzip.BestCompression {
			return c, fmt.Errorf("compression: gzip level %d is out of range: use 1 (fastest) to 9 (smallest), or 0 for the default", c.Level)
		}
	case "zstd":
		if c.Level == 0 {
			c.Level = DefaultZstdLevel
		}
		if c.Level < 1 || c.Level > 22 {
			return c, fmt.Errorf("compression: zstd level %d is out of range: use 1 (fastest) to 22 (smallest), or 0 for the default", c.Level)
		}
	default:
		return c, fmt.Errorf("compression: unknown algorithm %q: use gzip or zstd", c.Algorithm)
	}
	return c, nil
}

// layerOptions returns ggcr's options for c (already defaulted) and mt, or
// an error when the media type does not fit the algorithm: registries and
// runtimes decompress by media type, so a mismatch makes an unusable image.
func (c Compression) layerOptions(mt types.MediaType) ([]tarball.LayerOption, error) {
	switch c.Algorithm {
	case "zstd":
		if mt != types.OCILayerZStd {
			return nil, fmt.Errorf("layer media type %q does not fit zstd compression: use %s", mt, types.OCILayerZStd)
		}
		return []tarball.LayerOption{
			tarball.WithMediaType(mt),
			tarball.WithCompression(compression.ZStd),
			tarball.WithCompressionLevel(c.Level),
		}, nil
	default:
		if mt != types.OCILayer && mt != types.DockerLayer {
			return nil, fmt.Errorf("layer media type %q is not supported with gzip: use %s or %s", mt, types.OCILayer, types.DockerLayer)
		}
		return []tarball.LayerOption{
			tarball.WithMediaType(mt),
			tarball.WithCompressionLevel(c.Level),
		}, nil
	}
}

// layerMediaType is the media type of the layers Build adds on a base with
// manifest media type base: the manifest must not mix Docker and OCI types,
// and zstd exists only as an OCI media type.
func (c Compression) layerMediaType(base types.MediaType) (types.MediaType, error) {
	docker := base == types.DockerManifestSchema2
	switch {
	case c.Algorithm == "zstd" && docker:
		return "", fmt.Errorf("compression: zstd needs an OCI base image, and the base is a Docker schema 2 image; use gzip, or a base with OCI media types")
	case c.Algorithm == "zstd":
		return types.OCILayerZStd, nil
	case docker:
		return types.DockerLayer, nil
	}
	return types.OCILayer, nil
}
