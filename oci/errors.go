package oci

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
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
// Messages never show URL query strings: upload URLs carry _state tokens.
func (o options) registryError(op, host string, err error) error {
	var terr *transport.Error
	if errors.As(err, &terr) {
		switch terr.StatusCode {
		case http.StatusUnauthorized:
			return &hintError{cause: err, msg: fmt.Sprintf(
				"%s: authentication failed (401 Unauthorized%s): log in with `docker login %s` or configure a credential helper in %s",
				op, registrySays(terr), host, o.dockerConfigFile())}
		case http.StatusForbidden:
			// A refusal, not always missing credentials: the user may lack
			// push rights, or the tag may be immutable (ECR, Harbor, GAR).
			return &hintError{cause: err, msg: fmt.Sprintf(
				"%s: the registry refused it (403 Forbidden%s): log in with `docker login %s` as a user that may push there "+
					"(or configure a credential helper in %s); if the tag is immutable, publish under a new one",
				op, registrySays(terr), host, o.dockerConfigFile())}
		}
	}
	var gu *GiveUpError
	if errors.As(err, &gu) {
		return &hintError{cause: err, msg: op + ": " + gu.Error()}
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
	return &hintError{cause: err, msg: stripQueries(fmt.Sprintf("%s: registry %s: %v", op, host, err))}
}

// registrySays is the registry's own explanation, ": CODE: message; ...",
// or "" when it gave none.
func registrySays(terr *transport.Error) string {
	var parts []string
	for _, d := range terr.Errors {
		if m := strings.TrimSpace(string(d.Code) + ": " + d.Message); m != ":" {
			parts = append(parts, strings.TrimSuffix(m, ":"))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, "; ")
}

// dockerConfigFile is where the user's registry credentials are configured.
func (o options) dockerConfigFile() string {
	if o.dockerDir != "" {
		return filepath.Join(o.dockerDir, "config.json")
	}
	return "~/.docker/config.json"
}

// urlQuery matches the query of a URL in an error message; punctuation
// right after it (ggcr writes "URL: status") is not part of it.
var urlQuery = regexp.MustCompile(`(https?://[^\s?"]*)\?[^\s"]*[^\s":;,]`)

// stripQueries removes the query strings of URLs in msg.
func stripQueries(msg string) string { return urlQuery.ReplaceAllString(msg, "$1") }

// isVerifyError reports ggcr's error for bytes that do not match their
// digest or size (its type is internal to ggcr, so the message is matched).
func isVerifyError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "error verifying")
}

// IsNotFound reports whether a registry said the repository, manifest or
// blob does not exist.
func IsNotFound(err error) bool {
	var terr *transport.Error
	if !errors.As(err, &terr) {
		return false
	}
	if terr.StatusCode == http.StatusNotFound {
		return true
	}
	for _, d := range terr.Errors {
		switch d.Code {
		case transport.ManifestUnknownErrorCode, transport.NameUnknownErrorCode, transport.BlobUnknownErrorCode:
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
