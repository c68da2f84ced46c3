package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

const helloMain = "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n"

// TestBadInput: every kind of mistake gets a clear error on stderr, the
// documented exit code, nothing on stdout and no output files.
func TestBadInput(t *testing.T) {
	reg := testenv.StartRegistry(t)
	closedPort := testenv.RefusedAddr(t)

	tests := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		want  []string // substrings of stderr
	}{
		{
			name:  "broken yaml",
			files: map[string]string{"main.go": helloMain, "packager.yaml": "images:\n  - name: app\n    main: [.\n"},
			code:  2, want: []string{"packager.yaml:"},
		},
		{
			name:  "unknown key",
			files: map[string]string{"main.go": helloMain, "packager.yaml": "platfroms: [linux/amd64]\nimages:\n  - main: .\n"},
			code:  2, want: []string{"packager.yaml:1:1", "platfroms", `did you mean "platforms"`},
		},
		{
			name:  "unknown platform",
			files: map[string]string{"main.go": helloMain},
			args:  []string{"--platform", "linux/amd46", "."},
			code:  2, want: []string{"--platform", "linux/amd46", "linux/amd64"},
		},
		{
			name:  "missing main package",
			files: map[string]string{"main.go": helloMain},
			args:  []string{"./cmd/nope"},
			code:  1, want: []string{"./cmd/nope"},
		},
		{
			name:  "not a main package",
			files: map[string]string{"main.go": helloMain, "lib/lib.go": "package lib\n\nfunc F() {}\n"},
			args:  []string{"./lib"},
			code:  1, want: []string{"not a main package"},
		},
		{
			name: "needs cgo",
			files: map[string]string{"cgo/main.go": "package main\n\n// int answer() { return 42; }\nimport \"C\"\n\nfunc main() { println(C.answer()) }\n",
				"main.go": helloMain},
			args: []string{"./cgo"},
			code: 1, want: []string{"needs cgo", `imports "C"`, "CGO_ENABLED=0"},
		},
		{
			name:  "compile error",
			files: map[string]string{"main.go": "package main\n\nfunc main() { undefinedThing() }\n"},
			args:  []string{"."},
			code:  1, want: []string{"undefined: undefinedThing"},
		},
		{
			name:  "unknown base",
			files: map[string]string{"main.go": helloMain},
			args:  []string{"--base", reg.Host + "/nope/missing:v1", "."},
			code:  1, want: []string{reg.Host + "/nope/missing:v1", "not found"},
		},
		{
			name:  "registry refuses connection",
			files: map[string]string{"main.go": helloMain},
			args:  []string{"--repo", closedPort + "/team", "."},
			code:  1, want: []string{closedPort, "connection refused"},
		},
		// Without a cache, staging is in $TMPDIR (assertNoOutput looks there).
		{
			name:  "compile error without cache",
			files: map[string]string{"main.go": "package main\n\nfunc main() { undefinedThing() }\n"},
			args:  []string{"--no-cache", "."},
			code:  1, want: []string{"undefined: undefinedThing"},
		},
		{
			name:  "registry refuses connection without cache",
			files: map[string]string{"main.go": helloMain},
			args:  []string{"--no-cache", "--repo", closedPort + "/team", "."},
			code:  1, want: []string{closedPort, "connection refused"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeModule(t, tc.files)
			tarball := filepath.Join(dir, "out.tar")
			args := append([]string{"build"}, tc.args...)
			if !strings.Contains(strings.Join(tc.args, " "), "--repo") {
				args = append(args, "--tarball", tarball)
			}
			r := packager(t, dir, nil, args...)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", r.code, tc.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout should be empty on failure, got %q", r.stdout)
			}
			assertNoOutput(t, dir)
		})
	}
}

// assertNoOutput checks a failed run left no tarball, layout or temp file,
// in dir or in the pipeline's staging areas (see leftStaging).
func assertNoOutput(t *testing.T, dir string) {
	t.Helper()
	for _, l := range leftStaging(t) {
		t.Errorf("the run left its staging directory %s behind", l)
		os.RemoveAll(l) // report it once, not again in every later test
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch n := e.Name(); {
		case n == "dist", strings.HasSuffix(n, ".tar"), strings.Contains(n, "tmp"):
			t.Errorf("failed run left %s behind", n)
		}
	}
}

// leftStaging lists the staging packager runs left: <cache>/tmp/packager-*,
// and in $TMPDIR packager-* and what is inside packager-staging-UID (where
// --no-cache stages). The tests that check it run one at a time, with the
// cache and the $TMPDIR TestMain gives this run, so anything there was left
// by this run.
func leftStaging(t *testing.T) []string {
	t.Helper()
	cache := os.Getenv("PACKAGER_CACHE_DIR")
	if cache == "" {
		t.Fatal("PACKAGER_CACHE_DIR is not set; TestMain sets it")
	}
	noCache := filepath.Join(os.TempDir(), fmt.Sprintf("packager-staging-%d", os.Getuid()))
	var left []string
	for _, pattern := range []string{filepath.Join(cache, "tmp", "packager-*"), filepath.Join(os.TempDir(), "packager-*"), filepath.Join(noCache, "*")} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			if f != noCache {
				left = append(left, f)
			}
		}
	}
	return left
}

// TestRegistryAuth: a registry that requires login answers 401; packager
// says how to log in, and succeeds once credentials are in the Docker
// config that ggcr's default keychain reads.
func TestRegistryAuth(t *testing.T) {
	reg := testenv.StartRegistry(t, testenv.WithAuth())
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	repo := reg.Host + "/private"
	emptyConfig := t.TempDir()

	r := packager(t, dir, []string{"DOCKER_CONFIG=" + emptyConfig}, "build", "--repo", repo, ".")
	if r.code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	for _, w := range []string{"401", "docker login " + reg.Host} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}

	withCreds := t.TempDir()
	cfg := `{"auths":{"` + reg.Host + `":{"username":"` + reg.Username + `","password":"` + reg.Password + `"}}}`
	if err := os.WriteFile(filepath.Join(withCreds, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	r = mustPackager(t, dir, []string{"DOCKER_CONFIG=" + withCreds}, "build", "--repo", repo, ".")
	if names, _ := r.refs(t); names[0] != repo+"/app:latest" {
		t.Errorf("pushed %v, want %s/app:latest", names, repo)
	}

	// A credential helper named in credHelpers, as cloud CLIs install them.
	helperDir := t.TempDir()
	helper := "#!/bin/sh\n[ \"$1\" = get ] || exit 1\ncat >/dev/null\n" +
		`echo '{"ServerURL":"` + reg.Host + `","Username":"` + reg.Username + `","Secret":"` + reg.Password + `"}'` + "\n"
	if err := os.WriteFile(filepath.Join(helperDir, "docker-credential-packagertest"), []byte(helper), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg = `{"credHelpers":{"` + reg.Host + `":"packagertest"}}`
	if err := os.WriteFile(filepath.Join(helperDir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"DOCKER_CONFIG=" + helperDir, "PATH=" + helperDir + string(os.PathListSeparator) + os.Getenv("PATH")}
	mustPackager(t, dir, env, "build", "--repo", repo, "-t", "via-helper", ".")
}
