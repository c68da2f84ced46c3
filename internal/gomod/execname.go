package gomod

import "path"

// ExecName is the name go build gives the binary of the package at
// importPath: its last element, or the one before it when the last is a
// major version suffix ("example.com/tool/v2" is "tool"), as cmd/go's
// DefaultExecName does. Only /vN with N >= 2 is such a suffix: a module's
// path never ends in /v0 or /v1, so "example.com/tool/v1" is "v1".
func ExecName(importPath string) string {
	name := path.Base(importPath)
	if name != importPath && IsMajorVersionSuffix(name) {
		name = path.Base(path.Dir(importPath))
	}
	return name
}

// IsMajorVersionSuffix reports whether elem is a major version path
// element as Go modules define it: "v" and a number of 2 or more, without
// leading zeros ("v2", "v10"; not "v0", "v1" or "v02").
func IsMajorVersionSuffix(elem string) bool {
	if len(elem) < 2 || elem[0] != 'v' || elem[1] == '0' || elem == "v1" {
		return false
	}
	for _, c := range elem[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
