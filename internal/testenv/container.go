package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Copy copies an image between skopeo transports, e.g. from
// "docker://127.0.0.1:5000/team/hello:latest" to "oci:/tmp/x:img". Plain
// HTTP is allowed for the loopback registries the tests start.
func Copy(t testing.TB, src, dst string, extra ...string) {
	t.Helper()
	skopeo := RequireTool(t, "skopeo")
	args := []string{"--insecure-policy", "copy"}
	if strings.HasPrefix(src, "docker://") {
		args = append(args, "--src-tls-verify=false")
	}
	if strings.HasPrefix(dst, "docker://") {
		args = append(args, "--dest-tls-verify=false")
	}
	args = append(append(args, extra...), src, dst)
	Run(t, "", skopeo, args...)
}

// Bundle is an image unpacked by umoci into an OCI runtime bundle.
type Bundle struct {
	Dir  string
	Spec map[string]any // config.json, changed by the test before Run
}

// Unpack unpacks "LAYOUT:TAG" with umoci into a runtime bundle and sets
// process.terminal=false so runc can run it without a TTY. umoci derives
// process.user from the image config and its /etc/passwd.
func Unpack(t testing.TB, image string) *Bundle {
	t.Helper()
	umoci := RequireTool(t, "umoci")
	dir := filepath.Join(t.TempDir(), "bundle")
	Run(t, "", umoci, "unpack", "--image", image, dir)
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	b := &Bundle{Dir: dir}
	if err := json.Unmarshal(raw, &b.Spec); err != nil {
		t.Fatal(err)
	}
	b.Process()["terminal"] = false
	return b
}

// Process returns the spec's process object.
func (b *Bundle) Process() map[string]any { return b.Spec["process"].(map[string]any) }

// User returns the uid and gid runc will run the process as.
func (b *Bundle) User() (uid, gid float64) {
	u := b.Process()["user"].(map[string]any)
	uid, _ = u["uid"].(float64)
	gid, _ = u["gid"].(float64)
	return uid, gid
}

// HostNetwork drops the network namespace so a server in the container
// listens on the host's loopback, where the test can reach it.
func (b *Bundle) HostNetwork() {
	linux := b.Spec["linux"].(map[string]any)
	var kept []any
	for _, ns := range linux["namespaces"].([]any) {
		if ns.(map[string]any)["type"] != "network" {
			kept = append(kept, ns)
		}
	}
	linux["namespaces"] = kept
}

// Command returns a `runc run` command for the bundle; the container is
// killed and deleted when the test ends.
func (b *Bundle) Command(t testing.TB) *exec.Cmd {
	t.Helper()
	runc := RequireTool(t, "runc")
	if os.Geteuid() != 0 {
		Unavailable(t, "runc run needs root")
	}
	raw, err := json.MarshalIndent(b.Spec, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.Dir, "config.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	id := "packager-test-" + RandomHex(6)
	t.Cleanup(func() {
		_, _, _ = RunErr("", runc, "kill", id, "KILL")
		_, _, _ = RunErr("", runc, "delete", "--force", id)
	})
	return exec.Command(runc, "run", "--bundle", b.Dir, id)
}

// Run runs the bundle to completion and returns its stdout, stderr and
// error.
func (b *Bundle) Run(t testing.TB) (string, string, error) {
	t.Helper()
	cmd := b.Command(t)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// RandomHex is n random bytes in hex, for names concurrent test runs must not share.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
