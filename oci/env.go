package oci

import (
	"fmt"
	"sort"
	"strings"
)

// mergeEnv overlays env ("K=V") on the base image's environment: a key the
// base already has keeps its position with the new value, new keys follow in
// sorted order. Sorting (not the caller's order) keeps the config, and so the
// digest, independent of how the environment was assembled (e.g. from a map).
// When env sets a key twice, the last value wins.
func mergeEnv(base, env []string) ([]string, error) {
	values := make(map[string]string, len(env))
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("env %q: write it as KEY=VALUE", kv)
		}
		values[k] = v
	}
	out := make([]string, 0, len(base)+len(values))
	seen := make(map[string]bool, len(values))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if v, ok := values[k]; ok && !seen[k] {
			out = append(out, k+"="+v)
			seen[k] = true
			continue
		}
		if _, ok := values[k]; ok {
			continue // the base listed this key twice; keep only our value
		}
		out = append(out, kv)
	}
	var added []string
	for k := range values {
		if !seen[k] {
			added = append(added, k)
		}
	}
	sort.Strings(added)
	for _, k := range added {
		out = append(out, k+"="+values[k])
	}
	return out, nil
}
