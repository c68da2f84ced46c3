package gocache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/packager-dev/packager/oci"
)

// explain says what to do about the registry failures users can fix.
func explain(op, host string, err error) error {
	var terr *transport.Error
	if errors.As(err, &terr) && (terr.StatusCode == http.StatusUnauthorized || terr.StatusCode == http.StatusForbidden) {
		return fmt.Errorf("%s: authentication failed (%d): log in with `docker login %s` or configure a credential helper in ~/.docker/config.json: %w",
			op, terr.StatusCode, host, err)
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("%s: cannot reach %s (connection refused): %w", op, host, err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %s did not answer in time: %w", op, host, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// isNotFound reports whether the registry said the repository, manifest or
// blob does not exist: an empty cache or a collected blob, not a failure.
func isNotFound(err error) bool { return oci.IsNotFound(err) }

// isUnavailable reports whether err means the registry is down, slow,
// unreachable or refusing us, as opposed to serving bytes that are wrong.
func isUnavailable(err error) bool {
	var nerr net.Error
	var terr *transport.Error
	return errors.As(err, &nerr) || errors.As(err, &terr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, context.Canceled)
}
