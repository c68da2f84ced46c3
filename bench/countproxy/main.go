// Command countproxy is a reverse proxy in front of a registry that counts
// the request-body bytes of blob uploads (PATCH/PUT/POST under
// /v2/.../blobs/uploads/), so every tool pushing through it is measured the
// same way, on the wire, whatever it reports about itself.
//
//	countproxy -upstream http://127.0.0.1:5000 -addr-file addr.txt
//
// It listens on a free 127.0.0.1 port and writes "127.0.0.1:PORT" to
// -addr-file once it accepts connections. GET /__count prints the bytes
// counted so far, GET /__requests the number of requests proxied, and
// POST /__reset sets both to zero. Used by bench/vs-ko.sh.
//
// -rate and -latency make it stand for a registry across a network rather
// than on loopback: request bodies (uploads) share -rate bytes per second,
// and every request waits -latency before it is forwarded (a round trip).
// Used by bench/editloop.sh's LINK_RATE and LINK_LATENCY.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	upstream := flag.String("upstream", "", "registry to forward to, e.g. http://127.0.0.1:5000")
	addrFile := flag.String("addr-file", "", "file to write the listening address to")
	rate := flag.Int64("rate", 0, "bytes per second all request bodies share (0: no limit)")
	latency := flag.Duration("latency", 0, "wait before forwarding each request")
	flag.Parse()
	link := &link{rate: *rate, latency: *latency}
	if err := run(*upstream, *addrFile, link); err != nil {
		log.Fatalf("countproxy: %v", err)
	}
}

func run(upstream, addrFile string, link *link) error {
	target, err := url.Parse(upstream)
	if err != nil || target.Host == "" {
		return fmt.Errorf("-upstream %q: want http://HOST:PORT", upstream)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	c := counter{link: link}
	srv := &http.Server{Handler: c.handler(target), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if addrFile != "" {
		if err := writeAtomic(addrFile, l.Addr().String()+"\n"); err != nil {
			return err
		}
	}
	if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}

// counter holds what the proxy has seen since the last reset.
type counter struct {
	uploaded atomic.Int64 // blob upload body bytes
	requests atomic.Int64 // requests forwarded
	link     *link
}

func (c *counter) handler(target *url.URL) http.Handler {
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			// The registry builds upload Location URLs from Host: keep the
			// proxy's so clients come back through it.
			pr.Out.Host = pr.In.Host
		},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /__count", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, c.uploaded.Load())
	})
	mux.HandleFunc("GET /__requests", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, c.requests.Load())
	})
	mux.HandleFunc("POST /__reset", func(w http.ResponseWriter, _ *http.Request) {
		c.uploaded.Store(0)
		c.requests.Store(0)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		time.Sleep(c.link.latency)
		if r.Body != nil && c.link.rate > 0 {
			r.Body = &paced{ReadCloser: r.Body, link: c.link}
		}
		if isBlobUpload(r) && r.Body != nil {
			r.Body = &countingBody{ReadCloser: r.Body, n: &c.uploaded}
		}
		proxy.ServeHTTP(w, r)
	})
	return mux
}

// isBlobUpload reports whether r may carry blob bytes: a POST (monolithic
// upload), PATCH (chunk) or PUT (final chunk) under /v2/<name>/blobs/uploads/.
func isBlobUpload(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut:
		return strings.HasPrefix(r.URL.Path, "/v2/") && strings.Contains(r.URL.Path, "/blobs/uploads/")
	}
	return false
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// link is the network the proxy stands for: a bandwidth all request
// bodies share, and a delay per request.
type link struct {
	rate    int64 // bytes per second; 0: unlimited
	latency time.Duration

	mu   sync.Mutex
	free time.Time // when the link is next free
}

// take reserves the link for n bytes and returns when they are through.
func (l *link) take(n int) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	start := time.Now()
	if l.free.After(start) {
		start = l.free
	}
	l.free = start.Add(time.Duration(float64(n) / float64(l.rate) * float64(time.Second)))
	return l.free
}

// paced reads a body no faster than its link allows.
type paced struct {
	io.ReadCloser
	link *link
}

func (p *paced) Read(b []byte) (int, error) {
	if len(b) > 32<<10 {
		b = b[:32<<10] // small steps, so bodies sharing the link interleave
	}
	n, err := p.ReadCloser.Read(b)
	if n > 0 {
		time.Sleep(time.Until(p.link.take(n)))
	}
	return n, err
}

// writeAtomic writes data to path through a temporary file, so a reader
// polling for path never sees it half-written.
func writeAtomic(path, data string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".countproxy-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
