package termprogress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
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
	d.Compiling("api", "linux/amd64", "./cmd/api")
	d.Compiled("api", "linux/amd64", false)
	d.Built("api", "linux/amd64", 3<<20, time.Second)
	d.Publishing("registry")
	d.Uploaded("registry", 1<<20)
	d.Published("registry", 1, time.Second, 3<<20)
	d.Close()
	got := out.String()
	for _, want := range []string{"api linux/amd64", "built 3.0MiB", "registry", "published 1 images", "3.0MiB uploaded"} {
		if !strings.Contains(got, want) {
			t.Errorf("display output lacks %q:\n%s", want, got)
		}
	}
}
