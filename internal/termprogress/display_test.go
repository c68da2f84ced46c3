package termprogress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/pipeline"
	"github.com/packager-dev/packager/vocab"
)

// syncBuffer is a bytes.Buffer safe for mpb's render goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestDisplayShowsEachStep(t *testing.T) {
	var out syncBuffer
	d := New(&out)
	amd64 := vocab.Platform{OS: "linux", Architecture: "amd64"}
	for _, ev := range []pipeline.Event{
		{Kind: pipeline.CompileStarted, Image: "api", Main: "./cmd/api", Platform: amd64},
		{Kind: pipeline.CompileFinished, Image: "api", Main: "./cmd/api", Platform: amd64},
		{Kind: pipeline.ImageBuilt, Image: "api", Platform: amd64, Size: 3 << 20, Took: time.Second},
		{Kind: pipeline.PublishStarted, Output: "registry"},
		{Kind: pipeline.Uploading, Output: "registry", Uploaded: 1 << 20},
		{Kind: pipeline.Published, Output: "registry", Refs: []string{"r/api:latest@sha256:x"}, Uploaded: 3 << 20, Took: time.Second},
	} {
		d.Event(ev)
	}
	d.Close()
	got := out.String()
	for _, want := range []string{"api linux/amd64", "built 3.0MiB", "registry", "published 1 images", "3.0MiB uploaded"} {
		if !strings.Contains(got, want) {
			t.Errorf("display output lacks %q:\n%s", want, got)
		}
	}
}
