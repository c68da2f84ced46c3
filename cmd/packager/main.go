// Command packager builds Go programs into OCI images without a Dockerfile
// or a Docker daemon. See README.md and docs/ for how to use it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, environ())
	stop()
	os.Exit(code)
}
