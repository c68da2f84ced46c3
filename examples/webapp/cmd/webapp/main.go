// Command webapp is an HTTP service that uses everything a Dockerfile's
// final stage can give a program: a port, a working directory with static
// files, environment, a private CA, time zones and a health check. Its
// /info endpoint reports what it found, so tests can check the image.
package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// version is set with -ldflags "-X main.version=..." (see packager.yaml).
var version = "dev"

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	health := flag.Bool("healthcheck", false, "probe the running server's /healthz and exit 0 if healthy (for HEALTHCHECK)")
	flag.Parse()
	if *health {
		os.Exit(probe(*addr))
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /info", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(info())
	})
	// Relative to the working directory: the image's workdir holds static/.
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))

	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("webapp %s listening on %s", version, *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// probe is the health check: the static base has no shell or curl, so the
// binary checks itself.
func probe(addr string) int {
	_, port, err := splitPort(addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, resp.Status)
		return 1
	}
	return 0
}

func splitPort(addr string) (string, string, error) {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[:i], addr[i+1:], nil
		}
	}
	return "", "", fmt.Errorf("address %q has no port", addr)
}

// info is what /info reports.
func info() map[string]any {
	wd, _ := os.Getwd()
	static, _ := filepath.Glob("static/*")
	_, tzErr := time.LoadLocation("Europe/Paris")
	return map[string]any{
		"version":    version,
		"uid":        os.Getuid(),
		"gid":        os.Getgid(),
		"workdir":    wd,
		"static":     static,
		"greeting":   os.Getenv("GREETING"),
		"tzdata":     tzErr == nil,
		"private_ca": hasCA("packager example private CA"),
	}
}

// hasCA reports whether the system CA bundle holds a certificate with
// this common name: the private CA added with ca_certs.
func hasCA(cn string) bool {
	file := os.Getenv("SSL_CERT_FILE")
	if file == "" {
		file = "/etc/ssl/certs/ca-certificates.crt"
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return false
		}
		if cert, err := x509.ParseCertificate(block.Bytes); err == nil && cert.Subject.CommonName == cn {
			return true
		}
	}
}
