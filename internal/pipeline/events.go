package pipeline

import (
	"sync"
	"sync/atomic"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/packager-dev/packager/vocab"
)

// Events receives what the pipeline is doing, for progress displays and
// machine-readable results. Calls come from many goroutines at once and
// must return quickly.
type Events interface {
	Event(Event)
}

// Kind says what happened.
type Kind int

const (
	CompileStarted  Kind = iota // Image, Main, Platform
	CompileFinished             // Image, Main, Package, Platform, Took; Err on failure
	ImageBuilt                  // Image, Platform, Digest, Size, Took
	PublishStarted              // Output
	Uploading                   // Output, Uploaded so far; several times a second while a registry push runs
	Published                   // Output, Images, Refs (one per image, in order), Tags, Took, Uploaded (registry only)
	Attached                    // Output, Image, Digest (of the artifact), Attachments; after its Published
)

// Event is one thing that happened. Fields not listed for its Kind are zero.
type Event struct {
	Kind     Kind
	Image    string
	Main     string // the main package as written in packager.yaml or on the command line
	Package  string // its import path, once built
	Platform vocab.Platform
	Digest   string   // sha256:...
	Size     int64    // manifest + config + layers, compressed
	Output   string   // oci.Output.String()
	Images   []string // image names, in Refs order
	Refs     []string
	Tags     [][]string // per image, in Refs order: every tag the output applied
	// Attachments are the SBOMs, provenance and signatures published
	// with one artifact.
	Attachments []Attachment
	Uploaded    int64 // bytes sent to the registry
	Took        time.Duration
	Err         error
}

// Attachment is one document or signature published with an image.
type Attachment struct {
	Subject string `json:"subject"` // "sha256:..." of the image or index it is about
	// Type is the referrer's artifactType (application/spdx+json,
	// application/vnd.cyclonedx+json, application/vnd.in-toto+json), or
	// for cosign's tagged images the media type of their layers
	// (sign.SimpleSigningMediaType, sign.DSSEMediaType).
	Type string `json:"type"`
	// Ref is where it was published, in the form of the image references:
	// "REPO@sha256:..." (a referrer), "REPO:sha256-<hex>.sig@sha256:..."
	// (cosign's tags), "oci:DIR@sha256:..." or "tarball:FILE@sha256:...".
	Ref string `json:"ref"`
}

// emit sends e when there is a listener.
func (r *Request) emit(e Event) {
	if r.Events != nil {
		r.Events.Event(e)
	}
}

// EventFunc adapts a function to [Events].
type EventFunc func(Event)

func (f EventFunc) Event(e Event) { f(e) }

// imageBuilt reports an assembled image with its digest and size (the
// manifest, config and layers, as stored).
func (r *Request) imageBuilt(image string, p vocab.Platform, img v1.Image, took time.Duration) {
	if r.Events == nil {
		return
	}
	ev := Event{Kind: ImageBuilt, Image: image, Platform: p, Took: took}
	if d, err := img.Digest(); err == nil {
		ev.Digest = d.String()
	}
	if m, err := img.Manifest(); err == nil {
		ev.Size = m.Config.Size
		for _, l := range m.Layers {
			ev.Size += l.Size
		}
		if n, err := img.Size(); err == nil {
			ev.Size += n
		}
	}
	r.Events.Event(ev)
}

// Tee sends every event to each non-nil listener in turn.
func Tee(ls ...Events) Events {
	return EventFunc(func(e Event) {
		for _, l := range ls {
			if l != nil {
				l.Event(e)
			}
		}
	})
}

// uploadEvery is how often a running push reports its bytes.
const uploadEvery = 250 * time.Millisecond

// reportUploads emits Uploading events for output until stop is called.
func (r *Request) reportUploads(output string, n *atomic.Int64) (stop func()) {
	if r.Events == nil || output != "registry" {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(uploadEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				r.emit(Event{Kind: Uploading, Output: output, Uploaded: n.Load()})
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
