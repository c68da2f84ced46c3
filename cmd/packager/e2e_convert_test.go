package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/testenv"
)

// TestConvertCLI: convert writes packager.yaml and prints warnings with
// Dockerfile:LINE; --strict writes nothing; an existing file needs --force;
// init writes one image per main and refuses to overwrite.
func TestConvertCLI(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"cmd/api/main.go": "package main\nfunc main() {}\n",
		"cmd/cli/main.go": "package main\nfunc main() {}\n",
		"Dockerfile": "FROM golang:1.26 AS b\nWORKDIR /src\nCOPY . .\nRUN go build -o /api ./cmd/api\n" +
			"FROM scratch\nRUN echo hi\nCOPY --from=b /api /api\nENTRYPOINT [\"/api\"]\n",
	})
	r := packager(t, dir, nil, "convert", "--strict")
	if r.code != exitFailure || !strings.Contains(r.stderr, "Dockerfile:6:") {
		t.Fatalf("--strict: exit %d, stderr %q; want 1 and a warning for Dockerfile:6", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "packager.yaml")); err == nil {
		t.Fatal("--strict with warnings wrote packager.yaml")
	}
	r = mustPackager(t, dir, nil, "convert")
	if !strings.Contains(r.stderr, "warning: Dockerfile:6: RUN") {
		t.Errorf("stderr %q has no warning for RUN", r.stderr)
	}
	mustPackager(t, dir, nil, "validate")
	if r := packager(t, dir, nil, "convert"); r.code == 0 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("convert over an existing file: exit %d, stderr %q", r.code, r.stderr)
	}
	mustPackager(t, dir, nil, "convert", "--force")
	if r := packager(t, dir, nil, "init"); r.code == 0 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("init over an existing file: exit %d, stderr %q", r.code, r.stderr)
	}
	mustPackager(t, dir, nil, "init", "--force")
	f, err := config.Load(filepath.Join(dir, "packager.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var mains []string
	for _, img := range f.Images {
		mains = append(mains, img.Main)
	}
	if !slices.Equal(mains, []string{"./cmd/api", "./cmd/cli"}) {
		t.Errorf("init wrote mains %v", mains)
	}
}

// sideBySide lists the corpus files docker build can build here: offline,
// with the legacy builder (this engine has no buildx). Left out: files whose
// builder needs git or network (git-describe, ADD of a URL, alpine bases),
// BuildKit-only syntax (RUN --mount, --platform=$BUILDPLATFORM, --chmod),
// go generate/make, a user name on scratch, and the seed whose COPY lines
// lost --from. diff names the config fields that differ by design.
var sideBySide = []struct {
	file  string
	args  map[string]string // --build-arg for docker, environment for packager
	diff  []string
	known []string // differences from bugs outside convert, logged until fixed
}{
	{file: "seeds/002-go-scratch.Dockerfile", diff: []string{"Env"}}, // static base: SSL_CERT_FILE
	{file: "seeds/004-go-scratch-arch.Dockerfile"},
	{file: "instructions/from-scratch.Dockerfile"},
	{file: "instructions/from-distroless-nonroot.Dockerfile"},
	{file: "instructions/from-distroless-base.Dockerfile"},
	{file: "instructions/cmd-exec.Dockerfile"},
	{file: "instructions/cmd-only.Dockerfile"},                                              // entrypoint: [], so CMD alone runs
	{file: "instructions/cmd-shell.Dockerfile", diff: []string{"Entrypoint", "Cmd"}},        // exec form instead of /bin/sh -c
	{file: "instructions/entrypoint-shell.Dockerfile", diff: []string{"Entrypoint", "Cmd"}}, // idem
	{file: "instructions/entrypoint-other.Dockerfile"},
	{file: "instructions/label.Dockerfile"},
	{file: "instructions/maintainer.Dockerfile", diff: []string{"Labels"}},   // Author becomes a label
	{file: "instructions/expose.Dockerfile", diff: []string{"ExposedPorts"}}, // the range is a warning
	{file: "instructions/env.Dockerfile"},
	{file: "instructions/volume.Dockerfile", diff: []string{"Volumes"}}, // relative VOLUME made absolute
	{file: "instructions/user.Dockerfile"},
	{file: "instructions/workdir.Dockerfile"},
	{file: "instructions/arg.Dockerfile", args: map[string]string{"RELEASE": "r1"}},
	{file: "instructions/onbuild.Dockerfile"},
	{file: "instructions/stopsignal.Dockerfile"},
	{file: "instructions/healthcheck.Dockerfile"},
	{file: "instructions/healthcheck-shell.Dockerfile"},
	{file: "instructions/healthcheck-none.Dockerfile"},
	{file: "instructions/shell.Dockerfile"},
	{file: "real/scratch-zoneinfo-certs.Dockerfile", diff: []string{"Env"}}, // SSL_CERT_FILE, ZONEINFO
	{file: "real/distroless-cmd.Dockerfile"},
	{file: "real/labels-licenses.Dockerfile"},
	{file: "real/several-binaries.Dockerfile"},
	{file: "real/single-stage.Dockerfile", diff: []string{"Env"}}, // the toolchain's PATH, GOPATH, ...
}

// configFields are the image config fields compared.
var configFields = []string{"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "WorkingDir", "Labels", "Healthcheck", "Volumes", "StopSignal"}

// TestConvertSideBySide builds each file of sideBySide with docker build and
// its conversion with packager, and compares the image configs.
func TestConvertSideBySide(t *testing.T) {
	docker := testenv.RequireDocker(t)
	goTag := strings.TrimSpace(testenv.Run(t, "", "sh", filepath.Join(repoRoot(t), "bench", "standins.sh")))
	for _, tc := range sideBySide {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			ctx := convertContext(t, tc.file, goTag, tc.args)
			// Unique to this subtest and run: concurrent runs share the
			// Docker engine, and each removes only its own two images.
			id := uniqueTag(t)
			dockerRef := "packager-sbs/docker:" + id
			args := []string{"build", "-q", "-t", dockerRef}
			var env []string
			for k, v := range tc.args {
				args = append(args, "--build-arg", k+"="+v)
				env = append(env, k+"="+v)
			}
			t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rmi", "-f", dockerRef) })
			cmd := testenvCommand(docker, ctx, []string{"DOCKER_BUILDKIT=0"}, append(args, ".")...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("docker build: %v\n%s", err, out)
			}
			repo := "packager-sbs"
			mustPackager(t, ctx, env, "build", "--docker", "--repo", repo, "-t", id)
			name := imageNameIn(t, ctx)
			pkRef := repo + "/" + name + ":" + id
			t.Cleanup(func() { _, _, _ = testenv.RunErr("", docker, "rmi", "-f", pkRef) })
			compareConfigs(t, inspectConfig(t, docker, dockerRef), inspectConfig(t, docker, pkRef), tc.diff, tc.known)
		})
	}
}

var fromGo = regexp.MustCompile(`(?im)^(FROM\s+(--platform=\S+\s+)?)golang:\S+`)
var fromDistroless = regexp.MustCompile(`(?im)^(FROM\s+)gcr\.io/distroless/\S+`)

// convertContext writes a build context for a corpus Dockerfile: the
// Dockerfile with its bases replaced by the local stand-ins, packager.yaml
// converted from it, and a Go module with every main package and file they
// name.
func convertContext(t *testing.T, file, goTag string, args map[string]string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "internal", "convert", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeModule(t, map[string]string{"go.sum": ""})
	out := filepath.Join(dir, "packager.yaml")
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	mustPackager(t, dir, nil, "convert", "-o", out)
	df := fromGo.ReplaceAllString(string(src), "${1}"+goTag)
	df = fromDistroless.ReplaceAllStringFunc(df, func(s string) string {
		if strings.Contains(s, "nonroot") {
			return "FROM packager-standin/distroless-static:nonroot"
		}
		return "FROM packager-standin/distroless-static:latest"
	})
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range f.Images {
		mains := []string{img.Main}
		for _, b := range img.Binaries {
			mains = append(mains, b.Main)
		}
		for _, m := range mains {
			if m != "" {
				writeFile(t, filepath.Join(dir, m, "main.go"), "package main\n\nfunc main() {}\n")
			}
		}
		for _, fe := range img.Files {
			if !strings.HasSuffix(fe.Src, "/") {
				writeFile(t, filepath.Join(dir, fe.Src), fe.Src+"\n")
			} else {
				writeFile(t, filepath.Join(dir, fe.Src, "index.html"), "hi\n")
			}
		}
	}
	return dir
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func imageNameIn(t *testing.T, dir string) string {
	t.Helper()
	f, err := config.Load(filepath.Join(dir, "packager.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return f.Images[0].Name
}

func inspectConfig(t *testing.T, docker, ref string) map[string]json.RawMessage {
	t.Helper()
	out := testenv.Run(t, "", docker, "image", "inspect", "--format", "{{json .Config}}", ref)
	var c map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("inspect %s: %v\n%s", ref, err, out)
	}
	return c
}

// compareConfigs compares the fields of configFields. Empty values (null,
// [], {}, "") are equal; User "" and "0" are both root; Env is compared as a
// set (packager sorts it, docker keeps the Dockerfile's order).
func compareConfigs(t *testing.T, docker, pk map[string]json.RawMessage, expected, known []string) {
	t.Helper()
	for _, field := range configFields {
		d, p := norm(field, docker[field]), norm(field, pk[field])
		switch {
		case d != p && slices.Contains(known, field):
			t.Logf("%s: known difference (not convert's): docker %s, packager %s", field, d, p)
		case d == p && slices.Contains(known, field):
			t.Logf("%s: the known difference is gone; remove it from known", field)
		case d == p && slices.Contains(expected, field):
			t.Logf("%s: expected a difference, got the same %s", field, d)
		case d != p && slices.Contains(expected, field):
			t.Logf("%s differs by design: docker %s, packager %s", field, d, p)
		case d != p:
			t.Errorf("%s: docker build %s, packager %s", field, d, p)
		}
	}
}

func norm(field string, raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	switch s {
	case "", "null", "[]", "{}", `""`:
		return "none"
	}
	if field == "User" && (s == `"0"` || s == `"0:0"` || s == `"root"`) {
		return "none"
	}
	if field == "Env" {
		var env []string
		if json.Unmarshal(raw, &env) == nil {
			slices.Sort(env)
			b, _ := json.Marshal(env)
			return string(b)
		}
	}
	return s
}
