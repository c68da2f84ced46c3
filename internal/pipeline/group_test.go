package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Binaries with the same platform and settings share one go build; other
// settings get their own. Every binary still has its own events.
func TestOneGoBuildPerPlatformAndSettings(t *testing.T) {
	log := filepath.Join(t.TempDir(), "go-calls")
	// The fake go has only an amd64 binary: two amd64 variants make two platforms.
	r, _ := testRequest(t, `platforms: [linux/amd64, linux/amd64/v3]
base: scratch
images:
  - {name: a, main: ./cmd/a}
  - {name: b, main: ./cmd/b}
  - {name: c, main: ./cmd/c}
  - {name: d, main: ./cmd/d, ldflags: ['-X main.v=1']}
`, "FAKE_GO_LOG="+log)
	r.CacheDir = t.TempDir()
	rec := &recorder{}
	r.Events = rec
	runOK(t, r)
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	calls := strings.Split(strings.TrimSpace(string(b)), "\n")
	var many int
	for _, c := range calls {
		if strings.Contains(c, "./cmd/a ./cmd/b ./cmd/c") {
			many++
		}
	}
	// a, b, c together for each platform; d alone for each platform.
	if len(calls) != 4 || many != 2 {
		t.Errorf("go was run %d times, %d of them for a, b and c together; want 4 and 2:\n%s", len(calls), many, b)
	}
	if n := len(rec.kinds(CompileStarted)); n != 8 {
		t.Errorf("%d CompileStarted events, want 8", n)
	}
	finished := rec.kinds(CompileFinished)
	if len(finished) != 8 {
		t.Fatalf("%d CompileFinished events, want 8", len(finished))
	}
	for _, e := range finished {
		if e.Err != nil || e.Package != "example.com/app/cmd/"+e.Image {
			t.Errorf("CompileFinished %+v", e)
		}
	}
	if n := len(rec.kinds(ImageBuilt)); n != 8 {
		t.Errorf("%d ImageBuilt events, want 8", n)
	}
}
