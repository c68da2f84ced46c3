package termprogress

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Display is a live progress display. Its methods are safe for
// concurrent use; call Close once the build has ended.
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

// Compiling shows that a binary of image for platform is being compiled.
func (d *Display) Compiling(image, platform, main string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.line(image+" "+platform, 0).set("compiling " + main)
}

// Compiled shows that a compile ended; a failed one ends its line.
func (d *Display) Compiled(image, platform string, failed bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.line(image+" "+platform, 0)
	if failed {
		l.set("failed")
		l.bar.Abort(false)
		return
	}
	l.set("assembling")
}

// Built shows an assembled image of size bytes, which took took.
func (d *Display) Built(image, platform string, size int64, took time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.built += size
	l := d.line(image+" "+platform, 0)
	l.set(fmt.Sprintf("built %.1f, %s", decor.SizeB1024(size), took.Round(time.Millisecond)))
	l.bar.SetTotal(-1, true)
}

// Publishing shows that output started; a registry output gets a bar of
// the bytes uploaded against the images' size.
func (d *Display) Publishing(output string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.line(output, d.built).set("publishing")
}

// Uploaded shows the bytes sent so far.
func (d *Display) Uploaded(output string, n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.line(output, d.built)
	l.set("uploading")
	l.bar.SetCurrent(min(n, d.built))
}

// Published ends an output's line: images published, time, and for a
// registry (uploaded ≥ 0) the bytes sent.
func (d *Display) Published(output string, images int, took time.Duration, uploaded int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.line(output, d.built)
	msg := fmt.Sprintf("published %d images in %s", images, took.Round(time.Millisecond))
	if uploaded >= 0 {
		msg += fmt.Sprintf(", %.1f uploaded", decor.SizeB1024(uploaded))
		l.bar.SetCurrent(uploaded)
	}
	l.set(msg)
	l.bar.SetTotal(-1, true)
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
