package oci

import (
	"context"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

func TestBuildImageConfig(t *testing.T) {
	scratch, err := ScratchBase(linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	base, err := mutate.Config(scratch, v1.Config{
		ExposedPorts: map[string]struct{}{"22/tcp": {}},
		Volumes:      map[string]struct{}{"/var/lib/base": {}},
		Labels:       map[string]string{"base": "yes", "shared": "base"},
		WorkingDir:   "/base",
		StopSignal:   "SIGQUIT",
	})
	if err != nil {
		t.Fatal(err)
	}
	s := testSpec(t, base)
	s.Ports = []string{"8080", "53/udp", "9000/sctp"}
	s.Volumes = []string{"/data", "/cache"}
	s.WorkingDir = "/app"
	s.StopSignal = "SIGTERM"
	s.Healthcheck = &v1.HealthConfig{Test: []string{"CMD", "/usr/local/bin/app", "health"}, Retries: 3}
	s.Labels = map[string]string{"shared": "ours", "org.opencontainers.image.source": "https://example.com/app"}
	s.Annotations = map[string]string{"org.opencontainers.image.version": "1.2.3", "z": "last"}
	img, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, img)
	c := mustConfig(t, img).Config
	wantSet := func(what string, got map[string]struct{}, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %q", what, got, want)
		}
		for _, w := range want {
			if _, ok := got[w]; !ok {
				t.Errorf("%s: %q missing from %v", what, w, got)
			}
		}
	}
	wantSet("ports", c.ExposedPorts, "22/tcp", "8080/tcp", "53/udp", "9000/sctp")
	wantSet("volumes", c.Volumes, "/var/lib/base", "/data", "/cache")
	if c.WorkingDir != "/app" || c.StopSignal != "SIGTERM" {
		t.Errorf("workdir %q stop signal %q", c.WorkingDir, c.StopSignal)
	}
	if h := c.Healthcheck; h == nil || len(h.Test) != 3 || h.Retries != 3 {
		t.Errorf("healthcheck %+v", h)
	}
	if len(c.Labels) != 3 || c.Labels["base"] != "yes" || c.Labels["shared"] != "ours" {
		t.Errorf("labels %v", c.Labels)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.Annotations["org.opencontainers.image.version"] != "1.2.3" || len(m.Annotations) != 2 {
		t.Errorf("annotations %v", m.Annotations)
	}

	// Maps built in another order give the same bytes: JSON sorts map keys.
	s2 := s
	s2.Labels = map[string]string{"org.opencontainers.image.source": "https://example.com/app", "shared": "ours"}
	s2.Annotations = map[string]string{"z": "last", "org.opencontainers.image.version": "1.2.3"}
	s2.Ports = []string{"9000/sctp", "53/udp", "8080/tcp"}
	s2.Volumes = []string{"/cache", "/data"}
	img2, err := Build(context.Background(), s2)
	if err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, img) != mustDigest(t, img2) {
		t.Error("the same config in another order gives another digest")
	}

	// Unset fields keep the base's.
	s3 := testSpec(t, base)
	img3, err := Build(context.Background(), s3)
	if err != nil {
		t.Fatal(err)
	}
	if c := mustConfig(t, img3).Config; c.WorkingDir != "/base" || c.StopSignal != "SIGQUIT" || len(c.ExposedPorts) != 1 || c.Labels["shared"] != "base" {
		t.Errorf("base config not kept: %+v", c)
	}
}

func TestCheckHealthcheck(t *testing.T) {
	tests := []struct {
		test []string
		ok   bool
	}{
		{[]string{"CMD", "/app", "health"}, true},
		{[]string{"CMD-SHELL", "curl -f localhost"}, true},
		{[]string{"NONE"}, true},
		{nil, false},
		{[]string{"CMD"}, false},
		{[]string{"CMD-SHELL", "a", "b"}, false},
		{[]string{"NONE", "x"}, false},
		{[]string{"/app", "health"}, false},
	}
	for _, tt := range tests {
		err := checkHealthcheck(&v1.HealthConfig{Test: tt.test})
		if (err == nil) != tt.ok {
			t.Errorf("%q: err %v, want ok=%v", tt.test, err, tt.ok)
		}
	}
	if err := checkHealthcheck(&v1.HealthConfig{Test: []string{"NONE"}, Retries: -1}); err == nil {
		t.Error("negative retries accepted")
	}
}
