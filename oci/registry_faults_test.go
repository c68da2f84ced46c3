package oci

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
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
	testenv.SkipShort(t, "pushes 100 images")
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
	testenv.Report(t, "%d of %d pushes survived in %s; proxy: %s", ok.Load(), n, time.Since(start).Round(time.Millisecond), proxy.Summary())
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
	for _, f := range []testenv.Fault{testenv.Fault5xx, testenv.Fault429, testenv.FaultReset, testenv.FaultCutBody, testenv.FaultStall, testenv.FaultStallBody} {
		if proxy.Injected(f) == 0 {
			t.Errorf("no %s fault was injected; the test proves nothing about it", f)
		}
		faults += proxy.Injected(f)
	}

	// Every tag that exists, whether its push was reported as failed or
	// not, must point at an image whose blobs are all there (read from
	// the registry directly, not through the proxy). Each successful push
	// made a tag of its own, so at least that many must be checked.
	validated := 0
	for r := range 5 {
		repo := fmt.Sprintf("%s/faults/app%d", reg.Host, r)
		tags, stderr, err := testenv.RunErr("", crane, "ls", "--insecure", repo)
		if err != nil {
			if !strings.Contains(stderr, "NAME_UNKNOWN") { // else: no push to it succeeded
				t.Errorf("crane ls %s: %v: %s", repo, err, stderr)
			}
			continue
		}
		for _, tag := range strings.Fields(tags) {
			testenv.Run(t, "", crane, "validate", "--insecure", "--remote", repo+":"+tag)
			validated++
		}
	}
	if int64(validated) < ok.Load() {
		t.Errorf("%d tags validated, fewer than the %d successful pushes", validated, ok.Load())
	}
	testenv.Report(t, "%d tags in the registry, each validated complete (crane validate --remote)", validated)
}

// scaledRetry is Retry's defaults at 1/30 of their durations, and
// scaledBound the promise "a registry that fails persistently ends the push
// within two minutes" at the same scale. (1/30 rather than fastRetry's
// 1/60: the time requests take does not scale down.)
var (
	scaledRetry = Retry{MinBackoff: 500 * time.Millisecond / 30, MaxBackoff: 10 * time.Second / 30, Stall: 30 * time.Second / 30, GiveUp: 80 * time.Second / 30}
	scaledBound = 2 * time.Minute / 30
)

// method matches requests by method and, when path is not empty, by a
// part of their path.
func method(m, path string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == m && strings.Contains(r.URL.Path, path) }
}

// TestPushPersistentFailure checks that a registry that always fails, on
// every request or only on one kind (the blob uploads, their commits,
// manifests, existence checks), ends the push within the bound, scaled,
// with an error that names the registry and shows no upload token. Stalls
// (before the response, or half way through its body) must end by GiveUp:
// the HEAD and POST that succeed before every retried upload, and the
// bytes of uploads that then fail, are no progress.
func TestPushPersistentFailure(t *testing.T) {
	reg := testenv.StartRegistry(t)
	tests := []struct {
		name  string
		fault testenv.Fault
		match func(*http.Request) bool
		want  string
	}{
		{"5xx", testenv.Fault5xx, nil, "injected fault"}, // the last status, with the registry's message
		{"429", testenv.Fault429, nil, "429 Too Many Requests"},
		{"stall", testenv.FaultStall, nil, "no bytes moved"},
		{"stall PATCH", testenv.FaultStall, method(http.MethodPatch, ""), "made no progress"},
		{"stall body PATCH", testenv.FaultStallBody, method(http.MethodPatch, ""), "made no progress"},
		{"5xx PATCH", testenv.Fault5xx, method(http.MethodPatch, ""), "injected fault"},
		{"reset PATCH", testenv.FaultReset, method(http.MethodPatch, ""), "/blobs/uploads/"},
		{"stall PUT", testenv.FaultStall, method(http.MethodPut, ""), "made no progress"},
		{"stall body PUT", testenv.FaultStallBody, method(http.MethodPut, ""), "made no progress"},
		{"stall PUT manifest", testenv.FaultStall, method(http.MethodPut, "/manifests/"), "made no progress"},
		{"5xx PUT", testenv.Fault5xx, method(http.MethodPut, ""), "made no progress"}, // though every PATCH is taken
		{"stall HEAD", testenv.FaultStall, method(http.MethodHead, ""), "made no progress"},
		{"5xx HEAD", testenv.Fault5xx, method(http.MethodHead, ""), "registry "},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{tt.fault}, Match: tt.match})
			out, err := ParseOutput("registry", anonymous, WithRetry(scaledRetry))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			// A repository and image of its own: what an earlier case's
			// registry stored (it acts before some faults) is not there.
			img := testImage(t, linuxAmd64, "down "+tt.name)
			_, err = out.Write(context.Background(), []Artifact{{Repository: fmt.Sprintf("%s/down/app%d", proxy.Host, i), Tags: []string{"v1"}, Image: img}})
			took := time.Since(start)
			t.Logf("failed after %s and %s: %v", took.Round(time.Millisecond), proxy.Summary(), err)
			wantErrContains(t, err, "registry "+proxy.Host, tt.want)
			if strings.Contains(err.Error(), "?") || strings.Contains(err.Error(), "_state") {
				t.Errorf("the error shows a URL query: %v", err)
			}
			if proxy.Injected(tt.fault) == 0 {
				t.Errorf("no %s fault was injected", tt.fault)
			}
			// An upper bound, proving the push gives up; not a speed test.
			if took > scaledBound {
				t.Errorf("took %s, want at most %s (2 minutes, scaled like the retry timings)", took.Round(time.Millisecond), scaledBound)
			}
		})
	}
}

// TestPushErrorsShowNoUploadToken: when every PATCH fails (reset, cut
// response body, 5xx), the push's error names the upload URL, which the
// registry gave with an _state token in its query; the message must show
// neither the token nor any query.
func TestPushErrorsShowNoUploadToken(t *testing.T) {
	reg := testenv.StartRegistry(t)
	for i, f := range []testenv.Fault{testenv.FaultReset, testenv.FaultCutBody, testenv.Fault5xx} {
		t.Run(f.String(), func(t *testing.T) {
			proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{f}, Match: method(http.MethodPatch, "")})
			out, err := ParseOutput("registry", anonymous, WithRetry(scaledRetry))
			if err != nil {
				t.Fatal(err)
			}
			img := testImage(t, linuxAmd64, "token "+f.String())
			_, err = out.Write(context.Background(), []Artifact{{Repository: fmt.Sprintf("%s/token/app%d", proxy.Host, i), Tags: []string{"v1"}, Image: img}})
			wantErrContains(t, err, "/blobs/uploads/") // the upload URL is named
			if msg := err.Error(); strings.Contains(msg, "_state") || strings.Contains(msg, "?") {
				t.Errorf("the error shows the upload URL's query: %s", msg)
			}
		})
	}
}

// TestPushHonoursRetryAfter: a PATCH answered 429 with Retry-After: 1 is
// repeated, on the same upload session, no sooner than a second later,
// although the backoff alone (scaled: under 0.5s) would be shorter.
func TestPushHonoursRetryAfter(t *testing.T) {
	reg := testenv.StartRegistry(t)
	var mu sync.Mutex
	var first string     // path of the PATCH that got the 429
	var seen []time.Time // when a PATCH of that path arrived
	proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{testenv.Fault429}, RetryAfter: 1,
		Match: func(r *http.Request) bool {
			if r.Method != http.MethodPatch {
				return false
			}
			mu.Lock()
			defer mu.Unlock()
			if first == "" {
				first = r.URL.Path
			}
			if r.URL.Path != first {
				return false
			}
			seen = append(seen, time.Now())
			return len(seen) == 1
		}})
	out, err := ParseOutput("registry", anonymous, WithRetry(scaledRetry))
	if err != nil {
		t.Fatal(err)
	}
	img := testImage(t, linuxAmd64, "retry after")
	if _, err := out.Write(context.Background(), []Artifact{{Repository: proxy.Host + "/later/app", Tags: []string{"v1"}, Image: img}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 2 {
		t.Fatalf("the PATCH answered 429 was sent %d times, want it repeated on its session", len(seen))
	}
	// A lower bound the code must respect, not a measure of speed.
	if wait := seen[1].Sub(seen[0]); wait < time.Second {
		t.Errorf("repeated %s after the 429, want at least its Retry-After of 1s", wait.Round(time.Millisecond))
	}
}

// TestPushDeadline: with retries that would wait minutes (a 1 min stall
// timeout, a 10 min GiveUp), WithPushTimeout's deadline ends a push to a
// registry that never answers, and says so.
func TestPushDeadline(t *testing.T) {
	reg := testenv.StartRegistry(t)
	proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{testenv.FaultStall}, StallFor: 10 * time.Minute})
	out, err := ParseOutput("registry", anonymous, WithRetry(Retry{Stall: time.Minute, GiveUp: 10 * time.Minute}), WithPushTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = out.Write(context.Background(), []Artifact{{Repository: proxy.Host + "/never/app", Tags: []string{"v1"}, Image: testImage(t, linuxAmd64, "never")}})
	wantErrContains(t, err, "the push did not finish within 1s (raise the limit with --push-timeout)")
}

// TestAttachmentPushDeadline: the attachments' blobs and manifests, an
// early layer upload and the listing of referrers are bounded by the push
// timeout too, not only the images.
func TestAttachmentPushDeadline(t *testing.T) {
	reg := testenv.StartRegistry(t)
	proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{testenv.FaultStall}, StallFor: 10 * time.Minute})
	opts := []Option{anonymous, WithRetry(Retry{Stall: time.Minute, GiveUp: 10 * time.Minute}), WithPushTimeout(time.Second)}
	img := testImage(t, linuxAmd64, "never attached")
	sub, err := Descriptor(img)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReferrer(sub, "application/spdx+json", []byte("{}"), nil)
	if err != nil {
		t.Fatal(err)
	}
	repo := proxy.Host + "/never/app"
	atts := Attachments{Referrers: []v1.Image{r}}
	const want = "the push did not finish within 1s (raise the limit with --push-timeout)"
	ctx := context.Background()
	wantErrContains(t, UploadAttachmentBlobs(ctx, repo, atts, opts...), want)
	_, err = PushAttachmentManifests(ctx, repo, atts, opts...)
	wantErrContains(t, err, want)
	wantErrContains(t, UploadLayer(ctx, repo, static.NewLayer([]byte("layer"), types.OCILayer), opts...), want)
	_, err = ReferrersOf(ctx, repo, []string{sub.Digest.String()}, opts...)
	wantErrContains(t, err, want)
}

// TestPushSlowUploadSurvives: a layer whose upload moves slowly but
// steadily, for longer than GiveUp, is progress, even while another blob's
// requests keep failing (429 with Retry-After) from before it started and
// nothing else completes. The push must succeed, not give up.
func TestPushSlowUploadSurvives(t *testing.T) {
	reg := testenv.StartRegistry(t)
	// Two blobs: a config, and 8 MiB that gzip cannot shrink, sent at
	// 2 MiB/s: about 4s, over GiveUp (80s/30).
	layer, err := random.Layer(8<<20, types.OCILayer)
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	// Behind: the config blob's first three HEADs get a 429 with
	// Retry-After 1s, so its requests fail for 3s from the start.
	var heads atomic.Int64
	limited := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{testenv.Fault429}, RetryAfter: 1,
		Match: func(r *http.Request) bool {
			return method(http.MethodHead, cfg.String())(r) && heads.Add(1) <= 3
		}})
	// In front (so that the only buffers between packager and the slow
	// link are its own and the front proxy's): every PATCH goes slowly.
	front := testenv.StartFaultProxy(t, limited.Host, testenv.FaultConfig{Rate: 1, Kinds: []testenv.Fault{testenv.FaultSlow},
		Match: method(http.MethodPatch, ""), SlowRate: 2 << 20})
	tr := remote.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(64 << 10)
		}
		return c, err
	}
	// Loopback socket buffers hold megabytes; small ones keep the bytes
	// sent close to the bytes the slow link took, and a longer Stall lets
	// what they hold drain after the last byte is sent.
	p := scaledRetry
	p.Stall = 2 * time.Second
	out, err := ParseOutput("registry", anonymous, WithRetry(p), WithTransport(tr))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write(context.Background(), []Artifact{{Repository: front.Host + "/slow/app", Tags: []string{"v1"}, Image: img}}); err != nil {
		t.Fatalf("a slow upload was given up on: %v", err)
	}
	t.Logf("front: %s; behind: %s", front.Summary(), limited.Summary())
	if n := limited.Injected(testenv.Fault429); n != 3 {
		t.Errorf("%d 429s injected, want 3", n)
	}
}

// TestAttachmentsUnderFaults pushes 30 images, each with two referrers (as
// an SBOM and a provenance), through a proxy that fails 20% of the
// requests to the real docker-registry, the way the pipeline does: image
// and attachment blobs at once, then the referrer manifests with the
// fallback index. Nearly all must succeed, and afterwards, read from the
// registry directly, the fallback index of every image whose push
// succeeded lists exactly its two referrers (a retried read-modify-write
// neither loses nor repeats one), and no fallback index names a manifest
// the registry does not have.
func TestAttachmentsUnderFaults(t *testing.T) {
	testenv.SkipShort(t, "pushes 30 images with attachments")
	crane := testenv.RequireTool(t, "crane")
	reg := testenv.StartRegistry(t)
	proxy := testenv.StartFaultProxy(t, reg.Host, testenv.FaultConfig{Rate: 0.2, Seed: uint64(time.Now().UnixNano())})
	opts := []Option{anonymous, WithRetry(fastRetry), WithPushTimeout(time.Minute)}
	out, err := ParseOutput("registry", opts...)
	if err != nil {
		t.Fatal(err)
	}
	const n = 30
	type pushed struct {
		repo      string
		subject   v1.Hash
		referrers []v1.Hash
		ok        bool
	}
	results := make([]pushed, n)
	var g errgroup.Group
	g.SetLimit(6)
	for i := range n {
		g.Go(func() error {
			repo := fmt.Sprintf("faults/att%d", i%3)
			img := testImage(t, linuxAmd64, fmt.Sprint("attached image ", i))
			sub, err := Descriptor(img)
			if err != nil {
				return err
			}
			res := pushed{repo: repo, subject: sub.Digest}
			var atts Attachments
			for _, kind := range []string{"application/spdx+json", "application/vnd.in-toto+json"} {
				r, err := NewReferrer(sub, kind, fmt.Appendf(nil, `{"image":%d,"kind":%q}`, i, kind), nil)
				if err != nil {
					return err
				}
				d, err := r.Digest()
				if err != nil {
					return err
				}
				atts.Referrers = append(atts.Referrers, r)
				res.referrers = append(res.referrers, d)
			}
			ctx := context.Background()
			var pg errgroup.Group
			pg.Go(func() error {
				_, err := out.Write(ctx, []Artifact{{Repository: proxy.Host + "/" + repo, Tags: []string{fmt.Sprint("v", i)}, Image: img}})
				return err
			})
			pg.Go(func() error { return UploadAttachmentBlobs(ctx, proxy.Host+"/"+repo, atts, opts...) })
			err = pg.Wait()
			if err == nil {
				_, err = PushAttachments(ctx, proxy.Host+"/"+repo, atts, opts...)
			}
			if err != nil {
				t.Logf("image %d: %v", i, err)
			}
			res.ok = err == nil
			results[i] = res
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	succeeded := 0
	for _, r := range results {
		if r.ok {
			succeeded++
		}
	}
	testenv.Report(t, "%d of %d images with attachments pushed; proxy: %s", succeeded, n, proxy.Summary())
	if succeeded < n-1 {
		t.Errorf("%d of %d succeeded, want at least %d", succeeded, n, n-1)
	}
	for _, r := range results {
		raw, _, err := testenv.RunErr("", crane, "manifest", "--insecure", reg.Host+"/"+r.repo+":"+FallbackTag(r.subject))
		if err != nil {
			if r.ok {
				t.Errorf("%s: no fallback index for %s after a successful push", r.repo, r.subject)
			}
			continue
		}
		idx, err := v1.ParseIndexManifest(strings.NewReader(raw))
		if err != nil {
			t.Fatalf("fallback index of %s: %v", r.subject, err)
		}
		var listed []v1.Hash
		for _, d := range idx.Manifests {
			listed = append(listed, d.Digest)
			if _, stderr, err := testenv.RunErr("", crane, "manifest", "--insecure", reg.Host+"/"+r.repo+"@"+d.Digest.String()); err != nil {
				t.Errorf("fallback index of %s names %s, which the registry does not have: %s", r.subject, d.Digest, stderr)
			}
		}
		if r.ok && (len(listed) != 2 || !slices.Contains(listed, r.referrers[0]) || !slices.Contains(listed, r.referrers[1])) {
			t.Errorf("fallback index of %s lists %v, want exactly %v", r.subject, listed, r.referrers)
		}
	}
}
