package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

const versionMain = `package main

import "fmt"

var version, date = "unset", "unset"

func main() { fmt.Println("version", version, "date", date) }
`

// gitRepo makes a git repository of dir with one commit tagged tag and an
// origin remote, with fixed names and dates so nothing depends on the
// machine's git config.
func gitRepo(t *testing.T, dir, tag string) (commit string) {
	t.Helper()
	git := testenv.RequireTool(t, "git")
	env := []string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z"}
	run := func(args ...string) string {
		t.Helper()
		cmd := testenvCommand(git, dir, env, args...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("init", "-q", "-b", "main")
	run("remote", "add", "origin", "git@github.com:acme/app.git")
	run("add", ".")
	run("commit", "-q", "-m", "initial")
	run("tag", tag)
	return run("rev-parse", "HEAD")
}

// TestTemplatesFromGit: tags and ldflags rendered from a real git
// repository; every tag is pushed; the OCI labels name the commit, tag and
// source; with SOURCE_DATE_EPOCH unset, the config's created time, the
// created label and {{.Date}} are HEAD's commit time; a missing variable
// without a default fails at its line.
func TestTemplatesFromGit(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	dir := writeModule(t, map[string]string{"main.go": versionMain, "packager.yaml": `images:
  - main: .
    tags: [latest, "{{.Git.Tag}}", "{{.Git.ShortCommit}}", '{{.Env.CHANNEL | default "stable"}}']
    ldflags: ["-X main.version={{.Version}}", "-X main.date={{.Date}}"]
    env:
      BUILT_FROM: "{{.Git.Commit}}"
      BRANCH: "{{.Git.Branch}}"
    labels:
      org.example.commit-date: "{{.Git.CommitDate}}"
`})
	commit := gitRepo(t, dir, "v1.2.3")
	repo := reg.Host + "/tmpl"
	r := mustPackager(t, dir, []string{"SOURCE_DATE_EPOCH="}, "build", "--repo", repo)
	if names, _ := r.refs(t); len(names) != 1 || names[0] != repo+"/app:latest" {
		t.Fatalf("refs %v", names)
	}
	tags := strings.Fields(testenv.Run(t, "", crane, "ls", "--insecure", repo+"/app"))
	// The SBOM's referrers fallback tag, sha256-<hex>, is no image tag.
	tags = slices.DeleteFunc(tags, func(tag string) bool { return strings.HasPrefix(tag, "sha256-") })
	slices.Sort(tags)
	if strings.Join(tags, ",") != strings.Join([]string{commit[:7], "latest", "stable", "v1.2.3"}, ",") {
		t.Errorf("pushed tags %v", tags)
	}
	var cfg struct {
		Created string `json:"created"`
		Config  struct {
			Env    []string
			Labels map[string]string
		} `json:"config"`
	}
	if err := json.Unmarshal([]byte(testenv.Run(t, "", crane, "config", "--insecure", repo+"/app:v1.2.3")), &cfg); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"org.example.commit-date":           "2024-01-02T03:04:05Z",
		"org.opencontainers.image.created":  "2024-01-02T03:04:05Z",
		"org.opencontainers.image.revision": commit,
		"org.opencontainers.image.version":  "v1.2.3",
		"org.opencontainers.image.source":   "https://github.com/acme/app",
	} {
		if cfg.Config.Labels[k] != want {
			t.Errorf("label %s = %q, want %q", k, cfg.Config.Labels[k], want)
		}
	}
	if cfg.Created != "2024-01-02T03:04:05Z" {
		t.Errorf("created %q, want the commit time 2024-01-02T03:04:05Z", cfg.Created)
	}
	if env := strings.Join(cfg.Config.Env, " "); !strings.Contains(env, "BUILT_FROM="+commit) || !strings.Contains(env, "BRANCH=main") {
		t.Errorf("env %v", cfg.Config.Env)
	}
	out := filepath.Join(t.TempDir(), "oci")
	testenv.Copy(t, "docker://"+repo+"/app:v1.2.3", "oci:"+out+":app")
	if got := runBundle(t, testenv.Unpack(t, out+":app")); strings.TrimSpace(got) != "version 1.2.3 date 2024-01-02T03:04:05Z" {
		t.Errorf("binary says %q, want version 1.2.3 and the commit time", got)
	}

	// No default and no variable: an error at the value's line, nothing pushed.
	yaml := "images:\n  - main: .\n    tags: [\"{{.Env.RELEASE}}\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "packager.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Unsetenv("RELEASE")
	bad := packager(t, dir, nil, "build", "--repo", repo)
	if bad.code != 2 || !strings.Contains(bad.stderr, "packager.yaml:3:12: tags[0]: {{.Env.RELEASE}}") || bad.stdout != "" {
		t.Errorf("missing env: exit %d stdout %q stderr:\n%s", bad.code, bad.stdout, bad.stderr)
	}
}
