package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/packager-dev/packager/vocab"
)

// project makes a directory with the files the files: and ca_certs: tests
// name, and returns its path.
func project(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"static", "certs"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"certs/private-ca.pem", "app.conf"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const runtimeFile = `
defaults:
  ports: ["8080/tcp", 9090]
  labels: {team: core, version: "{{.Git.Tag}}"}
  annotations: {org.opencontainers.image.licenses: MIT}
  healthcheck: {test: [/usr/local/bin/api, -healthcheck], interval: 10s}
  tzdata: true
images:
  - name: api
    binaries:
      - main: ./cmd/server
        path: /app/server
      - main: ./cmd/migrate
      - main: example.com/tools/cmd/dbtool/v2
    workdir: /srv
    volumes: [/data, /cache]
    stopsignal: SIGINT
    labels: {version: v1, extra: x}
    healthcheck:
      test: [CMD-SHELL, "wget -q localhost:8080"]
      interval: 1m
      timeout: 3s
      start_period: 500ms
      retries: 0
    files:
      - {src: static/, dst: /srv/static/, mode: 0644, uid: 65532, gid: 65532}
      - src: app.conf
        dst: /etc/app.conf
        mode: "0o4755"
    ca_certs: [certs/private-ca.pem]
  - main: ./cmd/worker
    ports: ["53/udp", "53", 22/sctp]
    stopsignal: 15
`

func TestTargetsRuntimeSettings(t *testing.T) {
	dir := project(t)
	f := mustParse(t, dir, runtimeFile)
	got, err := f.Targets(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	mode644, mode4755 := fs.FileMode(0o644), fs.FileMode(0o755)|fs.ModeSetuid
	amd64 := []vocab.Platform{{OS: "linux", Architecture: "amd64"}}
	want := []Target{
		{
			Name: "api", Main: "./cmd/server", Dir: dir, Path: "/app/server",
			Binaries: []Binary{
				{Main: "./cmd/server", Path: "/app/server"},
				{Main: "./cmd/migrate", Path: "/usr/local/bin/migrate"},
				{Main: "example.com/tools/cmd/dbtool/v2", Path: "/usr/local/bin/dbtool"},
			},
			Base: "static", Platforms: amd64, Tags: []string{"latest"}, User: "65532:65532",
			Entrypoint: []string{"/app/server"},
			Ports:      []string{"8080/tcp", "9090/tcp"},
			Workdir:    "/srv", Volumes: []string{"/data", "/cache"}, StopSignal: "SIGINT",
			Healthcheck: &Healthcheck{Test: []string{"CMD-SHELL", "wget -q localhost:8080"},
				Interval: time.Minute, Timeout: 3 * time.Second, StartPeriod: 500 * time.Millisecond},
			Labels:      map[string]string{"team": "core", "version": "v1", "extra": "x"},
			Annotations: map[string]string{"org.opencontainers.image.licenses": "MIT"},
			Files: []ImageFile{
				{Src: filepath.Join(dir, "static"), Dst: "/srv/static", Mode: &mode644, UID: 65532, GID: 65532, Root: dir},
				{Src: filepath.Join(dir, "app.conf"), Dst: "/etc/app.conf", Mode: &mode4755, Root: dir},
			},
			CACerts: []string{filepath.Join(dir, "certs/private-ca.pem")},
			Tzdata:  true,
		},
		{
			Name: "worker", Main: "./cmd/worker", Dir: dir, Path: "/usr/local/bin/worker",
			Binaries: []Binary{{Main: "./cmd/worker", Path: "/usr/local/bin/worker"}},
			Base:     "static", Platforms: amd64, Tags: []string{"latest"}, User: "65532:65532",
			Entrypoint: []string{"/usr/local/bin/worker"},
			Ports:      []string{"53/udp", "53/tcp", "22/sctp"},
			StopSignal: "15",
			Healthcheck: &Healthcheck{Test: []string{"CMD", "/usr/local/bin/api", "-healthcheck"},
				Interval: 10 * time.Second},
			Labels:      map[string]string{"team": "core", "version": "{{.Git.Tag}}"},
			Annotations: map[string]string{"org.opencontainers.image.licenses": "MIT"},
			Tzdata:      true,
		},
	}
	if got := withoutAt(got); !reflect.DeepEqual(got, want) {
		t.Errorf("Targets:\n got %+v\nwant %+v", got, want)
		for i := range min(len(got), len(want)) {
			if !reflect.DeepEqual(got[i].Files, want[i].Files) {
				t.Errorf("Files[%d]: got %+v", i, got[i].Files)
			}
		}
	}
}

func TestTargetsRuntimeDoesNotShare(t *testing.T) {
	dir := project(t)
	f := mustParse(t, dir, runtimeFile)
	pristine := mustParse(t, dir, runtimeFile)
	first, err := f.Targets(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	first[0].Labels["team"] = "changed"
	first[0].Healthcheck.Test[0] = "changed"
	first[0].Volumes[0] = "changed"
	first[1].Ports[0] = "changed"
	second, _ := f.Targets(Overrides{})
	if second[0].Labels["team"] != "core" || second[0].Healthcheck.Test[0] != "CMD-SHELL" || second[0].Volumes[0] != "/data" || second[1].Ports[0] != "53/udp" {
		t.Errorf("a change to one Targets result leaked into the next: %+v", second)
	}
	if !reflect.DeepEqual(f, pristine) {
		t.Errorf("Targets changed the File")
	}
}

func TestTargetsAt(t *testing.T) {
	dir := project(t)
	f := mustParse(t, dir, runtimeFile)
	got, err := f.Targets(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{
			"main":        "packager.yaml:11:15",
			"binaries[0]": "packager.yaml:11:9", "binaries[1]": "packager.yaml:13:9", "binaries[2]": "packager.yaml:14:9",
			"labels.team": "packager.yaml:4:12", "labels.version": "packager.yaml:18:14", "labels.extra": "packager.yaml:18:27",
			"annotations.org.opencontainers.image.licenses": "packager.yaml:5:17",
			"healthcheck": "packager.yaml:20:7",
			"files[0]":    "packager.yaml:26:9", "files[1]": "packager.yaml:27:9",
			"ca_certs[0]": "packager.yaml:30:16",
		},
		{
			"main":        "packager.yaml:31:11",
			"labels.team": "packager.yaml:4:12", "labels.version": "packager.yaml:4:24",
			"annotations.org.opencontainers.image.licenses": "packager.yaml:5:17",
			"healthcheck": "packager.yaml:6:16",
		},
	}
	for i := range want {
		if !reflect.DeepEqual(got[i].At, want[i]) {
			t.Errorf("Targets[%d].At:\n got %v\nwant %v", i, got[i].At, want[i])
		}
	}
}

func TestTargetsAtMergedLists(t *testing.T) {
	f := mustParse(t, "/src", `base: gcr.io/distroless/static
defaults:
  user: "1000"
  tags: ["{{.Git.Tag}}", latest]
  ldflags: [-X a=1]
  env: {A: "1", B: "2"}
images:
  - main: ./a
    ldflags: [-X b=2, -X c=3]
    env: {B: "3"}
  - main: ./b
    user: root
    tags: [v1]
`)
	got, err := f.Targets(Overrides{Packages: []string{"./a", "./b", "./c"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"main": "packager.yaml:8:11", "base": "packager.yaml:1:7", "user": "packager.yaml:3:9",
			"tags[0]": "packager.yaml:4:10", "tags[1]": "packager.yaml:4:26",
			"ldflags[0]": "packager.yaml:5:13", "ldflags[1]": "packager.yaml:9:15", "ldflags[2]": "packager.yaml:9:23",
			"env.A": "packager.yaml:6:9", "env.B": "packager.yaml:10:11"},
		{"main": "packager.yaml:11:11", "base": "packager.yaml:1:7", "user": "packager.yaml:12:11",
			"tags[0]": "packager.yaml:13:12", "ldflags[0]": "packager.yaml:5:13",
			"env.A": "packager.yaml:6:9", "env.B": "packager.yaml:6:17"},
		// A package argument without an entry inherits defaults: and their positions.
		{"base": "packager.yaml:1:7", "user": "packager.yaml:3:9",
			"tags[0]": "packager.yaml:4:10", "tags[1]": "packager.yaml:4:26", "ldflags[0]": "packager.yaml:5:13",
			"env.A": "packager.yaml:6:9", "env.B": "packager.yaml:6:17"},
	}
	for i := range want {
		if !reflect.DeepEqual(got[i].At, want[i]) {
			t.Errorf("Targets[%d].At:\n got %v\nwant %v", i, got[i].At, want[i])
		}
	}

	// Flags leave no positions; a flag-only build has an empty, non-nil At.
	got, err = Empty("/src").Targets(Overrides{Packages: []string{"./a"}, Tags: []string{"t"}, Base: "scratch"})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].At == nil || len(got[0].At) != 0 {
		t.Errorf("flag-only At = %#v, want an empty map", got[0].At)
	}
}

func TestMergeFromDefaults(t *testing.T) {
	dir := project(t)
	f := mustParse(t, dir, `
defaults:
  ports: [80]
  workdir: /srv
  volumes: [/data]
  stopsignal: SIGQUIT
  healthcheck: {test: [/bin/check], interval: 5s, retries: 2}
  labels: {a: "1", b: "2"}
  annotations: {x: "1"}
  files: [{src: app.conf, dst: /etc/app.conf}]
  ca_certs: [certs/private-ca.pem]
  tzdata: true
images:
  - main: ./inherits
  - main: ./replaces
    ports: [443]
    workdir: /
    volumes: []
    stopsignal: SIGTERM
    healthcheck: {test: [NONE]}
    labels: {b: "3"}
    annotations: {y: "2"}
    files: []
    ca_certs: []
    tzdata: false
`)
	got, err := f.Targets(Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	in, re := got[0], got[1]
	if !reflect.DeepEqual(in.Ports, []string{"80/tcp"}) || in.Workdir != "/srv" || !reflect.DeepEqual(in.Volumes, []string{"/data"}) ||
		in.StopSignal != "SIGQUIT" || !reflect.DeepEqual(in.Healthcheck, &Healthcheck{Test: []string{"CMD", "/bin/check"}, Interval: 5 * time.Second, Retries: 2}) ||
		len(in.Files) != 1 || len(in.CACerts) != 1 || !in.Tzdata || !reflect.DeepEqual(in.Labels, map[string]string{"a": "1", "b": "2"}) {
		t.Errorf("inherited settings: %+v", in)
	}
	// Lists and healthcheck are replaced whole; labels and annotations merge key by key.
	if !reflect.DeepEqual(re.Ports, []string{"443/tcp"}) || re.Workdir != "/" || len(re.Volumes) != 0 || re.StopSignal != "SIGTERM" ||
		!reflect.DeepEqual(re.Healthcheck, &Healthcheck{Test: []string{"NONE"}}) || len(re.Files) != 0 || len(re.CACerts) != 0 || re.Tzdata ||
		!reflect.DeepEqual(re.Labels, map[string]string{"a": "1", "b": "3"}) ||
		!reflect.DeepEqual(re.Annotations, map[string]string{"x": "1", "y": "2"}) {
		t.Errorf("replaced settings: %+v", re)
	}
}

func TestTargetsRejectsBadRuntimeValues(t *testing.T) {
	dir := project(t)
	tests := []struct {
		name  string
		yaml  string
		wants []want
	}{
		{"port out of range", "images:\n  - main: ./a\n    ports: [8080, 70000, 0]\n",
			[]want{
				{"packager.yaml:3:19: images[0].ports[1]: ", "port 70000 is out of range; use 1-65535, e.g. 8080/tcp"},
				{"packager.yaml:3:26: images[0].ports[2]: ", "port 0 is out of range"},
			}},
		{"bad protocol", "defaults:\n  ports: [80/http, 53/UDP]\n",
			[]want{
				{"packager.yaml:2:11: defaults.ports[0]: ", `unknown protocol "http" in port "80/http"; use tcp, udp or sctp, e.g. 53/udp`},
				{"packager.yaml:2:20: defaults.ports[1]: ", `unknown protocol "UDP"`},
			}},
		{"not a port", "images:\n  - main: ./a\n    ports: [http, -1, 80/tcp, '80']\n",
			[]want{
				{"packager.yaml:3:13: images[0].ports[0]: ", `invalid port "http"; write PORT or PORT/PROTO`},
				{"packager.yaml:3:19: images[0].ports[1]: ", `invalid port "-1"`},
				{"packager.yaml:3:31: images[0].ports[3]: ", "port 80/tcp is already listed as ports[2]"},
			}},
		{"relative workdir", "images:\n  - main: ./a\n    workdir: srv\n",
			[]want{{"packager.yaml:3:14: images[0].workdir: ", `invalid workdir "srv"; write an absolute, clean path, e.g. workdir: /srv`}}},
		{"unclean volume", "images:\n  - main: ./a\n    volumes: [/data/, data]\n",
			[]want{
				{"packager.yaml:3:15: images[0].volumes[0]: ", `invalid volume "/data/"`},
				{"packager.yaml:3:23: images[0].volumes[1]: ", `invalid volume "data"`},
			}},
		{"bad stopsignal", "images:\n  - main: ./a\n    stopsignal: SIGTREM\n  - main: ./b\n    stopsignal: 65\n  - main: ./c\n    stopsignal: term\n",
			[]want{
				{"packager.yaml:3:17: images[0].stopsignal: ", `unknown signal "SIGTREM"; did you mean "SIGTERM"?`},
				{"packager.yaml:5:17: images[1].stopsignal: ", "signal 65 is out of range; use 1-64"},
				{"packager.yaml:7:17: images[2].stopsignal: ", `unknown signal "term"; did you mean "SIGTERM"?`},
			}},
		{"empty healthcheck test", "images:\n  - main: ./a\n    healthcheck:\n      test: []\n",
			[]want{{"packager.yaml:4:13: images[0].healthcheck.test: ", "healthcheck.test is empty; write the command, e.g. test: [/usr/local/bin/app, -healthcheck]"}}},
		{"healthcheck without test", "defaults:\n  healthcheck: {interval: 5s}\n",
			[]want{{"packager.yaml:2:16: defaults.healthcheck.test: ", "healthcheck.test is empty"}}},
		{"bad healthcheck values", "images:\n  - main: ./a\n    healthcheck:\n      test: [CMD]\n      interval: 10\n      timeout: 0s\n      start_period: -1s\n      retries: -1\n",
			[]want{
				{"packager.yaml:4:13: images[0].healthcheck.test: ", "CMD needs a command after it"},
				{"packager.yaml:5:17: images[0].healthcheck.interval: ", `invalid duration "10"; write a number with a unit, e.g. interval: 10s`},
				{"packager.yaml:6:16: images[0].healthcheck.timeout: ", "timeout must be more than 0, e.g. timeout: 10s"},
				{"packager.yaml:7:21: images[0].healthcheck.start_period: ", "start_period must be more than 0"},
				{"packager.yaml:8:16: images[0].healthcheck.retries: ", "retries -1 is negative; use 0 or more, e.g. retries: 3"},
			}},
		{"bad mode", "images:\n  - main: ./a\n    files:\n      - {src: app.conf, dst: /a, mode: 99999}\n      - {src: app.conf, dst: /b, mode: 644}\n      - {src: app.conf, dst: /c, mode: '017777'}\n",
			[]want{
				{"packager.yaml:4:40: images[0].files[0].mode: ", "mode 99999 is not octal (YAML reads it as a decimal number); write it in octal with a leading 0, up to 07777, e.g. mode: 0644"},
				{"packager.yaml:5:40: images[0].files[1].mode: ", "mode 644 is not octal (YAML reads it as a decimal number)"},
				{"packager.yaml:6:40: images[0].files[2].mode: ", "mode 017777 is larger than 07777"},
			}},
		{"dst outside the image", "images:\n  - main: ./a\n    files:\n      - src: static\n        dst: ../etc\n      - {src: static, dst: /srv/../etc}\n",
			[]want{
				{"packager.yaml:5:14: images[0].files[0].dst: ", `dst "../etc" must be an absolute path inside the image, e.g. /etc/app`},
				{"packager.yaml:6:28: images[0].files[1].dst: ", `dst "/srv/../etc" must be an absolute path inside the image`},
			}},
		{"missing src", "defaults:\n  files:\n    - {src: nothere/, dst: /srv}\n    - {dst: /x}\n",
			[]want{
				{"packager.yaml:3:13: defaults.files[0].src: ", `src "nothere/" does not exist (looked for ` + filepath.Join(dir, "nothere")},
				{"packager.yaml:4:7: defaults.files[1].src: ", "src is required"},
			}},
		{"bad uid and gid", "images:\n  - main: ./a\n    files: [{src: static, dst: /s, uid: -1, gid: 2147483648}]\n",
			[]want{
				{"packager.yaml:3:41: images[0].files[0].uid: ", "uid -1 is out of range; use 0-2147483647, e.g. uid: 65532"},
				{"packager.yaml:3:50: images[0].files[0].gid: ", "gid 2147483648 is out of range"},
			}},
		{"missing ca_certs", "images:\n  - main: ./a\n    ca_certs: [certs/private-ca.pem, certs/other.pem, certs]\n",
			[]want{
				{"packager.yaml:3:38: images[0].ca_certs[1]: ", `ca_certs entry "certs/other.pem" does not exist`},
				{"packager.yaml:3:55: images[0].ca_certs[2]: ", `ca_certs entry "certs" is a directory`},
			}},
		{"templated tags skip the tag check", "images:\n  - main: ./a\n    tags: ['{{.Git.Tag}}', '-bad']\n",
			[]want{{"packager.yaml:3:28: images[0].tags[1]: ", `invalid tag "-bad"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, dir, tt.yaml)
			got, err := f.Targets(Overrides{})
			if got != nil {
				t.Errorf("Targets returned targets along with errors: %+v", got)
			}
			checkProblems(t, err, tt.wants)
		})
	}
}
