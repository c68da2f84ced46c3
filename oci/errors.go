package oci

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// hintError replaces a long, layered error message with one that says what to
// do, while keeping the cause reachable for errors.Is and errors.As.
type hintError struct {
	msg   string
	cause error
}

func (e *hintError) Error() string { return e.msg }
func (e *hintError) Unwrap() error { return e.cause }

// registryError explains the registry failures users can fix themselves:
// credentials, an unreachable host and (for pulls) a wrong name. op says what
// we were doing ("push to REF", "fetch base REF"); host is the registry.
func registryError(op, host string, err error) error {
	var terr *transport.Error
	if errors.As(err, &terr) {
		switch terr.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return &hintError{cause: err, msg: fmt.Sprintf(
				"%s: authentication failed (%d %s): log in with `docker login %s` or configure a credential helper in ~/.docker/config.json",
				op, terr.StatusCode, http.StatusText(terr.StatusCode), host)}
		}
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return &hintError{cause: err, msg: fmt.Sprintf(
			"%s: cannot reach registry %s: connection refused; is the registry running and the address right?", op, host)}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &hintError{cause: err, msg: fmt.Sprintf(
			"%s: cannot reach registry %s: %v; check the registry host name", op, host, dnsErr)}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// isNotFound reports whether a registry said the repository or manifest does not exist.
func isNotFound(err error) bool {
	var terr *transport.Error
	if !errors.As(err, &terr) {
		return false
	}
	if terr.StatusCode == http.StatusNotFound {
		return true
	}
	for _, d := range terr.Errors {
		if d.Code == transport.ManifestUnknownErrorCode || d.Code == transport.NameUnknownErrorCode {
			return true
		}
	}
	return false
}

// FieldError is a problem with one Spec field that only shows once the
// base or the disk is read (an unknown user name, a symlink leaving a
// files: tree). Field names it as packager.yaml does ("user", "files[2]"),
// so the caller can point at the line that set it.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }
