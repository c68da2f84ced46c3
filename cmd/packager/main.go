// Command packager builds Go programs into OCI images without a Dockerfile
// or a Docker daemon. See README.md and docs/ for how to use it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopGrace is how long packager waits, after SIGINT or SIGTERM, for the
// command to stop cleanly (go build killed, temporary files removed)
// before it exits anyway (longer than builder's 10 s for go build to
// exit); a second signal exits at once. A read that
// cannot be cancelled (a FIFO nobody writes to) must not make the process
// deaf to Ctrl-C.
const stopGrace = 15 * time.Second

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		cancel(interrupted{sig})
		select {
		case <-sigs:
		case <-time.After(stopGrace):
		}
		fmt.Fprintln(os.Stderr, "packager: interrupted; exiting without waiting for the command to stop")
		os.Exit(interrupted{sig}.code())
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, environ()))
}
