package render

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
)

// repo is a real git repository in a temporary directory, with fixed names
// and dates so that its commits are the same on every run.
type repo struct {
	t   *testing.T
	dir string
	env []string
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	r := &repo{t: t, dir: t.TempDir(), env: gitEnv(t)}
	r.git("init", "-q", "-b", "main")
	r.write("a.txt", "one\n")
	r.commit("first")
	return r
}

// gitEnv is a hermetic environment: no user or system config, and no
// repository above the temporary directories.
func gitEnv(t *testing.T) []string {
	t.Helper()
	testenv.RequireTool(t, "git")
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_CEILING_DIRECTORIES=" + filepath.Dir(t.TempDir()),
		"GIT_AUTHOR_DATE=2024-01-02T03:04:05Z",
		"GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
	}
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	args = append([]string{"-c", "user.name=Packager Test", "-c", "user.email=test@example.com"}, args...)
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

func (r *repo) write(file, content string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, file), []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) commit(msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
}

func (r *repo) head() string {
	r.t.Helper()
	return r.git("rev-parse", "HEAD")
}

func TestGitInfo(t *testing.T) {
	tests := []struct {
		name  string
		setup func(r *repo)
		want  func(head string) Git
	}{
		{"no tags", func(r *repo) {},
			func(h string) Git { return Git{Describe: h[:7]} }},
		{"tag at HEAD", func(r *repo) { r.git("tag", "v1.2.3") },
			func(h string) Git { return Git{Tag: "v1.2.3", Describe: "v1.2.3"} }},
		{"annotated tag at HEAD", func(r *repo) { r.git("tag", "-a", "-m", "release", "v2.0.0") },
			func(h string) Git { return Git{Tag: "v2.0.0", Describe: "v2.0.0"} }},
		{"annotated tag preferred over lightweight", func(r *repo) {
			r.git("tag", "a-light")
			r.git("tag", "-a", "-m", "release", "v3.0.0")
		}, func(h string) Git { return Git{Tag: "v3.0.0", Describe: "v3.0.0"} }},
		{"one commit after the tag", func(r *repo) {
			r.git("tag", "v1.2.3")
			r.write("b.txt", "two\n")
			r.commit("second")
		}, func(h string) Git { return Git{Describe: "v1.2.3-1-g" + h[:7]} }},
		{"tagged, tracked file changed", func(r *repo) {
			r.git("tag", "v1.2.3")
			r.write("a.txt", "changed\n")
		}, func(h string) Git { return Git{Tag: "v1.2.3", Dirty: true, Describe: "v1.2.3-dirty"} }},
		{"untagged, change staged", func(r *repo) {
			r.write("a.txt", "changed\n")
			r.git("add", "a.txt")
		}, func(h string) Git { return Git{Dirty: true, Describe: h[:7] + "-dirty"} }},
		{"detached HEAD", func(r *repo) {
			r.git("tag", "v1.2.3")
			r.git("checkout", "-q", "--detach", "v1.2.3")
		}, func(h string) Git { return Git{Tag: "v1.2.3", Describe: "v1.2.3"} }},
		{"branch with a slash", func(r *repo) { r.git("checkout", "-q", "-b", "feature/login") },
			func(h string) Git { return Git{Branch: "feature/login", Describe: h[:7]} }},
		{"committer time, not author time, in UTC", func(r *repo) {
			r.env = append(r.env, "GIT_AUTHOR_DATE=2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2024-06-01T12:00:00+02:00")
			r.write("b.txt", "two\n")
			r.commit("second")
		}, func(h string) Git {
			return Git{Describe: h[:7], CommitDate: time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)}
		}},
		{"untracked file is not dirty", func(r *repo) {
			r.git("tag", "v1.2.3")
			r.write("new.txt", "untracked\n")
		}, func(h string) Git { return Git{Tag: "v1.2.3", Describe: "v1.2.3"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRepo(t)
			tt.setup(r)
			h := r.head()
			want := tt.want(h)
			want.Commit, want.ShortCommit = h, h[:7]
			if want.Branch == "" && tt.name != "detached HEAD" {
				want.Branch = "main"
			}
			if want.CommitDate.IsZero() {
				want.CommitDate = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
			}
			got, err := GitInfo(context.Background(), r.dir, r.env)
			if err != nil {
				t.Fatal(err)
			}
			if *got != want {
				t.Errorf("GitInfo = %+v\nwant %+v", *got, want)
			}
		})
	}
}

func TestGitInfoSubdirectory(t *testing.T) {
	r := newRepo(t)
	r.git("tag", "v1.0.0")
	sub := filepath.Join(r.dir, "cmd", "app")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := GitInfo(context.Background(), sub, r.env)
	if err != nil {
		t.Fatal(err)
	}
	if got.Tag != "v1.0.0" || got.Commit != r.head() {
		t.Errorf("GitInfo(%s) = %+v, want tag v1.0.0 at %s", sub, *got, r.head())
	}
}

func TestGitInfoErrors(t *testing.T) {
	env := gitEnv(t)
	empty := t.TempDir()
	(&repo{t: t, dir: empty, env: env}).git("init", "-q")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		dir  string
		want string
	}{
		{"not a repository", context.Background(), t.TempDir(), "fatal: not a git repository"},
		{"no commits", context.Background(), empty, "the git repository at " + empty + " has no commits yet; commit first (git commit)"},
		{"cancelled", cancelled, newRepo(t).dir, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := GitInfo(tt.ctx, tt.dir, env)
			if err == nil {
				t.Fatalf("GitInfo = %+v, want an error", *g)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("GitInfo error = %v, want it to contain %q", err, tt.want)
			}
			if tt.ctx.Err() != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("GitInfo error = %v, want it to wrap context.Canceled", err)
			}
		})
	}
}

// TestGitInfoReadOnly: git status normally rewrites the index when file
// times changed; GitInfo must not write to the repository.
func TestGitInfoReadOnly(t *testing.T) {
	r := newRepo(t)
	index := filepath.Join(r.dir, ".git", "index")
	before, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(r.dir, "a.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	if _, err := GitInfo(context.Background(), r.dir, r.env); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("GitInfo rewrote .git/index")
	}
}

// TestGitInfoRender renders the fields from a real repository one commit
// after a tag, with a change in the worktree.
func TestGitInfoRender(t *testing.T) {
	r := newRepo(t)
	r.git("tag", "v1.2.3")
	r.commit("second")
	r.write("a.txt", "changed\n")
	h := r.head()
	g, err := GitInfo(context.Background(), r.dir, r.env)
	if err != nil {
		t.Fatal(err)
	}
	d := Data{Git: g}
	got, err := Render(name, `{{.Version}} {{.Git.ShortCommit}} {{.Git.Dirty}} {{.Git.Tag | default "none"}}`, d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "1.2.3-1-g" + h[:7] + "-dirty " + h[:7] + " true none"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
	_, err = Render(name, "{{.Git.Tag}}", d)
	if want := "HEAD (" + h[:7] + ") has no tag; tag it (git tag v1.0.0)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Render({{.Git.Tag}}) error = %v, want %q", err, want)
	}

	_, gitErr := GitInfo(context.Background(), t.TempDir(), r.env)
	_, err = Render(name, "{{.Git.Commit}}", Data{GitErr: gitErr})
	if want := "{{.Git.Commit}}: no git information: git rev-parse"; err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("Render outside a repository: error = %v, want %q and git's message", err, want)
	}
}

func TestWebURL(t *testing.T) {
	for in, want := range map[string]string{
		"git@github.com:acme/app.git":             "https://github.com/acme/app",
		"https://github.com/acme/app.git":         "https://github.com/acme/app",
		"https://user:token@gitlab.com/acme/app":  "https://gitlab.com/acme/app",
		"ssh://git@example.com:2222/acme/app.git": "https://example.com/acme/app",
		"/srv/git/app.git":                        "",
		"../app":                                  "",
	} {
		if got := webURL(in); got != want {
			t.Errorf("webURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNeedsStatus(t *testing.T) {
	for text, want := range map[string]bool{
		"{{.Version}}":          true,
		"{{.Git.Dirty}}":        true,
		"{{.Git.Tag}}":          false,
		"Version 1 (no action)": false,
	} {
		if got := NeedsStatus(text); got != want {
			t.Errorf("NeedsStatus(%q) = %v", text, got)
		}
	}
}

func TestGitInfoCleanSkipsStatus(t *testing.T) {
	r := newRepo(t)
	r.git("tag", "v1.2.3")
	r.git("remote", "add", "origin", "git@github.com:acme/app.git")
	r.write("a.txt", "changed\n")
	got, err := GitInfoClean(context.Background(), r.dir, r.env)
	if err != nil {
		t.Fatal(err)
	}
	h := r.head()
	want := Git{Commit: h, ShortCommit: h[:7], Tag: "v1.2.3", Describe: "v1.2.3", Source: "https://github.com/acme/app",
		Branch: "main", CommitDate: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	if *got != want {
		t.Errorf("GitInfoClean = %+v\nwant %+v", *got, want)
	}
}
