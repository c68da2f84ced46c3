package builder

import (
	"runtime"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestCheckBinaryNamesTheCause: a dynamic binary is blamed on what made it
// dynamic. -buildmode=pie (here from GOFLAGS) has nothing to do with cgo,
// and -linkmode=external is named when the external linker did the work.
func TestCheckBinaryNamesTheCause(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skip("needs a Linux host where go supports -buildmode=pie natively")
	}
	host := linux(runtime.GOARCH)
	dir := writeModule(t, map[string]string{"main.go": "package main\n\nfunc main() { println(\"hi\") }\n"})
	tests := []struct {
		name    string
		o       Options
		want    []string
		notWant string
		gcc     bool
	}{
		{"GOFLAGS pie", Options{UserEnv: []string{"GOFLAGS=-buildmode=pie"}},
			[]string{"hello is a position-independent executable (-buildmode=pie", "interpreter /", "remove -buildmode=pie"}, "CGO_ENABLED=1", false},
		{"flags pie", Options{Flags: []string{"-buildmode=pie"}},
			[]string{"position-independent executable", "remove -buildmode=pie"}, "CGO_ENABLED=1", false},
		{"external linking", Options{UserEnv: []string{"CGO_ENABLED=1"}, Ldflags: []string{"-linkmode=external"}},
			[]string{"hello is dynamically linked", "by the external linker", "remove -linkmode=external"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.gcc {
				testenv.RequireTool(t, "gcc")
			}
			o := tt.o
			o.Platform = host
			_, err := buildHello(t, dir, o)
			if err == nil {
				t.Fatal("Build succeeded, want a dynamic-linking error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("error %q blames %s", err, tt.notWant)
			}
		})
	}
}
