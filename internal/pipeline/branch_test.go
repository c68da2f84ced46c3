package pipeline

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/testenv"
)

// On a detached HEAD, as CI checks out, .Git.Branch comes from the CI's
// variables.
func TestBranchFromCIOnDetachedHead(t *testing.T) {
	git := testenv.RequireTool(t, "git")
	dir := t.TempDir()
	for _, args := range [][]string{
		{"init", "-q"}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x"},
		{"checkout", "-q", "--detach"},
	} {
		if out, err := exec.Command(git, append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	env := []string{"GITHUB_ACTIONS=true", "GITHUB_REF_NAME=feature/x", "GITHUB_REF_TYPE=branch", "HOME=" + dir, "PATH=/usr/bin:/bin"}
	r := newRenderer(env, nil, time.Unix(0, 0), false, nil)
	d := r.data(context.Background(), dir)
	if d.Git == nil || d.Git.Branch != "feature/x" {
		t.Fatalf("Git = %+v (err %v), want branch feature/x from GITHUB_REF_NAME", d.Git, d.GitErr)
	}
}
