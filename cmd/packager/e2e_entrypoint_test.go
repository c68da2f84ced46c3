package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// entrypointYAML is a Dockerfile's `CMD ["/usr/local/bin/app", "entry"]`
// with no ENTRYPOINT, written as packager.yaml.
const entrypointYAML = `images:
  - main: .
    entrypoint: []
    args: [/usr/local/bin/app, entry]
`

// TestEmptyEntrypoint: entrypoint: [] gives an image with no entrypoint
// whose Cmd is the whole command, so runc and Docker run args as written
// (not "/usr/local/bin/app /usr/local/bin/app entry").
func TestEmptyEntrypoint(t *testing.T) {
	dir := copyExample(t, "hello")
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(entrypointYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	mustPackager(t, dir, nil, "build", "--oci-layout", "out")
	image := filepath.Join(dir, "out") + ":app:latest"

	skopeo := testenv.RequireTool(t, "skopeo")
	var cf struct {
		Config struct {
			Entrypoint []string
			Cmd        []string
		} `json:"config"`
	}
	raw := testenv.Run(t, "", skopeo, "inspect", "--config", "oci:"+image)
	if err := json.Unmarshal([]byte(raw), &cf); err != nil {
		t.Fatalf("skopeo inspect --config: %v\n%s", err, raw)
	}
	if cf.Config.Entrypoint != nil || strings.Join(cf.Config.Cmd, " ") != "/usr/local/bin/app entry" {
		t.Errorf("image config Entrypoint %q Cmd %q, want none and [/usr/local/bin/app entry]", cf.Config.Entrypoint, cf.Config.Cmd)
	}

	b := testenv.Unpack(t, image)
	if args := fmt.Sprint(b.Process()["args"]); args != "[/usr/local/bin/app entry]" {
		t.Errorf("runc process args %s, want [/usr/local/bin/app entry]", args)
	}
	if out := runBundle(t, b); !strings.Contains(out, "Hello from packager, entry!") {
		t.Errorf("runc output %q", out)
	}

	t.Run("docker", func(t *testing.T) {
		docker := testenv.RequireDocker(t)
		tag := uniqueTag(t)
		tarball := filepath.Join(t.TempDir(), "app.tar")
		mustPackager(t, dir, nil, "build", "--tarball", tarball, "--repo", "packager-test.local/e2e", "-t", tag)
		ref := "packager-test.local/e2e/app:" + tag
		t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rmi", "-f", ref) })
		testenv.Run(t, "", docker, "load", "-i", tarball)
		if out := testenv.Run(t, "", docker, "run", "--rm", "--network=none", ref); !strings.Contains(out, "Hello from packager, entry!") {
			t.Errorf("docker run output %q", out)
		}
	})
}
