package config

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/packager-dev/packager/internal/gomod"
)

// isLocal reports whether main is a directory path (relative to dir, or
// absolute) rather than an import path. The go command treats "./x", "../x" and
// "." as directories; we do the same.
func isLocal(main string) bool {
	return strings.HasPrefix(main, ".") || filepath.IsAbs(main)
}

// deriveName picks an image name for an image without name:, from the last
// element of its package's import path, as ko does: "./cmd/hello" ->
// "hello", "." in module example.com/api -> "api" whatever the folder is
// called, "example.com/tool/cmd/Lint" -> "lint". A trailing major version
// suffix is skipped ("example.com/tool/v2" -> "tool"), since every v2
// module would otherwise be called "v2"; that is go build's binary name
// ([gomod.ExecName]), so /v0 and /v1 are kept. A directory outside any module is
// named after the folder. dir must be absolute. It returns "" when nothing
// usable is left.
func deriveName(dir, main string) string {
	var base string
	if isLocal(main) {
		// A local path's import path is not local, except for a main such as
		// ".cmd/x" (a name starting with a dot, not "./"): no recursion then.
		if ip, ok := gomod.ImportPath(dir, main); ok && !isLocal(ip) {
			return deriveName(dir, ip)
		}
		base = filepath.Base(filepath.Join(dir, main))
	} else {
		base = gomod.ExecName(path.Clean(main))
	}
	return sanitizeName(base)
}

// sanitizeName lowercases s and rewrites it into a valid repository component:
// disallowed characters become '-', separator runs the OCI grammar rejects
// ("a.-b", "a..b") become '-', and separators at either end are dropped.
func sanitizeName(s string) string {
	s = strings.ToLower(s)
	var out strings.Builder
	var sep strings.Builder // the pending run of separators
	flush := func() {
		if out.Len() == 0 || sep.Len() == 0 { // drop leading separators
			sep.Reset()
			return
		}
		switch r := sep.String(); {
		case r == "." || r == "_" || r == "__" || strings.Trim(r, "-") == "":
			out.WriteString(r)
		default:
			out.WriteByte('-')
		}
		sep.Reset()
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			flush()
			out.WriteRune(c)
		case c == '.' || c == '_' || c == '-':
			sep.WriteRune(c)
		default:
			sep.WriteByte('-')
		}
	}
	return out.String() // trailing separators are never flushed
}
