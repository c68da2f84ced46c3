package main

import (
	"runtime/debug"
	"testing"
)

// TestBuilderVersion: a build from a checkout names its commit in the
// attestations, not just "(devel)".
func TestBuilderVersion(t *testing.T) {
	rev := "2e52436f0123456789abcdef0123456789abcdef"
	stamped := func(version string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"release", stamped("v1.2.3", "vcs.revision", rev), "v1.2.3"},
		{"checkout", stamped("(devel)", "vcs.revision", rev, "vcs.modified", "false"), "(devel)+" + rev},
		{"modified checkout", stamped("(devel)", "vcs.revision", rev, "vcs.modified", "true"), "(devel)+" + rev + "+dirty"},
		{"no stamp", stamped("(devel)"), "(devel)"},
		{"no version", stamped("", "vcs.revision", rev), "(devel)+" + rev},
		{"no build info", nil, "(devel)"},
	} {
		if got := builderVersion(tc.bi); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
