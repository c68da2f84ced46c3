package termprogress

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/packager-dev/packager/internal/pipeline"
)

// Display is a live progress display; it is a pipeline.Events. Call
// Close once the build has ended.
type Display struct {
	p *mpb.Progress

	mu    sync.Mutex
	lines map[string]*line // "image platform" or "output"
	built int64            // bytes of the images built, the upper bound of an upload
}

// line is one bar with the status its decorator shows. The status is
// atomic because mpb renders from its own goroutine, and Event holds d.mu
// while it calls into mpb.
type line struct {
	bar    *mpb.Bar
	status atomic.Value // string
}

func (l *line) set(s string) { l.status.Store(s) }

// New draws on w, which should be a terminal.
func New(w io.Writer) *Display {
	return &Display{p: mpb.New(mpb.WithOutput(w), mpb.WithAutoRefresh()), lines: map[string]*line{}}
}

// Event updates the display.
func (d *Display) Event(ev pipeline.Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch ev.Kind {
	case pipeline.CompileStarted:
		d.line(ev.Image+" "+ev.Platform.String(), 0).set("compiling " + ev.Main)
	case pipeline.CompileFinished:
		l := d.line(ev.Image+" "+ev.Platform.String(), 0)
		if ev.Err != nil {
			l.set("failed")
			l.bar.Abort(false)
			return
		}
		l.set("assembling")
	case pipeline.ImageBuilt:
		d.built += ev.Size
		l := d.line(ev.Image+" "+ev.Platform.String(), 0)
		l.set(fmt.Sprintf("built %.1f, %s", decor.SizeB1024(ev.Size), ev.Took.Round(1e6)))
		l.bar.SetTotal(-1, true)
	case pipeline.PublishStarted:
		d.line(ev.Output, d.built).set("publishing")
	case pipeline.Uploading:
		l := d.line(ev.Output, d.built)
		l.set("uploading")
		l.bar.SetCurrent(min(ev.Uploaded, d.built))
	case pipeline.Published:
		l := d.line(ev.Output, d.built)
		l.set(fmt.Sprintf("published %d images in %s", len(ev.Refs), ev.Took.Round(1e6)))
		if ev.Output == "registry" {
			l.set(fmt.Sprintf("published %d images in %s, %.1f uploaded", len(ev.Refs), ev.Took.Round(1e6), decor.SizeB1024(ev.Uploaded)))
			l.bar.SetCurrent(ev.Uploaded)
		}
		l.bar.SetTotal(-1, true)
	}
}

// line returns the line named key, adding it (with total bytes to show a
// bar for, or 0 for a status line) when new.
func (d *Display) line(key string, total int64) *line {
	if l, ok := d.lines[key]; ok {
		return l
	}
	l := &line{}
	l.set("")
	status := decor.Any(func(decor.Statistics) string { return l.status.Load().(string) })
	prepend := []decor.Decorator{decor.Name(key, decor.WCSyncSpaceR), decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace)}
	style := mpb.NopStyle()
	if total > 0 {
		prepend = append(prepend, decor.CountersKibiByte("% .1f / % .1f", decor.WCSyncSpace))
		style = mpb.BarStyle()
	}
	l.bar = d.p.New(total, style, mpb.PrependDecorators(prepend...), mpb.AppendDecorators(status))
	d.lines[key] = l
	return l
}

// Close ends every line still open and waits for the last frame.
func (d *Display) Close() {
	d.mu.Lock()
	for _, l := range d.lines {
		if !l.bar.Completed() && !l.bar.Aborted() {
			l.bar.Abort(false)
		}
	}
	d.mu.Unlock()
	d.p.Wait()
}
