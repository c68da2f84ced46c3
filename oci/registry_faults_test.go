package oci

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
	"golang.org/x/sync/errgroup"
)

// fastRetry keeps the fault tests short: the same rules as the defaults,
// on a smaller time scale (a 429's Retry-After of 1s is still honoured).
var fastRetry = Retry{MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Stall: 500 * time.Millisecond, GiveUp: 20 * time.Second}

// TestPushUnderFaults pushes 100 images through a proxy that fails 20% of
// the requests to the real docker-registry (5xx, 429 with Retry-After,
// connection resets before and after the registry acted, cut response
// bodies, stalls). At least 99% of the pushes must succeed, and every tag
// the registry has must point at a complete image.
func TestPushUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("pushes 100 images")
	}
	crane := testenv.RequireTool(t, "crane")
	reg := testenv.StartRegistry(t)
	proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 0.2, Seed: uint64(time.Now().UnixNano())})
	const n = 100 // so that 99% allows one failure, not none
	images := make([]Artifact, n)
	for i := range images {
		images[i] = Artifact{Repository: fmt.Sprintf("%s/faults/app%d", proxy.Host, i%5), Tags: []string{fmt.Sprint("v", i)},
			Image: testImage(t, linuxAmd64, fmt.Sprint("image ", i))}
	}
	out, err := ParseOutput("registry", anonymous, WithRetry(fastRetry), WithPushTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var ok atomic.Int64
	var mu sync.Mutex
	var failures []string
	var g errgroup.Group
	g.SetLimit(8)
	for _, a := range images {
		g.Go(func() error {
			if _, err := out.Write(context.Background(), []Artifact{a}); err != nil {
				mu.Lock()
				failures = append(failures, err.Error())
				mu.Unlock()
				return nil
			}
			ok.Add(1)
			return nil
		})
	}
	_ = g.Wait()
	t.Logf("%d of %d pushes survived in %s; proxy: %s", ok.Load(), n, time.Since(start).Round(time.Millisecond), proxy.Summary())
	for _, f := range failures {
		t.Logf("failed: %s", f)
		if strings.Contains(f, "_state") {
			t.Errorf("an error shows an upload _state token: %s", f)
		}
	}
	if float64(ok.Load()) < 0.99*n {
		t.Errorf("%d of %d pushes succeeded, want at least 99%%", ok.Load(), n)
	}
	var faults int64
	for _, f := range []testenv.Fault{testenv.Fault5xx, testenv.Fault429, testenv.FaultReset, testenv.FaultCutBody, testenv.FaultStall} {
		if proxy.Injected(f) == 0 {
			t.Errorf("no %s fault was injected; the test proves nothing about it", f)
		}
		faults += proxy.Injected(f)
	}

	// Every tag that exists, whether its push was reported as failed or
	// not, must point at an image whose blobs are all there (read from
	// the registry directly, not through the proxy).
	for r := range 5 {
		repo := fmt.Sprintf("%s/faults/app%d", reg.Host, r)
		tags, _, err := testenv.RunErr("", crane, "ls", "--insecure", repo)
		if err != nil {
			continue // no tag at all in this repository
		}
		for _, tag := range strings.Fields(tags) {
			testenv.Run(t, "", crane, "validate", "--insecure", "--remote", repo+":"+tag)
		}
	}
}

// TestPushPersistentFailure checks that a registry that always fails (or
// always stalls) ends the push once GiveUp has passed without progress,
// with an error that names the registry and the last failure and shows no
// upload token.
func TestPushPersistentFailure(t *testing.T) {
	reg := testenv.StartRegistry(t)
	tests := []struct {
		fault testenv.Fault
		want  string
	}{
		{testenv.Fault5xx, "injected fault"}, // the last status, with the registry's message
		{testenv.Fault429, "429 Too Many Requests"},
		{testenv.FaultStall, "no bytes moved"},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{tt.fault}})
			p := fastRetry
			p.GiveUp = 2 * time.Second
			out, err := ParseOutput("registry", anonymous, WithRetry(p))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = out.Write(context.Background(), []Artifact{{Repository: proxy.Host + "/down/app", Tags: []string{"v1"}, Image: testImage(t, linuxAmd64, "down")}})
			took := time.Since(start)
			t.Logf("failed after %s and %s: %v", took.Round(time.Millisecond), proxy.Summary(), err)
			wantErrContains(t, err, "registry "+proxy.Host)
			wantErrContains(t, err, tt.want)
			if took > p.GiveUp+3*time.Second {
				t.Errorf("took %s, want about GiveUp (%s)", took, p.GiveUp)
			}
		})
	}
}
