package verify

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// checkout is a git repository in a temporary directory holding go.mod,
// packager.yaml and deploy/packager.yaml, committed; it returns the
// directory and the environment LocalState gets.
func checkout(t *testing.T) (string, []string) {
	t.Helper()
	testenv.RequireTool(t, "git")
	dir := t.TempDir()
	env := append(os.Environ(), "HOME="+t.TempDir(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_CEILING_DIRECTORIES="+filepath.Dir(dir))
	write(t, dir, "go.mod", "module example.com/m\n")
	write(t, dir, "packager.yaml", "images:\n  - main: ./cmd/app\n")
	write(t, dir, "deploy/packager.yaml", "images:\n  - main: ../cmd/app\n")
	for _, args := range [][]string{{"init", "-q"}, {"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir, env
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func digestOf(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("sha256:%x", sha256.Sum256(data))
}

var fullHash = regexp.MustCompile(`^[0-9a-f]{40}$`)

func TestLocalState(t *testing.T) {
	dir, env := checkout(t)
	ctx := context.Background()
	tests := []struct {
		name       string
		workDir    string // relative to the checkout
		config     string // Provenance.Config
		wantConfig string // the file whose digest is wanted, relative to the checkout; "" for none
	}{
		{"packager.yaml found", ".", "", "packager.yaml"},
		{"packager.yaml found from below", "cmd", "", "packager.yaml"},
		{"the recorded file, relative to the working directory", ".", "deploy/packager.yaml", "deploy/packager.yaml"},
		{"the recorded file from below", "cmd", "../deploy/packager.yaml", "deploy/packager.yaml"},
		{"the recorded file, absolute", "cmd", filepath.Join(dir, "deploy/packager.yaml"), "deploy/packager.yaml"},
		{"the recorded file is missing", ".", "gone.yaml", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workDir := filepath.Join(dir, tt.workDir)
			if err := os.MkdirAll(workDir, 0o755); err != nil {
				t.Fatal(err)
			}
			l, err := LocalState(ctx, workDir, env, Provenance{Config: tt.config})
			if err != nil {
				t.Fatal(err)
			}
			if !fullHash.MatchString(l.Commit) || l.Dirty {
				t.Errorf("Commit, Dirty = %q, %v; want HEAD's full hash, clean", l.Commit, l.Dirty)
			}
			if !strings.HasPrefix(l.GoVersion, "go") || strings.ContainsAny(l.GoVersion, " \n") {
				t.Errorf("GoVersion = %q, want go env GOVERSION's answer", l.GoVersion)
			}
			want := ""
			if tt.wantConfig != "" {
				want = digestOf(t, filepath.Join(dir, tt.wantConfig))
			}
			if l.ConfigDigest != want {
				t.Errorf("ConfigDigest = %q, want %q (of %q)", l.ConfigDigest, want, tt.wantConfig)
			}
		})
	}

	t.Run("dirty", func(t *testing.T) {
		dir, env := checkout(t)
		write(t, dir, "packager.yaml", "images: []\n")
		l, err := LocalState(ctx, dir, env, Provenance{})
		if err != nil {
			t.Fatal(err)
		}
		if !l.Dirty || l.ConfigDigest != digestOf(t, filepath.Join(dir, "packager.yaml")) {
			t.Errorf("Dirty, ConfigDigest = %v, %q; want dirty and the digest of the changed file", l.Dirty, l.ConfigDigest)
		}
	})
	t.Run("outside git, no packager.yaml", func(t *testing.T) {
		plain := t.TempDir()
		write(t, plain, "go.mod", "module example.com/plain\n")
		l, err := LocalState(ctx, plain, append(env, "GIT_CEILING_DIRECTORIES="+filepath.Dir(plain)), Provenance{})
		if err != nil {
			t.Fatal(err)
		}
		if l.Commit != "" || l.Dirty || l.ConfigDigest != "" {
			t.Errorf("LocalState = %+v, want no commit and no config digest", l)
		}
	})
	t.Run("an unreadable packager.yaml is an error", func(t *testing.T) {
		if _, err := LocalState(ctx, dir, env, Provenance{Config: "cmd"}); err == nil {
			t.Error("LocalState read a directory as packager.yaml")
		}
	})
}

func TestArgs(t *testing.T) {
	work := t.TempDir()
	tests := []struct {
		name string
		p    Provenance
		want []string
	}{
		{"no packager.yaml: as recorded", Provenance{Packages: []string{"./cmd/app", "example.com/x"}}, []string{"./cmd/app", "example.com/x"}},
		{"packager.yaml here", Provenance{Config: "packager.yaml", Packages: []string{"./cmd/app"}}, []string{"./cmd/app"}},
		{"packager.yaml below", Provenance{Config: "deploy/packager.yaml", Packages: []string{"../cmd/app", "example.com/x"}}, []string{"./cmd/app", "example.com/x"}},
		{"packager.yaml absolute", Provenance{Config: filepath.Join(work, "deploy", "packager.yaml"), Packages: []string{"./api"}}, []string{"./deploy/api"}},
	}
	for _, tt := range tests {
		if got := tt.p.Args(work); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Args = %q, want %q", tt.name, got, tt.want)
		}
	}
}
