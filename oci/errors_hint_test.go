package oci

import (
	"context"
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// TestAuthHintNamesDockerConfig pushes to a registry that wants a password
// without one: the hint names the config.json the credentials come from.
func TestAuthHintNamesDockerConfig(t *testing.T) {
	reg := testenv.StartRegistry(t, testenv.WithAuth())
	arts := []Artifact{{Repository: reg.Host + "/auth/app", Tags: []string{"v1"}, Image: testImage(t, linuxAmd64, "auth")}}
	tests := []struct {
		opts []Option
		want string
	}{
		{nil, "~/.docker/config.json"},
		{[]Option{WithDockerConfigDir("/etc/ci/docker")}, "/etc/ci/docker/config.json"},
	}
	for _, tt := range tests {
		out, err := ParseOutput("registry", append([]Option{anonymous}, tt.opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = out.Write(context.Background(), arts)
		wantErrContains(t, err, "docker login "+reg.Host)
		wantErrContains(t, err, "credential helper in "+tt.want)
	}
}

func TestStripQueries(t *testing.T) {
	msg := `Patch "http://127.0.0.1:5000/v2/a/blobs/uploads/u?_state=SECRET&digest=x": EOF; PUT https://r.io/v2/x?_state=S2: 500`
	got := stripQueries(msg)
	if strings.Contains(got, "SECRET") || strings.Contains(got, "S2") || strings.Contains(got, "_state") {
		t.Errorf("stripQueries left a token: %s", got)
	}
	want := `Patch "http://127.0.0.1:5000/v2/a/blobs/uploads/u": EOF; PUT https://r.io/v2/x: 500`
	if got != want {
		t.Errorf("stripQueries = %s, want %s", got, want)
	}
}
