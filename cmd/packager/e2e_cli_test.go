package main

import (
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestRepoFromEnvironment: $PACKAGER_REPO, and ko's $KO_DOCKER_REPO when it
// is unset, push the way --repo does, and the log says which was used.
func TestRepoFromEnvironment(t *testing.T) {
	reg := testenv.StartRegistry(t)
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	for _, tc := range []struct{ env, want string }{
		{"PACKAGER_REPO=" + reg.Host + "/pk", reg.Host + "/pk/app:latest"},
		{"KO_DOCKER_REPO=" + reg.Host + "/ko", reg.Host + "/ko/app:latest"},
	} {
		r := mustPackager(t, dir, []string{tc.env}, "build", ".")
		names, _ := r.refs(t)
		if len(names) != 1 || names[0] != tc.want {
			t.Errorf("%s: refs %v, want %s", tc.env, names, tc.want)
		}
		if v, _, _ := strings.Cut(tc.env, "="); !strings.Contains(r.stderr, "var="+v) {
			t.Errorf("%s: the log does not say where the repo came from:\n%s", tc.env, r.stderr)
		}
	}
	// --repo beats both.
	r := mustPackager(t, dir, []string{"PACKAGER_REPO=nowhere.invalid/x"}, "build", "--repo", reg.Host+"/flag", ".")
	if names, _ := r.refs(t); len(names) != 1 || names[0] != reg.Host+"/flag/app:latest" {
		t.Errorf("--repo with PACKAGER_REPO set: refs %v", names)
	}
}

// TestJobsMustBePositive: -j 0 or less would build nothing or hang; it is a
// usage error before anything starts.
func TestJobsMustBePositive(t *testing.T) {
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	for _, j := range []string{"0", "-5"} {
		r := packager(t, dir, nil, "build", "-j", j, ".")
		if r.code != 2 || !strings.Contains(r.stderr, "-j "+j+": give at least 1") || r.stdout != "" {
			t.Errorf("-j %s: exit %d, stderr:\n%s", j, r.code, r.stderr)
		}
		assertNoOutput(t, dir)
	}
}

// TestKoLocal: KO_DOCKER_REPO=ko.local loads into the local Docker daemon,
// as ko does.
func TestKoLocal(t *testing.T) {
	docker := testenv.RequireTool(t, "docker")
	dir := writeModule(t, map[string]string{"main.go": helloMain})
	tag := "kolocal-" + testenv.RandomHex(6)
	r := mustPackager(t, dir, []string{"KO_DOCKER_REPO=ko.local"}, "build", "-t", tag, ".")
	t.Cleanup(func() { testenv.RunErr("", docker, "image", "rm", "app:"+tag) })
	if !strings.HasPrefix(r.stdout, "docker:app:"+tag+"@sha256:") {
		t.Fatalf("stdout %q, want a docker: reference", r.stdout)
	}
	out := testenv.Run(t, "", docker, "run", "--rm", "app:"+tag)
	if !strings.Contains(out, "hi") {
		t.Errorf("docker run printed %q", out)
	}
}
