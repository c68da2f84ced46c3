package builder

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestBuildIDMatchesGoTool(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	for _, tc := range []struct {
		name    string
		ldflags []string
		want    func(goTool string) string
	}{
		{"go's own", nil, func(g string) string { return g }},
		{"replaced with -buildid=", []string{"-buildid=custom"}, func(string) string { return "" }},
	} {
		out, err := buildHello(t, dir, Options{Platform: linux("arm64"), Ldflags: tc.ldflags})
		if err != nil {
			t.Fatal(err)
		}
		goTool, err := exec.Command("go", "tool", "buildid", out).Output()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := BuildID(out), tc.want(strings.TrimSpace(string(goTool))); got != want {
			t.Errorf("%s: BuildID = %q, want %q", tc.name, got, want)
		}
	}
	if id := BuildID(os.DevNull); id != "" {
		t.Errorf("BuildID(/dev/null) = %q", id)
	}
}
