package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUsageErrors runs the CLI in-process: mistakes on the command line exit
// with 2 and say what is wrong, with nothing on stdout.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		epoch string
		want  string
	}{
		{"unknown flag", []string{"build", "--nope"}, "", "unknown flag: --nope"},
		{"unknown command", []string{"bild"}, "", `unknown command "bild"`},
		{"missing -f file", []string{"build", "-f", "missing.yaml"}, "", "missing.yaml"},
		{"nothing to build", []string{"build"}, "", "no images"},
		{"push without repo", []string{"build", "--push", "--tarball", "x.tar", "."}, "", "--push needs a repository"},
		{"bad SOURCE_DATE_EPOCH", []string{"build", "."}, "yesterday", "SOURCE_DATE_EPOCH"},
		{"bad repo", []string{"build", "--repo", "UPPER/Case", "."}, "", "--repo"},
		{"zero push timeout", []string{"build", "--push-timeout", "0s", "."}, "", "--push-timeout 0s: give a positive duration"},
		{"push timeout not a duration", []string{"build", "--push-timeout", "soon", "."}, "", `invalid argument "soon" for "--push-timeout"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			e := env{workDir: t.TempDir(), sourceDateEpoch: tc.epoch}
			code := run(context.Background(), tc.args, &stdout, &stderr, e)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d; stderr: %s", code, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}
