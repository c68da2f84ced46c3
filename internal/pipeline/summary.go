package pipeline

import (
	"cmp"
	"slices"
	"strings"
	"sync"
)

// Summary is what a run built and where it went, for `--json`: one entry
// per image, in the order images were given.
type Summary struct {
	Images []ImageSummary `json:"images"`
}

// ImageSummary is one image (an index when it has several platforms).
type ImageSummary struct {
	Name string   `json:"name"`
	Refs []string `json:"refs"` // one per output: repo/name:tag@sha256:..., oci:DIR@..., ...
	// Tags are every tag the image was published under (the same in
	// every output; TAG-OS-ARCH in a shard).
	Tags      []string          `json:"tags"`
	Platforms []PlatformSummary `json:"platforms"`
	// Attachments are the SBOMs, provenance and signatures published with
	// the image and its platforms, per output.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// PlatformSummary is one platform's image.
type PlatformSummary struct {
	Platform string `json:"platform"`
	Digest   string `json:"digest"`
	Size     int64  `json:"size"` // manifest, config and layers, compressed
}

// Collector is an [Events] listener that builds a [Summary].
type Collector struct {
	mu    sync.Mutex
	sum   Summary
	order []string // image names as published
}

func (c *Collector) Event(e Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch e.Kind {
	case ImageBuilt:
		img := c.image(e.Image)
		img.Platforms = append(img.Platforms, PlatformSummary{Platform: e.Platform.String(), Digest: e.Digest, Size: e.Size})
	case Attached:
		img := c.image(e.Image)
		img.Attachments = append(img.Attachments, e.Attachments...)
	case Published:
		if c.order == nil {
			c.order = e.Images
		}
		for i, name := range e.Images {
			if i < len(e.Refs) {
				img := c.image(name)
				img.Refs = append(img.Refs, e.Refs[i])
			}
			if i < len(e.Tags) {
				img := c.image(name)
				for _, tag := range e.Tags[i] {
					if !slices.Contains(img.Tags, tag) {
						img.Tags = append(img.Tags, tag)
					}
				}
			}
		}
	}
}

// image returns the entry for name, adding it when new.
func (c *Collector) image(name string) *ImageSummary {
	i := slices.IndexFunc(c.sum.Images, func(s ImageSummary) bool { return s.Name == name })
	if i < 0 {
		c.sum.Images = append(c.sum.Images, ImageSummary{Name: name, Refs: []string{}, Tags: []string{}})
		i = len(c.sum.Images) - 1
	}
	return &c.sum.Images[i]
}

// Summary returns what was collected. Images build in parallel, so they
// are put in the order they were published, and platforms sorted.
func (c *Collector) Summary() Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := Summary{Images: slices.Clone(c.sum.Images)}
	slices.SortStableFunc(out.Images, func(a, b ImageSummary) int {
		return cmp.Compare(c.rank(a.Name), c.rank(b.Name))
	})
	for i := range out.Images {
		out.Images[i].Platforms = slices.Clone(out.Images[i].Platforms)
		out.Images[i].Tags = slices.Clone(out.Images[i].Tags)
		out.Images[i].Attachments = slices.Clone(out.Images[i].Attachments)
		slices.SortFunc(out.Images[i].Platforms, func(a, b PlatformSummary) int { return strings.Compare(a.Platform, b.Platform) })
	}
	return out
}

func (c *Collector) rank(name string) int {
	if i := slices.Index(c.order, name); i >= 0 {
		return i
	}
	return len(c.order)
}
