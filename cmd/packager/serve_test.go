package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
)

// serveOnFreePort runs a server bundle on the host's network namespace at
// a free loopback port and returns the body of GET path from it, and a
// reader of its output. listenOn puts the address into the bundle's
// process. The port was free a moment before the server binds it: when a
// process of a test package running in parallel takes it first, the server
// exits saying the address is in use, or what answers is not this server
// (ours is false for its body), and the server starts again on a new port.
func serveOnFreePort(t *testing.T, b *testenv.Bundle, listenOn func(addr string), path string, ours func(body string) bool) (string, func() string) {
	t.Helper()
	const tries = 5
	for try := 1; ; try++ {
		addr := "127.0.0.1:" + testenv.FreePort(t)
		listenOn(addr)
		done, logs := serveBundle(t, b)
		body, up := waitUp(t, "http://"+addr+path, done)
		switch {
		case up && ours(body):
			return body, logs
		case try == tries:
			t.Fatalf("the server did not start on a free port in %d tries; last answer %q; logs:\n%s", tries, body, logs())
		case up:
			t.Logf("%s answered %q: another process has the port; trying another", addr, body)
		case strings.Contains(logs(), "address already in use"):
			t.Logf("%s was taken before the server bound it; trying another", addr)
		default:
			t.Fatalf("the server exited before answering; logs:\n%s", logs())
		}
	}
}

// serveBundle starts a server bundle on the host's network namespace and
// returns a channel that receives its exit and a reader of its output so far.
func serveBundle(t *testing.T, b *testenv.Bundle) (<-chan error, func() string) {
	t.Helper()
	b.HostNetwork()
	cmd := b.Command(t)
	var (
		mu   sync.Mutex
		logs bytes.Buffer
	)
	w := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	})
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return done, func() string {
		mu.Lock()
		defer mu.Unlock()
		return logs.String()
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// getWhenUp polls url until the server answers, and fails the test if its
// process exits first.
func getWhenUp(t *testing.T, url string, exited <-chan error) string {
	t.Helper()
	body, up := waitUp(t, url, exited)
	if !up {
		t.Fatalf("the server for %s exited before answering", url)
	}
	return body
}

// waitUp polls url until the server answers (up, with the body) or its
// process exits (not up); it fails the test after 30 s of neither.
func waitUp(t *testing.T, url string, exited <-chan error) (body string, up bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		// A timeout: a listener of another process may never answer.
		if resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(url); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return string(b), true
		}
		select {
		case err := <-exited:
			t.Logf("the server for %s exited: %v", url, err)
			return "", false
		case <-deadline:
			t.Fatalf("the server at %s did not answer in 30s", url)
		case <-tick.C:
		}
	}
}
