package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestConfigImages: several images from one packager.yaml, pushed with
// every tag, with per-image user, path, args and env on top of defaults;
// stdout lists them in file order.
func TestConfigImages(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	hello, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "hello", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	yaml := fmt.Sprintf(`repo: %s/multi
defaults:
  tags: [latest, v1]
  env: {GREETING: Howdy}
images:
  - main: ./cmd/hello
  - name: root-hello
    main: ./cmd/hello
    user: root
    path: /app/hello
    args: [root]
`, reg.Host)
	dir := writeModule(t, map[string]string{"cmd/hello/main.go": string(hello), "packager.yaml": yaml})
	names, digests := mustPackager(t, dir, nil, "build").refs(t)
	want := []string{reg.Host + "/multi/hello:latest", reg.Host + "/multi/root-hello:latest"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("stdout refs %v, want %v", names, want)
	}
	for i, name := range names {
		for _, tag := range []string{"latest", "v1"} {
			ref := strings.TrimSuffix(name, ":latest") + ":" + tag
			if got := strings.TrimSpace(testenv.Run(t, "", crane, "digest", "--insecure", ref)); got != digests[i] {
				t.Errorf("%s is %s, want %s", ref, got, digests[i])
			}
		}
	}

	layout := filepath.Join(t.TempDir(), "pulled")
	testenv.Copy(t, "docker://"+names[1], "oci:"+layout+":img")
	b := testenv.Unpack(t, layout+":img")
	if uid, _ := b.User(); uid != 0 {
		t.Errorf("root-hello runs as uid %v, want 0", uid)
	}
	out := runBundle(t, b)
	if !strings.Contains(out, "Howdy, root!") || !strings.Contains(out, "uid=0") {
		t.Errorf("root-hello output %q", out)
	}
	if args := fmt.Sprint(b.Process()["args"]); args != "[/app/hello root]" {
		t.Errorf("root-hello process args %s, want [/app/hello root]", args)
	}
}

// TestInterrupt: SIGINT (Ctrl-C) or SIGTERM during a build stops go build,
// exits 130 or 143 and leaves no output. A -toolexec script stands in for a
// slow compile: it signals through a fifo that the build is under way, then
// blocks.
func TestInterrupt(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			dir := writeModule(t, map[string]string{"main.go": helloMain})
			fifo := filepath.Join(t.TempDir(), "started")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			writeSlowConfig(t, dir, "packager.yaml", "echo started > "+fifo)
			cmd := exec.Command(packagerBin, "build")
			cmd.Dir = dir
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Opening the fifo for reading blocks until the tool has started.
			if _, err := os.ReadFile(fifo); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if exitCodeOf(err) != tc.code {
				t.Errorf("exit after %s: %v, want code %d; stderr:\n%s", tc.sig, err, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted") || stdout.String() != "" {
				t.Errorf("stdout %q, stderr:\n%s", stdout.String(), stderr.String())
			}
			assertNoOutput(t, dir)
		})
	}
}

// TestInterruptWhileReadingFIFO: a packager.yaml that is a FIFO nobody
// writes to must not make packager deaf to Ctrl-C: config.LoadContext stops
// on the signal, and packager exits 130 after SIGINT and 143 after SIGTERM.
// main's fallback (exit anyway, stopGrace after the signal) must not be
// what ends it: it would hide a LoadContext that ignores its context, so
// the exit must come well before stopGrace and without the fallback's
// message.
func TestInterruptWhileReadingFIFO(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			t.Parallel()
			fifo := filepath.Join(t.TempDir(), "packager.yaml")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(packagerBin, "validate", "-f", fifo)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForFIFO(t, cmd.Process.Pid, fifo)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if exitCodeOf(err) != tc.code {
					t.Errorf("exit %v, want %d; stderr:\n%s", err, tc.code, stderr.String())
				}
				if strings.Contains(stderr.String(), "exiting without waiting") {
					t.Errorf("main's fallback ended packager, not config.LoadContext; stderr:\n%s", stderr.String())
				}
			case <-time.After(stopGrace / 3):
				_ = cmd.Process.Kill()
				<-done
				t.Fatalf("packager still reading the FIFO %s after %s; stderr:\n%s", stopGrace/3, tc.sig, stderr.String())
			}
		})
	}
}

// waitForFIFO waits until pid is reading the fifo: it holds it open (a
// non-blocking open that polls), or is blocked opening it (its wchan names
// the fifo wait). /proc is polled: the kernel gives no event for either.
func waitForFIFO(t *testing.T, pid int, fifo string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		for _, fd := range fds {
			if target, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name())); target == fifo {
				return
			}
		}
		for _, tid := range threads(pid) {
			w, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/wchan", pid, tid))
			if strings.Contains(string(w), "wait_for_partner") || strings.Contains(string(w), "fifo") {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("packager never opened the fifo")
}

func threads(pid int) []string {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}
