package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidate: packager validate reports every invalid value at once, each
// at its line, builds nothing, and accepts the examples.
func TestValidate(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain, "cmd/tool/main.go": helloMain})
	yaml := `images:
  - name: web
    main: .
    ports: ["8080/tcp", "70000"]
    files:
      - {src: main.go, dst: ../etc, mode: 99999}
    healthcheck:
      test: []
    tags: ["{{.Git.Tagg}}"]
  - name: tools
    binaries:
      - {main: ., path: /usr/local/bin/app}
      - {main: ./cmd/tool, path: /usr/local/bin/app}
`
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	r := packager(t, dir, nil, "validate")
	if r.code != 2 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 2 and nothing", r.code, r.stdout)
	}
	for _, want := range []string{
		"packager.yaml:4:25: images[0].ports[1]: port 70000 is out of range",
		"packager.yaml:6:29: images[0].files[0].dst: dst \"../etc\" must be an absolute path",
		"packager.yaml:6:43: images[0].files[0].mode: mode 99999 is not octal",
		"packager.yaml:8:13: images[0].healthcheck.test: healthcheck.test is empty",
		"packager.yaml:9:12: images[0].tags[0]: {{.Git.Tagg}}: unknown field .Git.Tagg",
		"packager.yaml:13:34: images[1].binaries[1].path: path \"/usr/local/bin/app\" is also used by binaries[0] (line 12)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	assertNoOutput(t, dir)
	// In a subdirectory it checks the module's packager.yaml, as build
	// finds it.
	if sub := packager(t, filepath.Join(dir, "cmd", "tool"), nil, "validate"); sub.code != 2 || !strings.Contains(sub.stderr, "images[0].ports[1]: port 70000 is out of range") {
		t.Errorf("validate in a subdirectory: exit %d, stderr:\n%s", sub.code, sub.stderr)
	}

	for _, ex := range []string{"hello", "server", "webapp"} {
		r := mustPackager(t, filepath.Join(repoRoot(t), "examples", ex), nil, "validate")
		if !strings.Contains(r.stdout, "ok") {
			t.Errorf("%s: %q", ex, r.stdout)
		}
	}
}

// TestUserNameOnBuiltinBase: the built-in bases' users are known offline,
// so a user name scratch (no /etc/passwd) or static cannot resolve is a
// config error at its line, from validate as from build, before anything
// compiles: exit 2 with the fix.
func TestUserNameOnBuiltinBase(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"images:\n  - main: .\n    base: scratch\n    user: root\n",
			`packager.yaml:4:11: images[0].user: user "root" names a user or group, but the base is scratch (from images[0].base), which has no /etc/passwd or /etc/group to look names up in; write numeric ids, e.g. user: "0:0", or use base: static`},
		{"images:\n  - main: .\n    user: postgres\n",
			`packager.yaml:3:11: images[0].user: user "postgres" is not in the static base (from the default), whose users are nobody, nonroot, root`},
	} {
		dir := writeModule(t, map[string]string{"main.go": helloMain, "packager.yaml": tc.yaml})
		for _, cmd := range []string{"validate", "build"} {
			r := packager(t, dir, nil, cmd)
			if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("%s: exit %d stdout %q stderr:\n%s\nwant exit 2 and %q", cmd, r.code, r.stdout, r.stderr, tc.want)
			}
		}
		assertNoOutput(t, dir)
	}
}

// TestUnknownUserAtItsLine: on a base packager has to read (here an oci:
// layout), a user name it lacks is only known once the base is read, and
// still points at the line that set it.
func TestUnknownUserAtItsLine(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	if err := os.Rename(writeBaseIndex(t, "v1", nil), filepath.Join(dir, "base")); err != nil {
		t.Fatal(err)
	}
	yaml := "base: oci:base:v1\nimages:\n  - main: .\n    user: postgres\n"
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	mustPackager(t, dir, nil, "validate")
	r := packager(t, dir, nil, "build")
	// A packager.yaml mistake found at build time still exits 2.
	if r.code != 2 || !strings.Contains(r.stderr, "packager.yaml:4:11: user: user \"postgres\" is not in the base image's /etc/passwd (users there: nobody, nonroot, root)") {
		t.Errorf("exit %d stderr:\n%s", r.code, r.stderr)
	}
	assertNoOutput(t, dir)
}

// TestFilesSymlinkOutside: a files: tree whose symlink leaves it would put
// whatever the image has there in its place; the build refuses it at the
// files: line and writes nothing.
func TestFilesSymlinkOutside(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain, "static/index.html": "hi"})
	if err := os.Symlink("../../secret", filepath.Join(dir, "static", "leak")); err != nil {
		t.Fatal(err)
	}
	yaml := "images:\n  - main: .\n    files:\n      - {src: static, dst: /srv/static}\n"
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	r := packager(t, dir, nil, "build")
	if r.code != 2 || !strings.Contains(r.stderr, "packager.yaml:4:9: files[0]: files: symlink") || !strings.Contains(r.stderr, "outside") {
		t.Errorf("exit %d stderr:\n%s", r.code, r.stderr)
	}
	assertNoOutput(t, dir)
}
