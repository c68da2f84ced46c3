package oci

import (
	"context"
	"slices"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func testSpec(t *testing.T, base v1.Image) Spec {
	t.Helper()
	return Spec{
		Base:       base,
		Platform:   linuxArm64,
		Binary:     writeFile(t, "app", []byte("pretend this is an ELF binary")),
		BinaryPath: "/usr/local/bin/app",
		Args:       []string{"--serve"},
		Env:        []string{"PATH=/usr/local/bin:/bin", "ZED=1", "APP_MODE=prod"},
		User:       "65532:65532",
		Created:    time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		CreatedBy:  "packager build example.com/cmd/app",
	}
}

func TestBuildOnBases(t *testing.T) {
	static, err := StaticBase(linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	scratch, err := ScratchBase(linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		base    v1.Image
		layers  int
		wantEnv []string
	}{
		{"static", static, 2, []string{
			"PATH=/usr/local/bin:/bin",
			"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
			"APP_MODE=prod",
			"ZED=1",
		}},
		{"scratch", scratch, 1, []string{"APP_MODE=prod", "PATH=/usr/local/bin:/bin", "ZED=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSpec(t, tt.base)
			img, err := Build(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			mustValidate(t, img)
			m, err := img.Manifest()
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Layers) != tt.layers || m.Layers[tt.layers-1].MediaType != types.OCILayer {
				t.Errorf("layers %+v", m.Layers)
			}
			cf := mustConfig(t, img)
			c := cf.Config
			if !slices.Equal(c.Entrypoint, []string{"/usr/local/bin/app"}) || !slices.Equal(c.Cmd, []string{"--serve"}) {
				t.Errorf("entrypoint %q cmd %q", c.Entrypoint, c.Cmd)
			}
			if !slices.Equal(c.Env, tt.wantEnv) {
				t.Errorf("env\n got %q\nwant %q", c.Env, tt.wantEnv)
			}
			if c.User != "65532:65532" || cf.OS != "linux" || cf.Architecture != "arm64" || !cf.Created.Equal(s.Created) {
				t.Errorf("user %q platform %s/%s created %v", c.User, cf.OS, cf.Architecture, cf.Created)
			}
			h := cf.History[len(cf.History)-1]
			if h.CreatedBy != s.CreatedBy || !h.Created.Equal(s.Created) {
				t.Errorf("history %+v", h)
			}
			_, files := readLayer(t, lastLayer(t, img))
			bin := files["usr/local/bin/app"]
			if string(bin.data) != "pretend this is an ELF binary" || bin.hdr.Mode != 0o755 || !bin.hdr.ModTime.Equal(s.Created) {
				t.Errorf("binary entry %+v %q", bin.hdr, bin.data)
			}
		})
	}
}

func TestBuildDefaultsAndBaseCmd(t *testing.T) {
	scratch, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	// A base with its own entrypoint and command, as many registry images have.
	base, err := mutate.Config(scratch, v1.Config{Entrypoint: []string{"/bin/sh"}, Cmd: []string{"-c", "echo hi"}, WorkingDir: "/work"})
	if err != nil {
		t.Fatal(err)
	}
	s := testSpec(t, base)
	s.Args, s.Env, s.Entrypoint = nil, nil, nil
	img, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	c := mustConfig(t, img).Config
	if !slices.Equal(c.Entrypoint, []string{s.BinaryPath}) || c.Cmd != nil || c.WorkingDir != "/work" {
		t.Errorf("entrypoint %q cmd %q workdir %q", c.Entrypoint, c.Cmd, c.WorkingDir)
	}
	s.Entrypoint = []string{"/usr/local/bin/app", "run"}
	img, err = Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if c := mustConfig(t, img).Config; !slices.Equal(c.Entrypoint, s.Entrypoint) {
		t.Errorf("entrypoint %q", c.Entrypoint)
	}
}

func TestBuildDockerBase(t *testing.T) {
	scratch, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	docker := mutate.ConfigMediaType(mutate.MediaType(scratch, types.DockerManifestSchema2), types.DockerConfigJSON)
	img, err := Build(context.Background(), testSpec(t, docker))
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, img)
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaType != types.DockerManifestSchema2 || m.Layers[0].MediaType != types.DockerLayer {
		t.Errorf("manifest %s with layer %s", m.MediaType, m.Layers[0].MediaType)
	}
}

func TestBuildDeterministic(t *testing.T) {
	static, err := StaticBase(linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	s := testSpec(t, static)
	a, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, a) != mustDigest(t, b) {
		t.Error("same spec, different digests")
	}
	s.Created = s.Created.Add(time.Second)
	c, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, a) == mustDigest(t, c) {
		t.Error("a different Created gives the same digest")
	}
}

func TestBuildErrors(t *testing.T) {
	scratch, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*Spec)
	}{
		{"no base", func(s *Spec) { s.Base = nil }},
		{"no binary", func(s *Spec) { s.Binary = "" }},
		{"missing binary", func(s *Spec) { s.Binary = "/does/not/exist" }},
		{"relative binary path", func(s *Spec) { s.BinaryPath = "app" }},
		{"no platform", func(s *Spec) { s.Platform = v1.Platform{} }},
		{"bad env", func(s *Spec) { s.Env = []string{"NOEQUALS"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSpec(t, scratch)
			tt.edit(&s)
			if _, err := Build(context.Background(), s); err == nil {
				t.Error("Build accepted it")
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, testSpec(t, scratch)); err == nil {
		t.Error("Build ignored a cancelled context")
	}
}

func TestMergeEnv(t *testing.T) {
	tests := []struct {
		name      string
		base, env []string
		want      []string
	}{
		{"empty", nil, nil, []string{}},
		{"keep base", []string{"B=1", "A=2"}, nil, []string{"B=1", "A=2"}},
		{"replace in place", []string{"B=1", "A=2"}, []string{"A=3"}, []string{"B=1", "A=3"}},
		{"append sorted", []string{"B=1"}, []string{"Z=1", "C=2"}, []string{"B=1", "C=2", "Z=1"}},
		{"last wins", nil, []string{"A=1", "A=2"}, []string{"A=2"}},
		{"value with =", nil, []string{"OPTS=a=b"}, []string{"OPTS=a=b"}},
		{"empty value", []string{"A=1"}, []string{"A="}, []string{"A="}},
		{"base duplicate", []string{"A=1", "A=2"}, []string{"A=3"}, []string{"A=3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mergeEnv(tt.base, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"NOVALUE", "=x"} {
		if _, err := mergeEnv(nil, []string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
