package pipeline

import (
	"context"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/packager-dev/packager/oci"
)

// baseCache loads each base once per platform, however many images use it.
type baseCache struct {
	opts []oci.Option
	load func(context.Context, string, v1.Platform, ...oci.Option) (v1.Image, error) // oci.Base
	mu   sync.Mutex
	m    map[string]*baseEntry
}

type baseEntry struct {
	once sync.Once
	img  v1.Image
	err  error
}

func newBaseCache(opts ...oci.Option) *baseCache {
	return &baseCache{opts: opts, load: oci.Base, m: map[string]*baseEntry{}}
}

// baseLoader loads a base image for a platform.
type baseLoader func(ref string, p v1.Platform) (v1.Image, error)

// with returns a loader bound to ctx, which must outlive publishing.
func (c *baseCache) with(ctx context.Context) baseLoader {
	return func(ref string, p v1.Platform) (v1.Image, error) { return c.get(ctx, ref, p) }
}

func (c *baseCache) get(ctx context.Context, ref string, p v1.Platform) (v1.Image, error) {
	key := ref + "@" + p.String()
	c.mu.Lock()
	e, ok := c.m[key]
	if !ok {
		e = &baseEntry{}
		c.m[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.img, e.err = c.load(ctx, ref, p, c.opts...) })
	return e.img, e.err
}
