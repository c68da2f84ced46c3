package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestPushPullRun is the core promise end to end: build each example, push
// it to a real docker-registry, pull it back with skopeo, unpack it with
// umoci and run it with runc as the image's user.
func TestPushPullRun(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	root := repoRoot(t)

	tests := []struct {
		example string
		check   func(t *testing.T, b *testenv.Bundle)
	}{
		{"hello", func(t *testing.T, b *testenv.Bundle) {
			out := runBundle(t, b)
			for _, want := range []string{"Hello from packager, world!", "uid=65532 gid=65532"} {
				if !strings.Contains(out, want) {
					t.Errorf("output %q lacks %q", out, want)
				}
			}
		}},
		{"https-client", func(t *testing.T, b *testenv.Bundle) {
			out := runBundle(t, b)
			m := regexp.MustCompile(`CA roots: (\d+)`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("output %q has no root count", out)
			}
			if n, _ := strconv.Atoi(m[1]); n <= 100 {
				t.Errorf("image has %d CA roots, want > 100", n)
			}
		}},
		{"server", checkServer},
	}
	for _, tc := range tests {
		t.Run(tc.example, func(t *testing.T) {
			repo := reg.Host + "/team"
			r := mustPackager(t, root, nil, "build", "--repo", repo, "-f", filepath.Join("examples", tc.example, "packager.yaml"))
			names, digests := r.refs(t)
			wantName := fmt.Sprintf("%s/%s:latest", repo, tc.example)
			if len(names) != 1 || names[0] != wantName {
				t.Fatalf("stdout refs %v, want [%s]", names, wantName)
			}
			if got := strings.TrimSpace(testenv.Run(t, "", crane, "digest", "--insecure", wantName)); got != digests[0] {
				t.Errorf("crane digest %s = %s, packager printed %s", wantName, got, digests[0])
			}
			layout := filepath.Join(t.TempDir(), "pulled")
			testenv.Copy(t, "docker://"+wantName, "oci:"+layout+":img")
			b := testenv.Unpack(t, layout+":img")
			if uid, gid := b.User(); uid != 65532 || gid != 65532 {
				t.Errorf("runc would run as %v:%v, want 65532:65532", uid, gid)
			}
			tc.check(t, b)
		})
	}
}

func runBundle(t *testing.T, b *testenv.Bundle) string {
	t.Helper()
	stdout, stderr, err := b.Run(t)
	if err != nil {
		t.Fatalf("runc run: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	return stdout
}

// checkServer runs the server example on the host's network namespace with
// its listen address moved to a free port, and talks to it over HTTP.
func checkServer(t *testing.T, b *testenv.Bundle) {
	p := b.Process()
	args := p["args"].([]any)
	if len(args) != 3 || args[1] != "-addr" || args[2] != ":8080" {
		t.Fatalf("image args %v, want [entrypoint -addr :8080] from packager.yaml", args)
	}
	env := fmt.Sprint(p["env"])
	if !strings.Contains(env, "MESSAGE=hello from a packager-built server") {
		t.Errorf("image env %s lacks MESSAGE from packager.yaml", env)
	}
	const want = "hello from a packager-built server (uid 65532)"
	body, logs := serveOnFreePort(t, b, func(addr string) { args[2] = addr }, "/",
		func(body string) bool { return strings.Contains(body, "packager-built server") })
	if strings.TrimSpace(body) != want {
		t.Errorf("GET / = %q, want %q; logs:\n%s", body, want, logs())
	}
}
