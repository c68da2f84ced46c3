package main

import (
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
// compile starts, one every progressEvery of its own while it runs, one
// when it ends, one per publish) and, unless refs is nil, the published
// references on refs, one per line.
type progress struct {
	log  *slog.Logger
	refs io.Writer

	mu      sync.Mutex
	running map[compile]*running
}

// compile is one binary being built.
type compile struct{ image, main, platform string }

// running is a compile in progress: when it started and the timer of its
// next "still compiling" line.
type running struct {
	start time.Time
	next  *time.Timer
}

func newProgress(log *slog.Logger, refs io.Writer) *progress {
	return &progress{log: log, refs: refs, running: map[compile]*running{}}
}

func (p *progress) Event(ev pipeline.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := compile{ev.Image, ev.Main, ev.Platform.String()}
	switch ev.Kind {
	case pipeline.CompileStarted:
		r := &running{start: time.Now()}
		p.running[key] = r
		p.remindAfter(key, r, 1)
		p.log.Info("compiling", "image", ev.Image, "package", ev.Main, "platform", ev.Platform.String())
	case pipeline.CompileFinished:
		if r := p.running[key]; r != nil {
			r.next.Stop()
			delete(p.running, key)
		}
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

// remindAfter arms r's timer for its n-th "still compiling" line, n ×
// progressEvery after r started: each compile is reported at 10 s, 20 s, …
// of its own, however late it started. Called with p.mu held.
func (p *progress) remindAfter(key compile, r *running, n int) {
	elapsed := time.Duration(n) * progressEvery
	r.next = time.AfterFunc(time.Until(r.start.Add(elapsed)), func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.running[key] != r { // finished (or stopped) meanwhile
			return
		}
		p.log.Info("still compiling", "image", key.image, "package", key.main, "platform", key.platform, "elapsed", elapsed.String())
		p.remindAfter(key, r, n+1)
	})
}

// stop ends the "still compiling" lines of compiles that never reported
// their end (a run that stopped early).
func (p *progress) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for key, r := range p.running {
		r.next.Stop()
		delete(p.running, key)
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
