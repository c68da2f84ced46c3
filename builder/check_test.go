package builder

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/packager-dev/packager/vocab"
)

func TestCheckBinaryRejects(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, content []byte) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	script := write("script", []byte("#!/bin/sh\necho hi\n"))
	empty := write("empty", nil)
	// An ELF header cut short: the magic is right, the rest is missing.
	truncated := write("truncated", []byte("\x7fELF\x02\x01\x01"))

	for _, tc := range []struct {
		name string
		path string
		p    vocab.Platform
		want []string
	}{
		{"script", script, linux("amd64"), []string{"script is not an ELF executable: packager needs a Linux binary"}},
		{"empty file", empty, linux("amd64"), []string{"empty is not an ELF executable"}},
		{"truncated ELF", truncated, linux("amd64"), []string{"truncated is a damaged ELF file (", "): build it again"}},
		{"missing file", filepath.Join(dir, "nope"), linux("amd64"), []string{"check nope: ", "no such file"}},
		{"unknown platform", script, linux("mips"), []string{"unsupported platform linux/mips"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckBinary(tc.path, tc.p, false)
			if err == nil {
				t.Fatal("CheckBinary succeeded, want an error")
			}
			assertContainsInOrder(t, err.Error(), tc.want)
		})
	}
}

// TestCheckBinaryWrongMachine checks the test binary itself, a real ELF file
// for the host, against another architecture.
func TestCheckBinaryWrongMachine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the test binary is only an ELF file on Linux")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckBinary(self, linux(runtime.GOARCH), true); err != nil {
		t.Fatalf("the test binary does not pass for its own platform: %v", err)
	}
	other := linux("s390x")
	if runtime.GOARCH == "s390x" {
		other = linux("amd64")
	}
	err = CheckBinary(self, other, true)
	if err == nil {
		t.Fatalf("CheckBinary(%s) succeeded for a %s binary", other, runtime.GOARCH)
	}
	assertContainsInOrder(t, err.Error(), []string{"is built for " + runtime.GOARCH + " (", "not " + other.String(), "remove GOARCH from build_env"})
}
