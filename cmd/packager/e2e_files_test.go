package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestFilesKeepModes: files: keep their permission bits on disk, less write
// for group and others, unless mode: says otherwise; a 0600 file is not
// made world-readable. Checked in the filesystem umoci unpacks.
func TestFilesKeepModes(t *testing.T) {
	yaml := `images:
  - main: .
    files:
      - {src: secret, dst: /etc/app/secret}
      - {src: tool, dst: /usr/bin/tool}
      - {src: shared, dst: /etc/app/shared}
      - {src: conf.d, dst: /etc/conf.d}
      - {src: secret, dst: /etc/app/public, mode: 0644}
`
	dir := writeModule(t, map[string]string{"main.go": helloMain, "packager.yaml": yaml,
		"secret": "s", "tool": "#!/bin/sh\n", "shared": "x", "conf.d/a.conf": "a"})
	modes := map[string]os.FileMode{"secret": 0o600, "tool": 0o750, "shared": 0o666, "conf.d": 0o750, "conf.d/a.conf": 0o640}
	for p, m := range modes {
		if err := os.Chmod(filepath.Join(dir, p), m); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "oci")
	mustPackager(t, dir, nil, "build", "--oci-layout", out)
	rootfs := filepath.Join(testenv.Unpack(t, out+":app:latest").Dir, "rootfs")
	for p, want := range map[string]os.FileMode{
		"etc/app/secret":    0o600,
		"usr/bin/tool":      0o750,
		"etc/app/shared":    0o644, // group and other write dropped
		"etc/conf.d":        os.ModeDir | 0o750,
		"etc/conf.d/a.conf": 0o640,
		"etc/app/public":    0o644, // mode: wins
		"usr/local/bin/app": 0o755,
	} {
		st, err := os.Lstat(filepath.Join(rootfs, p))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if st.Mode() != want {
			t.Errorf("/%s: mode %v, want %v", p, st.Mode(), want)
		}
	}
}

// TestValidateHostileInput: what a hostile or mistaken config tries (copy a
// host file, follow a symlink out, overwrite the binary, smuggle a NUL,
// render gigabytes) fails packager validate with exit 2 and the line.
func TestValidateHostileInput(t *testing.T) {
	chain := `{{"aaaaaaaaaaaaaaaa"` + strings.Repeat(` | replace "a" "aaaaaaaaaaaaaaaa"`, 9) + `}}`
	yaml := `images:
  - main: .
    files:
      - {src: /etc/shadow, dst: /etc/x}
      - {src: up, dst: /etc/y}
      - {src: main.go, dst: /usr/local/bin/app}
    labels: {big: '` + chain + `'}
`
	dir := writeModule(t, map[string]string{"main.go": helloMain, "packager.yaml": yaml})
	if err := os.Symlink("/etc", filepath.Join(dir, "up")); err != nil {
		t.Fatal(err)
	}
	r := packager(t, dir, nil, "validate")
	if r.code != 2 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 2 and nothing\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		`packager.yaml:4:15: images[0].files[0].src: src "/etc/shadow" is outside the module ` + dir,
		`packager.yaml:5:15: images[0].files[1].src: src "up" is a symlink to /etc, outside the module`,
		`packager.yaml:6:29: images[0].files[2].dst: dst "/usr/local/bin/app" is where image app has its binary`,
		`packager.yaml:7:14: images[0].labels.big: may render to more than 64 KiB`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}

	// A NUL is caught while the file is read, before the values are checked.
	nul := filepath.Join(dir, "nul.yaml")
	if err := os.WriteFile(nul, []byte("images:\n  - main: .\n    env: {A: \"x\\0y\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = packager(t, dir, nil, "validate", "-f", "nul.yaml")
	if want := "nul.yaml:3:14: images[0].env.A: contains a NUL character"; r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("validate -f nul.yaml: exit %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}

	// A config that is not a config: read no more than 4 MiB of it.
	r = packager(t, dir, nil, "validate", "-f", "/dev/zero")
	if r.code != 2 || !strings.Contains(r.stderr, "larger than 4 MiB") {
		t.Errorf("validate -f /dev/zero: exit %d, stderr %q; want 2 and larger than 4 MiB", r.code, r.stderr)
	}
}
