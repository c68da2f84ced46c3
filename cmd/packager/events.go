package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/internal/termprogress"
)

// progressEvery is how often a running compile is reported, so a cold
// build of a large program never looks hung.
const progressEvery = 10 * time.Second

// progress turns pipeline events into log lines on stderr (a line when a
// compile starts, one every progressEvery while it runs, one when it ends,
// one per publish) and, unless refs is nil, the published references on
// refs, one per line.
type progress struct {
	log  *slog.Logger
	refs io.Writer

	mu      sync.Mutex
	running map[compile]time.Time // -> start
}

// compile is one binary being built.
type compile struct{ image, main, platform string }

func newProgress(log *slog.Logger, refs io.Writer) *progress {
	return &progress{log: log, refs: refs, running: map[compile]time.Time{}}
}

func (p *progress) Event(ev pipeline.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := compile{ev.Image, ev.Main, ev.Platform.String()}
	switch ev.Kind {
	case pipeline.CompileStarted:
		p.running[key] = time.Now()
		p.log.Info("compiling", "image", ev.Image, "package", ev.Main, "platform", ev.Platform.String())
	case pipeline.CompileFinished:
		delete(p.running, key)
		if ev.Err == nil {
			p.log.Info("built", "image", ev.Image, "package", ev.Package, "platform", ev.Platform.String(), "took", round(ev.Took))
		}
	case pipeline.PublishStarted:
		p.log.Debug("output", "to", ev.Output)
	case pipeline.Published:
		attrs := []any{"to", ev.Output, "images", len(ev.Refs), "took", round(ev.Took)}
		if ev.Output == "registry" {
			attrs = append(attrs, "uploaded_bytes", ev.Uploaded)
		}
		p.log.Info("published", attrs...)
		for _, ref := range ev.Refs {
			if p.refs != nil {
				fmt.Fprintln(p.refs, ref)
			}
		}
	}
}

// tick logs every running compile each progressEvery until ctx ends.
func (p *progress) tick(ctx context.Context) {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			p.mu.Lock()
			for c, start := range p.running {
				p.log.Info("still compiling", "image", c.image, "package", c.main, "platform", c.platform,
					"elapsed", now.Sub(start).Round(time.Second).String())
			}
			p.mu.Unlock()
		}
	}
}

func round(d time.Duration) string { return d.Round(time.Millisecond).String() }

// liveEvents feeds the pipeline's events to a terminal display.
func liveEvents(d *termprogress.Display) pipeline.Events {
	return pipeline.EventFunc(func(ev pipeline.Event) {
		switch p := ev.Platform.String(); ev.Kind {
		case pipeline.CompileStarted:
			d.Compiling(ev.Image, p, ev.Main)
		case pipeline.CompileFinished:
			d.Compiled(ev.Image, p, ev.Err != nil)
		case pipeline.ImageBuilt:
			d.Built(ev.Image, p, ev.Size, ev.Took)
		case pipeline.PublishStarted:
			d.Publishing(ev.Output)
		case pipeline.Uploading:
			d.Uploaded(ev.Output, ev.Uploaded)
		case pipeline.Published:
			uploaded := int64(-1)
			if ev.Output == "registry" {
				uploaded = ev.Uploaded
			}
			d.Published(ev.Output, len(ev.Refs), ev.Took, uploaded)
		}
	})
}
