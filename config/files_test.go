package config

import (
	"os"
	"path/filepath"
	"testing"
)

// module makes root/go.mod, root/deploy (where packager.yaml lives),
// root/static/app and root/conf, and a directory outside the module; it
// returns the module root and the outside directory.
func module(t *testing.T) (root, outside string) {
	t.Helper()
	tmp := t.TempDir()
	root, outside = filepath.Join(tmp, "mod"), filepath.Join(tmp, "outside")
	for _, d := range []string{"deploy", "static", "bin"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"go.mod", "conf", "static/index.html", "bin/b", "../outside/secret"} {
		if err := os.WriteFile(filepath.Join(root, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"deploy/out":    outside,                // absolute, leaves the module
		"deploy/rel":    "../../outside",        // relative, leaves it
		"deploy/in":     "../static",            // stays inside
		"deploy/secret": "../../outside/secret", // a file outside
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return root, outside
}

// TestFilesInsideModule: src: may name anything in the module the
// packager.yaml belongs to, and nothing outside it, also not through a
// symlink, so a config cannot copy /etc/shadow or ~/.ssh into an image.
func TestFilesInsideModule(t *testing.T) {
	root, outside := module(t)
	deploy := filepath.Join(root, "deploy")
	ok := "images:\n  - main: ./a\n    files:\n      - {src: ../static, dst: /srv}\n      - {src: in, dst: /srv2}\n      - {src: " + filepath.Join(root, "conf") + ", dst: /etc/conf}\n      - {src: ., dst: /d}\n"
	if _, err := mustParse(t, deploy, ok).Targets(Overrides{}); err != nil {
		t.Errorf("files inside the module: %v", err)
	}
	bad := "images:\n  - main: ./a\n    files:\n" +
		"      - {src: /etc/passwd, dst: /a}\n" +
		"      - {src: ../../outside, dst: /b}\n" +
		"      - {src: out, dst: /c}\n" +
		"      - {src: rel, dst: /d}\n" +
		"      - {src: secret, dst: /e}\n"
	_, err := mustParse(t, deploy, bad).Targets(Overrides{})
	checkProblems(t, err, []want{
		{"packager.yaml:4:15: images[0].files[0].src: ", `src "/etc/passwd" is outside the module ` + root + `; copy the file into the project`},
		{"packager.yaml:5:15: images[0].files[1].src: ", `src "../../outside" is outside the module ` + root},
		{"packager.yaml:6:15: images[0].files[2].src: ", `src "out" is a symlink to ` + outside + `, outside the module ` + root},
		{"packager.yaml:7:15: images[0].files[3].src: ", `src "rel" is a symlink to ` + outside + `, outside`},
		{"packager.yaml:8:15: images[0].files[4].src: ", `src "secret" is a symlink to ` + filepath.Join(outside, "secret") + `, outside`},
	})
}

// TestFilesInsideConfigDir: without a go.mod above it, the directory of
// packager.yaml is the limit.
func TestFilesInsideConfigDir(t *testing.T) {
	root, _ := module(t)
	if err := os.Remove(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	deploy := filepath.Join(root, "deploy")
	_, err := mustParse(t, deploy, "images:\n  - main: ./a\n    files: [{src: ../static, dst: /srv}]\n").Targets(Overrides{})
	checkProblems(t, err, []want{{"packager.yaml:3:19: images[0].files[0].src: ", `src "../static" is outside ` + deploy + ` (the directory of packager.yaml; there is no go.mod above it)`}})
}

// TestFilesOverBinary: a files: entry that would replace a binary, or turn
// its path into a directory, is an error at the entry.
func TestFilesOverBinary(t *testing.T) {
	root, _ := module(t)
	yaml := `defaults:
  files: [{src: conf, dst: /usr/local/bin/app}]
images:
  - main: ./cmd/app
  - name: b
    main: ./cmd/b
    files:
      - {src: bin, dst: /usr/local/bin}
      - {src: conf, dst: /usr/local/bin/b/x}
      - {src: conf, dst: /usr/local/}
      - {src: static, dst: /usr/local/bin/static}
  - name: c
    binaries: [{main: ./cmd/c, path: /opt/c/c}]
    files: [{src: conf, dst: /opt/c}]
`
	_, err := mustParse(t, root, yaml).Targets(Overrides{})
	checkProblems(t, err, []want{
		{"packager.yaml:2:28: defaults.files[0].dst: ", `dst "/usr/local/bin/app" is where image app has its binary (from main ./cmd/app); choose another dst`},
		{"packager.yaml:8:25: images[1].files[0].dst: ", `copies bin/b to /usr/local/bin/b, where image b has its binary`},
		{"packager.yaml:9:26: images[1].files[1].dst: ", `dst "/usr/local/bin/b/x" is inside /usr/local/bin/b, where image b has its binary`},
		{"packager.yaml:14:30: images[2].files[0].dst: ", `dst "/opt/c" would be a file where image c needs the directory of its binary /opt/c/c`},
	})
}
