package testenv

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Registry is a running Debian docker-registry on a loopback port.
type Registry struct {
	Host     string // "127.0.0.1:PORT"
	Username string // set when started with auth
	Password string
	DataDir  string // storage root, for tests that corrupt what it stores
	stop     func()
}

// Stop kills the registry now, for tests of what a client does when its
// registry dies. Calling it again, or the cleanup after it, is harmless.
func (r *Registry) Stop() { r.stop() }

// RegistryOption changes how StartRegistry configures the registry.
type RegistryOption func(*registryConfig)

type registryConfig struct{ auth bool }

// WithAuth makes the registry require basic auth (htpasswd) for every call.
func WithAuth() RegistryOption { return func(c *registryConfig) { c.auth = true } }

// StartRegistry starts `docker-registry serve` on a free 127.0.0.1 port with
// storage in a temp dir, waits until it answers, and stops it when the test
// ends.
//
// The port is picked by binding port 0 and closing it, so another process
// (a registry of a test package running in parallel) can take it first.
// Each registry therefore sends a random header that waitReady checks, so
// it never mistakes another server for its own, and a registry that could
// not bind is started again on a new port.
func StartRegistry(t testing.TB, opts ...RegistryOption) *Registry {
	t.Helper()
	bin := RequireTool(t, "docker-registry")
	var c registryConfig
	for _, o := range opts {
		o(&c)
	}
	var errs []string
	for range 5 {
		r, err := startRegistry(t, bin, c)
		if err == nil {
			return r
		}
		errs = append(errs, err.Error())
	}
	t.Fatalf("docker-registry did not start:\n%s", strings.Join(errs, "\n"))
	return nil
}

// startRegistry makes one attempt of StartRegistry.
func startRegistry(t testing.TB, bin string, c registryConfig) (*Registry, error) {
	dir := t.TempDir()
	r := &Registry{Host: "127.0.0.1:" + FreePort(t), DataDir: filepath.Join(dir, "data")}
	id := RandomHex(8)
	cfg := fmt.Sprintf(`version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
  headers:
    X-Packager-Test-Registry: [%s]
`, filepath.Join(dir, "data"), r.Host, id)
	if c.auth {
		r.Username, r.Password = "packager", "s3cret-for-tests"
		hash, err := bcrypt.GenerateFromPassword([]byte(r.Password), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		htpasswd := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(htpasswd, []byte(r.Username+":"+string(hash)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg += fmt.Sprintf("auth:\n  htpasswd:\n    realm: packager-test\n    path: %s\n", htpasswd)
	}
	cfgPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}

	logFile, err := os.Create(filepath.Join(dir, "registry.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", cfgPath)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start docker-registry: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			_ = cmd.Process.Kill()
			<-exited //nolint:errcheck // killed: the exit status says nothing
			_ = logFile.Close()
		})
	}
	if err := waitReady(r.Host, id, exited); err != nil {
		r.stop()
		log, _ := os.ReadFile(logFile.Name())
		return nil, fmt.Errorf("docker-registry on %s: %w\nlog:\n%s", r.Host, err, log)
	}
	t.Cleanup(r.stop)
	return r, nil
}

// waitReady polls /v2/ until the registry answers (200, or 401 with auth)
// with the header id. Polling is the only signal a server process gives
// that it is listening.
func waitReady(host, id string, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+"/v2/", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			ours := resp.Header.Get("X-Packager-Test-Registry") == id
			if ours && (resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized) {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("exited before it was ready: %w", err)
		case <-ctx.Done():
			return fmt.Errorf("not ready after 30s")
		case <-tick.C:
		}
	}
}

// FreePort returns a loopback TCP port that was free a moment ago. Another
// process may take it before the caller binds it: a caller must detect that
// and try again (as StartRegistry does), or better, listen on port 0 itself.
// It is neither a closed port (use RefusedAddr) nor a unique name (use
// RandomHex).
func FreePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	addr := l.Addr().String()
	return addr[strings.LastIndex(addr, ":")+1:]
}
