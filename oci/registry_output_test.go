package oci

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/remote"
)

func TestRegistryOutputPush(t *testing.T) {
	host := startRegistry(t)
	arts := []Artifact{
		{Repository: host + "/team/hello", Tags: []string{"v1", "latest"}, Image: testImage(t, linuxAmd64, "hello")},
		{Repository: host + "/team/world", Tags: []string{"v2", "stable"}, Image: testImage(t, linuxAmd64, "world")},
	}
	ua := &userAgents{seen: map[string]bool{}}
	out, err := ParseOutput("registry", anonymous, WithJobs(2), WithUserAgent("packager-test"), WithTransport(ua))
	if err != nil {
		t.Fatal(err)
	}
	refs, err := out.Write(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != len(arts) {
		t.Fatalf("got %d references for %d artifacts", len(refs), len(arts))
	}
	for i, a := range arts {
		digest := mustDigest(t, a.Image).String()
		if want := a.Repository + ":" + a.Tags[0] + "@" + digest; refs[i] != want {
			t.Errorf("reference %q, want %q", refs[i], want)
		}
		for _, tag := range a.Tags {
			desc, err := remote.Get(mustRef(t, a.Repository+":"+tag))
			if err != nil {
				t.Fatal(err)
			}
			if desc.Digest.String() != digest {
				t.Errorf("%s:%s resolves to %s, want %s", a.Repository, tag, desc.Digest, digest)
			}
		}
		// The pushed image must be complete: pull it back and validate.
		pulled, err := remote.Image(mustRef(t, refs[i]))
		if err != nil {
			t.Fatal(err)
		}
		mustValidate(t, pulled)
	}
	ua.mu.Lock()
	defer ua.mu.Unlock()
	found := false
	for agent := range ua.seen {
		found = found || strings.Contains(agent, "packager-test")
	}
	if !found {
		t.Errorf("user agent not sent; saw %v", ua.seen)
	}
}

func TestRegistryOutputErrors(t *testing.T) {
	img := testImage(t, linuxAmd64, "hello")
	denyHost := denyingRegistry(t, http.StatusUnauthorized)
	forbidHost := denyingRegistry(t, http.StatusForbidden)
	closed := closedAddr(t)

	tests := []struct {
		name string
		repo string
		want []string
	}{
		{"unauthorized", denyHost + "/team/hello", []string{
			"push to " + denyHost + "/team/hello:latest: authentication failed (401 Unauthorized): log in with `docker login " + denyHost + "` or configure a credential helper in ~/.docker/config.json",
		}},
		{"forbidden", forbidHost + "/team/hello", []string{
			"the registry refused it (403 Forbidden: DENIED: no): log in with `docker login " + forbidHost + "` as a user that may push there",
			"if the tag is immutable, publish under a new one",
		}},
		{"connection refused", closed + "/team/hello", []string{
			"push to " + closed + "/team/hello:latest: cannot reach registry " + closed + ": connection refused; is the registry running and the address right?",
		}},
		{"no registry host", "hello", []string{"must include the registry host"}},
	}
	out, err := ParseOutput("registry", anonymous)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := out.Write(context.Background(), []Artifact{{Repository: tt.repo, Tags: []string{"latest"}, Image: img}})
			wantErrContains(t, err, tt.want...)
		})
	}
}

// denyingRegistry answers every request with status, like a registry that
// wants credentials we do not have.
func denyingRegistry(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
		http.Error(w, `{"errors":[{"code":"DENIED","message":"no"}]}`, status)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// userAgents is a real transport that remembers the User-Agent headers it sent.
type userAgents struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (u *userAgents) RoundTrip(r *http.Request) (*http.Response, error) {
	u.mu.Lock()
	u.seen[r.Header.Get("User-Agent")] = true
	u.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestRegistryOutputCancelled(t *testing.T) {
	host := startRegistry(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := ParseOutput("registry", anonymous)
	if err != nil {
		t.Fatal(err)
	}
	_, err = out.Write(ctx, []Artifact{{Repository: host + "/team/hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "x")}})
	if err == nil {
		t.Fatal("push with a cancelled context succeeded")
	}
}

func TestRegistryOutputInsecure(t *testing.T) {
	addr := startRegistry(t)
	// Send every connection to the test registry, whatever host is named, so
	// "registry.test" behaves like a plain-HTTP registry on another machine.
	dialer := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	arts := []Artifact{{Repository: "registry.test/team/hello", Tags: []string{"latest"}, Image: testImage(t, linuxAmd64, "x")}}

	secure, err := ParseOutput("registry", anonymous, WithTransport(tr))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := secure.Write(context.Background(), arts); err == nil {
		t.Error("pushed over plain HTTP without WithInsecure")
	} else {
		t.Logf("without WithInsecure: %v", err)
	}
	insecure, err := ParseOutput("registry", anonymous, WithTransport(tr), WithInsecure(true))
	if err != nil {
		t.Fatal(err)
	}
	refs, err := insecure.Write(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(refs[0], "registry.test/team/hello:latest@sha256:") {
		t.Errorf("reference %q", refs[0])
	}
}
