// Package testenv starts and drives the real components packager's
// end-to-end tests run against: Debian's docker-registry, skopeo, umoci,
// runc, qemu-user-static and the Docker engine.
//
// A missing tool skips a test on a developer's machine but fails it when
// CI=true, so CI can never pass by running nothing. scripts/test installs
// every tool these helpers look for.
package testenv
