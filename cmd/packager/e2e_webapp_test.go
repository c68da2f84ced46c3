package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
)

// webappInfo is what examples/webapp reports at /info.
type webappInfo struct {
	Version   string   `json:"version"`
	UID       int      `json:"uid"`
	GID       int      `json:"gid"`
	Workdir   string   `json:"workdir"`
	Static    []string `json:"static"`
	Greeting  string   `json:"greeting"`
	TZData    bool     `json:"tzdata"`
	PrivateCA bool     `json:"private_ca"`
}

func (w webappInfo) check(t *testing.T, version string) {
	t.Helper()
	if w.Version != version || w.UID != 65532 || w.GID != 65532 || w.Workdir != "/srv/webapp" ||
		w.Greeting != "hello from webapp" || !w.TZData || !w.PrivateCA ||
		strings.Join(w.Static, ",") != "static/css,static/home.html,static/index.html" {
		t.Errorf("webapp /info = %+v", w)
	}
}

// TestWebappRunc builds examples/webapp (every image field) into a layout
// and checks the unpacked filesystem (modes, owners, symlinks, the second
// binary, CA bundle, zoneinfo) and the running server under runc.
func TestWebappRunc(t *testing.T) {
	root := repoRoot(t)
	out := filepath.Join(t.TempDir(), "oci")
	mustPackager(t, root, []string{"WEBAPP_VERSION=1.2.3"}, "build", "-f", "examples/webapp/packager.yaml", "--oci-layout", out)
	b := testenv.Unpack(t, out+":webapp:1.2.3")
	rootfs := filepath.Join(b.Dir, "rootfs")
	for _, f := range []struct {
		path     string
		mode     os.FileMode
		uid, gid uint32
	}{
		{"srv/webapp/static", os.ModeDir | 0o755, 65532, 65532},
		{"srv/webapp/static/index.html", 0o644, 65532, 65532},
		{"srv/webapp/static/css/site.css", 0o644, 65532, 65532},
		{"srv/webapp/static/home.html", os.ModeSymlink | 0o777, 65532, 65532},
		{"srv/webapp/README.html", 0o444, 0, 0},
		{"usr/local/bin/webapp", 0o755, 0, 0},
		{"usr/local/bin/migrate", 0o755, 0, 0},
		{"usr/share/zoneinfo", os.ModeDir | 0o755, 0, 0},
		{"usr/share/zoneinfo/Europe", os.ModeDir | 0o755, 0, 0},
		{"usr/share/zoneinfo/Europe/Paris", 0o644, 0, 0},
	} {
		st, err := os.Lstat(filepath.Join(rootfs, f.path))
		if err != nil {
			t.Errorf("%s: %v", f.path, err)
			continue
		}
		sys := st.Sys().(*syscall.Stat_t)
		if st.Mode() != f.mode || sys.Uid != f.uid || sys.Gid != f.gid {
			t.Errorf("/%s: %v %d:%d, want %v %d:%d", f.path, st.Mode(), sys.Uid, sys.Gid, f.mode, f.uid, f.gid)
		}
	}
	if link, _ := os.Readlink(filepath.Join(rootfs, "srv/webapp/static/home.html")); link != "index.html" {
		t.Errorf("home.html -> %q, want index.html", link)
	}
	if uid, gid := b.User(); uid != 65532 || gid != 65532 {
		t.Errorf("user %v:%v", uid, gid)
	}
	if cwd := b.Process()["cwd"]; cwd != "/srv/webapp" {
		t.Errorf("cwd %v", cwd)
	}

	p := b.Process()
	body, _ := serveOnFreePort(t, b, func(addr string) { p["args"] = []any{"/usr/local/bin/webapp", "-addr", addr} }, "/info",
		func(body string) bool { return strings.Contains(body, `"greeting"`) })
	var info webappInfo
	if err := json.Unmarshal([]byte(body), &info); err != nil {
		t.Fatalf("%v: %q", err, body)
	}
	info.check(t, "1.2.3")
}

// TestWebappDocker loads examples/webapp into the Docker engine and checks
// what docker inspect shows, that the health check turns healthy, and what
// the server reports.
func TestWebappDocker(t *testing.T) {
	docker := testenv.RequireDocker(t)
	root := repoRoot(t)
	tag := uniqueTag(t)
	repo := uniqueRepo(t)
	mustPackager(t, root, []string{"WEBAPP_VERSION=" + tag}, "build", "-f", "examples/webapp/packager.yaml",
		"--docker", "--repo", repo)
	ref := repo + "/webapp:" + tag
	t.Cleanup(func() {
		_, _, _ = testenv.RunErr("", docker, "rmi", "-f", ref, repo+"/webapp:latest")
	})

	var img []struct {
		Config struct {
			ExposedPorts map[string]any
			Env          []string
			WorkingDir   string
			User         string
			Labels       map[string]string
			Volumes      map[string]any
			StopSignal   string
			Healthcheck  struct{ Test []string }
		}
	}
	if err := json.Unmarshal([]byte(testenv.Run(t, "", docker, "image", "inspect", ref)), &img); err != nil || len(img) != 1 {
		t.Fatalf("docker image inspect: %v", err)
	}
	c := img[0].Config
	if _, ok := c.ExposedPorts["8080/tcp"]; !ok || c.WorkingDir != "/srv/webapp" || c.User != "65532:65532" ||
		c.Labels["org.opencontainers.image.title"] != "webapp" || c.StopSignal != "SIGTERM" ||
		!strings.Contains(strings.Join(c.Env, " "), "GREETING=hello from webapp") ||
		strings.Contains(strings.Join(c.Env, " "), "ZONEINFO=") || // found at /usr/share/zoneinfo without it
		strings.Join(c.Healthcheck.Test, " ") != "CMD /usr/local/bin/webapp -healthcheck -addr :8080" {
		t.Errorf("docker inspect config: %+v", c)
	}
	if _, ok := c.Volumes["/var/lib/webapp"]; !ok {
		t.Errorf("volumes %v", c.Volumes)
	}
	if out := testenv.Run(t, "", docker, "run", "--rm", "--entrypoint", "/usr/local/bin/migrate", ref); !strings.Contains(out, "schema is up to date") {
		t.Errorf("migrate: %q", out)
	}

	// Docker picks the host port, so no other process can have it.
	id := strings.TrimSpace(testenv.Run(t, "", docker, "run", "-d", "-p", "127.0.0.1::8080", ref))
	t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rm", "-f", id) })
	hostAddr := strings.TrimSpace(testenv.Run(t, "", docker, "port", id, "8080/tcp"))
	deadline := time.Now().Add(60 * time.Second)
	for {
		status := strings.TrimSpace(testenv.Run(t, "", docker, "inspect", "-f", "{{.State.Health.Status}}", id))
		if status == "healthy" {
			break
		}
		if time.Now().After(deadline) {
			logs, _, _ := testenv.RunErr("", docker, "logs", id)
			t.Fatalf("health status %q after 60s; logs:\n%s", status, logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var info webappInfo
	if err := json.Unmarshal([]byte(getWhenUp(t, "http://"+hostAddr+"/info", nil)), &info); err != nil {
		t.Fatal(err)
	}
	info.check(t, tag)
}
