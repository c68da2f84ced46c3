package main

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/packager-dev/packager/internal/pipeline"
)

// logEvents turns pipeline events into log lines on stderr and the
// published references on stdout, one per line.
func logEvents(log *slog.Logger, stdout io.Writer) pipeline.Events {
	var mu sync.Mutex
	return pipeline.EventFunc(func(ev pipeline.Event) {
		switch ev.Kind {
		case pipeline.CompileFinished:
			if ev.Err == nil {
				log.Info("built", "image", ev.Image, "package", ev.Package, "platform", ev.Platform.String(), "took", round(ev.Took))
			}
		case pipeline.PublishStarted:
			log.Debug("output", "to", ev.Output)
		case pipeline.Published:
			attrs := []any{"to", ev.Output, "images", len(ev.Refs), "took", round(ev.Took)}
			if ev.Output == "registry" {
				attrs = append(attrs, "uploaded_bytes", ev.Uploaded)
			}
			log.Info("published", attrs...)
			mu.Lock()
			defer mu.Unlock()
			for _, ref := range ev.Refs {
				fmt.Fprintln(stdout, ref)
			}
		}
	})
}

func round(d time.Duration) string { return d.Round(time.Millisecond).String() }
