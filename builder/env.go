package builder

import (
	"strings"

	"github.com/packager-dev/packager/vocab"
)

// goEnv is the environment for one go command, kept as two parts: the
// caller's base environment, and the overrides packager chooses or the user
// asked for. The overrides are what error messages show, so a failing command
// can be re-run by hand without printing the user's whole environment.
type goEnv struct {
	base      []string
	overrides []string
}

// newGoEnv layers, from weakest to strongest: base, CGO_ENABLED, the
// platform's GOOS/GOARCH/GOARM/GOAMD64, and the user's build_env. The user
// wins even over CGO_ENABLED=0, so a deliberate CGO_ENABLED=1 takes effect
// and CheckBinary can name it as the cause of a dynamic binary.
func newGoEnv(base []string, cgo bool, p vocab.Platform, user []string) (goEnv, error) {
	platformEnv, err := p.GoEnv()
	if err != nil {
		return goEnv{}, err
	}
	cgoEnv := "CGO_ENABLED=0"
	if cgo {
		cgoEnv = "CGO_ENABLED=1"
	}
	overrides := append([]string{cgoEnv}, platformEnv...)
	overrides = append(overrides, user...)
	return goEnv{base: base, overrides: dedupe(overrides)}, nil
}

// list returns the full environment, each key once, last value winning
// (the same rule os/exec applies, made explicit so go/packages and os/exec
// agree and the result does not depend on either's behaviour).
func (e goEnv) list() []string {
	all := make([]string, 0, len(e.base)+len(e.overrides))
	all = append(all, e.base...)
	return dedupe(append(all, e.overrides...))
}

// get returns the effective value of key.
func (e goEnv) get(key string) string {
	val := ""
	for _, kv := range e.list() {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			val = v
		}
	}
	return val
}

// cgoEnabled reports whether the go command will run with cgo on.
func (e goEnv) cgoEnabled() bool { return e.get("CGO_ENABLED") == "1" }

// dedupe keeps the last value of each key, at the position of its first
// occurrence, so the order stays stable and readable.
func dedupe(env []string) []string {
	last := make(map[string]string, len(env))
	var order []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if _, seen := last[k]; !seen {
			order = append(order, k)
		}
		last[k] = kv
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		out = append(out, last[k])
	}
	return out
}
