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
		Base:      base,
		Platform:  linuxArm64,
		Binaries:  []Binary{{Source: writeFile(t, "app", []byte("pretend this is an ELF binary")), Path: "/usr/local/bin/app"}},
		Args:      []string{"--serve"},
		Env:       []string{"PATH=/usr/local/bin:/bin", "ZED=1", "APP_MODE=prod"},
		User:      "65532:65532",
		Created:   time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		CreatedBy: "packager build example.com/cmd/app",
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
	if !slices.Equal(c.Entrypoint, []string{s.Binaries[0].Path}) || c.Cmd != nil || c.WorkingDir != "/work" {
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
	// entrypoint: [] in packager.yaml: no entrypoint, the base's neither, and
	// Args is the whole command (a Dockerfile's CMD ["/usr/local/bin/app"]).
	s.Entrypoint, s.Args = []string{}, []string{"/usr/local/bin/app", "-v"}
	img, err = Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if c := mustConfig(t, img).Config; c.Entrypoint != nil || !slices.Equal(c.Cmd, s.Args) {
		t.Errorf("entrypoint %q cmd %q, want none and %q", c.Entrypoint, c.Cmd, s.Args)
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
	static, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	outside := tree(t, map[string]string{"a": "x", "link": "->../../etc/shadow"}, nil)
	tests := []struct {
		name string
		edit func(*Spec)
		want string
	}{
		{"no base", func(s *Spec) { s.Base = nil }, "no base image"},
		{"no binary", func(s *Spec) { s.Binaries = nil }, "no binary to add"},
		{"missing binary", func(s *Spec) { s.Binaries[0].Source = "/does/not/exist" }, "/does/not/exist"},
		{"relative binary path", func(s *Spec) { s.Binaries[0].Path = "app" }, `binary path "app" in the image must be an absolute, clean file path`},
		{"duplicate binary path", func(s *Spec) {
			s.Binaries = []Binary{{Source: s.Binaries[0].Source, Path: "/app"}, {Source: "/other", Path: "/app"}}
		}, "both go to /app"},
		{"no platform", func(s *Spec) { s.Platform = v1.Platform{} }, "needs an os and an architecture"},
		{"bad env", func(s *Spec) { s.Env = []string{"NOEQUALS"} }, `env "NOEQUALS": write it as KEY=VALUE`},
		{"port 70000", func(s *Spec) { s.Ports = []string{"70000"} }, "port 70000 is out of range"},
		{"bad proto", func(s *Spec) { s.Ports = []string{"8080/http"} }, `unknown protocol "http" in port`},
		{"relative workdir", func(s *Spec) { s.WorkingDir = "app" }, `working directory "app" must be an absolute`},
		{"relative volume", func(s *Spec) { s.Volumes = []string{"data"} }, `volume "data" must be an absolute`},
		{"bad stop signal", func(s *Spec) { s.StopSignal = "TERM" }, `unknown signal "TERM"; did you mean "SIGTERM"?`},
		{"empty healthcheck test", func(s *Spec) { s.Healthcheck = &v1.HealthConfig{} }, "healthcheck: test is empty"},
		{"unknown user name", func(s *Spec) { s.Base, s.User = static, "postgres" }, `user "postgres" is not in the base image's /etc/passwd (users there: nobody, nonroot, root)`},
		{"bad user form", func(s *Spec) { s.User = "a:b:c" }, "one ':'"},
		{"dst with ..", func(s *Spec) { s.Files = []File{{Src: outside, Dst: "../etc"}} }, `files: dst "../etc" must be an absolute path inside the image with no ".." element`},
		{"symlink outside", func(s *Spec) { s.Files = []File{{Src: outside, Dst: "/srv"}} }, "points to ../../etc/shadow, outside"},
		{"files collide", func(s *Spec) {
			f := writeFile(t, "x", []byte("x"))
			s.Files = []File{{Src: f, Dst: "/etc/x"}, {Src: f, Dst: "/etc/x"}}
		}, "listed twice"},
		{"bad PEM", func(s *Spec) { s.CACerts = [][]byte{testCA(t, "ok"), []byte("not a cert")} }, "cacerts[1]: no PEM certificate found"},
		{"missing tzdata", func(s *Spec) { s.TZData = "/does/not/zoneinfo.zip" }, "tzdata"},
		{"bad compression", func(s *Spec) { s.Compression = Compression{Algorithm: "brotli"} }, `unknown algorithm "brotli"`},
		{"empty label key", func(s *Spec) { s.Labels = map[string]string{"": "x"} }, "empty key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSpec(t, scratch)
			s.Platform = linuxAmd64
			tt.edit(&s)
			_, err := Build(context.Background(), s)
			wantErrContains(t, err, tt.want)
		})
	}

	// Every mistake found without reading disk or base is reported at once.
	s := testSpec(t, scratch)
	s.Ports, s.WorkingDir, s.Healthcheck = []string{"0"}, "rel", &v1.HealthConfig{}
	_, err = Build(context.Background(), s)
	wantErrContains(t, err, `port 0 is out of range`, `working directory "rel"`, "healthcheck")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, testSpec(t, scratch)); err == nil {
		t.Error("Build ignored a cancelled context")
	}
}

func TestBuildLayers(t *testing.T) {
	static, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	s := Spec{
		Base:     static,
		Platform: linuxAmd64,
		Binaries: []Binary{
			{Source: writeFile(t, "server", []byte("server")), Path: "/usr/local/bin/server"},
			{Source: writeFile(t, "migrate", []byte("migrate")), Path: "/usr/local/bin/migrate"},
		},
		Files:     []File{{Src: tree(t, map[string]string{"index.html": "<p>"}, nil), Dst: "/srv/www", UID: 65532, GID: 65532}},
		CACerts:   [][]byte{testCA(t, "corp")},
		Created:   time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		CreatedBy: "packager build example.com/cmd/server",
	}
	img := mustBuild(t, s)
	mustValidate(t, img)
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 4 {
		t.Fatalf("%d layers, want static + extras + files + binaries", len(ls))
	}
	want := [][]string{
		{"etc/", "etc/ssl/", "etc/ssl/certs/", "etc/ssl/certs/ca-certificates.crt"},
		{"srv/", "srv/www/", "srv/www/index.html"},
		{"usr/", "usr/local/", "usr/local/bin/", "usr/local/bin/migrate", "usr/local/bin/server"},
	}
	for i, w := range want {
		names, files := readLayer(t, ls[i+1])
		if !slices.Equal(names, w) {
			t.Errorf("layer %d: %q, want %q", i+1, names, w)
		}
		for _, f := range files {
			if !f.hdr.ModTime.Equal(s.Created) {
				t.Errorf("%s: mtime %v", f.hdr.Name, f.hdr.ModTime)
			}
		}
		if i == 1 && (files["srv/www/"].hdr.Uid != 65532 || files["srv/"].hdr.Uid != 0) {
			t.Errorf("files layer owners: srv/www/ %d, srv/ %d", files["srv/www/"].hdr.Uid, files["srv/"].hdr.Uid)
		}
	}
	cf := mustConfig(t, img)
	if !slices.Equal(cf.Config.Entrypoint, []string{"/usr/local/bin/server"}) {
		t.Errorf("entrypoint %q: want the first binary", cf.Config.Entrypoint)
	}
	var history []string
	for _, h := range cf.History[1:] {
		history = append(history, h.CreatedBy)
	}
	wantHistory := []string{
		"packager build example.com/cmd/server: CA certificates and time zone data",
		"packager build example.com/cmd/server: files",
		"packager build example.com/cmd/server",
	}
	if !slices.Equal(history, wantHistory) {
		t.Errorf("history %q, want %q", history, wantHistory)
	}
	if a, b := mustDigest(t, img), mustDigest(t, mustBuild(t, s)); a != b {
		t.Errorf("same spec, digests %s and %s", a, b)
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
