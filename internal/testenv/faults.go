package testenv

import (
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Fault is one kind of failure a FaultProxy injects.
type Fault int

const (
	Fault5xx       Fault = iota // a 500, 502 or 503 without asking the registry
	Fault429                    // 429 Too Many Requests with Retry-After
	FaultReset                  // the connection reset, before or after the registry saw the request
	FaultCutBody                // the registry's response cut off half way
	FaultStall                  // nothing sent back until the client gives up (or FaultConfig.StallFor)
	FaultStallBody              // the registry acts, its response stops half way through the body until the client gives up
	FaultDenied                 // 403 DENIED, as a registry refusing a push (immutable tag, quota); never retried
	FaultSlow                   // no failure: the request body goes on at FaultConfig.SlowRate, as over a slow link
	numFaults
)

// transientFaults are the kinds drawn from when FaultConfig.Kinds is empty:
// the ones a client is expected to retry through (those before it).
const transientFaults = FaultDenied

func (f Fault) String() string {
	return [...]string{"5xx", "429", "reset", "cut body", "stall", "stall body", "denied", "slow"}[f]
}

// FaultConfig says how often and how a FaultProxy fails requests.
type FaultConfig struct {
	Rate       float64                  // fraction of requests that fail (0.2 = 20%)
	Kinds      []Fault                  // faults drawn from, uniformly; all but FaultDenied when empty
	Match      func(*http.Request) bool // requests that may fail; all when nil
	RetryAfter int                      // seconds in the Retry-After of a 429 (1 when 0)
	StallFor   time.Duration            // longest stall (10s when 0); a stall ends early when the client hangs up
	SlowRate   int                      // bytes a second a FaultSlow body moves at (64 KiB when 0)
	Seed       uint64                   // for the random choices; the same seed repeats a run's choices
}

// FaultProxy is a reverse proxy in front of a registry that fails a
// fraction of the requests, and counts what it did.
type FaultProxy struct {
	Host     string // "127.0.0.1:PORT", to use instead of the registry's
	Requests atomic.Int64
	injected [numFaults]atomic.Int64

	cfg   FaultConfig
	mu    sync.Mutex
	rnd   *rand.Rand
	proxy *httputil.ReverseProxy
}

// Injected returns how many faults of kind f were injected.
func (p *FaultProxy) Injected(f Fault) int64 { return p.injected[f].Load() }

// Summary is one line with the requests seen and the faults injected.
func (p *FaultProxy) Summary() string {
	s := fmt.Sprintf("%d requests", p.Requests.Load())
	var total int64
	for f := range numFaults {
		s += fmt.Sprintf(", %s %d", f, p.Injected(f))
		total += p.Injected(f)
	}
	return s + fmt.Sprintf(", %d faults in all", total)
}

// StartFaultProxy starts a FaultProxy for the registry at upstream
// ("127.0.0.1:PORT") on a port the kernel picks, and stops it when the test
// ends. Requests keep their Host header, so the upload URLs the registry
// hands out point back at the proxy.
func StartFaultProxy(t testing.TB, upstream string, cfg FaultConfig) *FaultProxy {
	t.Helper()
	if len(cfg.Kinds) == 0 {
		for f := range transientFaults {
			cfg.Kinds = append(cfg.Kinds, f)
		}
	}
	if cfg.RetryAfter == 0 {
		cfg.RetryAfter = 1
	}
	if cfg.StallFor == 0 {
		cfg.StallFor = 10 * time.Second
	}
	if cfg.SlowRate == 0 {
		cfg.SlowRate = 64 << 10
	}
	target := &url.URL{Scheme: "http", Host: upstream}
	// Seeded so a failing run can be repeated; not a secret.
	p := &FaultProxy{cfg: cfg, rnd: rand.New(rand.NewPCG(cfg.Seed, 0x5eed))} //nolint:gosec // G404: reproducible faults
	p.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
		},
		ModifyResponse: func(resp *http.Response) error {
			if resp.Request.Header.Get(cutHeader) != "" {
				resp.Body = &cutBody{ReadCloser: resp.Body, left: resp.ContentLength / 2}
			}
			return nil
		},
		ErrorLog: log.New(io.Discard, "", 0), // injected failures are expected
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.Host = l.Addr().String()
	srv := &http.Server{Handler: p, ReadHeaderTimeout: time.Minute}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return p
}

// cutHeader marks a request whose response is to be cut (internal to the proxy).
const cutHeader = "X-Packager-Fault-Cut"

// choose returns the fault for the next request, or -1 for none.
func (p *FaultProxy) choose(r *http.Request) Fault {
	if p.cfg.Match != nil && !p.cfg.Match(r) {
		return -1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rnd.Float64() >= p.cfg.Rate {
		return -1
	}
	return p.cfg.Kinds[p.rnd.IntN(len(p.cfg.Kinds))]
}

func (p *FaultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.Requests.Add(1)
	r.Header.Del(cutHeader)
	f := p.choose(r)
	if f >= 0 {
		p.injected[f].Add(1)
	}
	switch f {
	case Fault5xx:
		codes := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}
		http.Error(w, "injected fault", codes[p.Requests.Load()%3])
	case FaultDenied:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"errors":[{"code":"DENIED","message":"injected fault: requested access to the resource is denied"}]}`)
	case Fault429:
		w.Header().Set("Retry-After", strconv.Itoa(p.cfg.RetryAfter))
		http.Error(w, "injected fault", http.StatusTooManyRequests)
	case FaultReset:
		if p.Requests.Load()%2 == 0 {
			// After the registry acted on it: the response is lost.
			p.proxy.ServeHTTP(discardWriter{w.Header()}, r)
		}
		reset(w)
	case FaultStall:
		p.stall(r)
		reset(w)
	case FaultStallBody:
		p.stallBody(w, r)
	case FaultSlow:
		r.Body = &slowBody{ReadCloser: r.Body, rate: p.cfg.SlowRate}
		p.proxy.ServeHTTP(w, r)
	case FaultCutBody:
		r.Header.Set(cutHeader, "1")
		p.proxy.ServeHTTP(w, r)
	default:
		p.proxy.ServeHTTP(w, r)
	}
}

// stall waits until the client hangs up, or StallFor.
func (p *FaultProxy) stall(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(p.cfg.StallFor):
	}
}

// stallBody lets the registry act on r, sends the client the response's
// headers and the first half of its body, and stalls. An empty body is
// announced as one byte, so that the client waits for it; a HEAD response
// has no body, so it stalls before the headers instead.
func (p *FaultProxy) stallBody(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		p.stall(r)
		reset(w)
		return
	}
	rec := httptest.NewRecorder()
	p.proxy.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(max(len(body), 1)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body[:len(body)/2])
	_ = http.NewResponseController(w).Flush()
	p.stall(r)
	reset(w)
}

// reset closes the client's connection with a TCP RST.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

// discardWriter throws a response away.
type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header       { return d.h.Clone() }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}

// cutBody ends a response with an error half way; the proxy then aborts
// the connection, so the client reads fewer bytes than Content-Length.
type cutBody struct {
	io.ReadCloser
	left int64
}

func (b *cutBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errors.New("injected fault: body cut")
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// slowBody passes a request body on at rate bytes a second.
type slowBody struct {
	io.ReadCloser
	rate int
}

func (b *slowBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p[:min(len(p), max(b.rate/10, 1))])
	// The pace of a slow link, not synchronisation.
	time.Sleep(time.Duration(n) * time.Second / time.Duration(b.rate))
	return n, err
}
