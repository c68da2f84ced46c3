package termprogress

import (
	"strings"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
)

func TestDisplayShowsEachStep(t *testing.T) {
	var out testenv.SyncBuffer
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
