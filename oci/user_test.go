package oci

import (
	"context"
	"errors"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

const (
	testPasswd = "# comment\nroot:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n" +
		"postgres:x:70:70::/var/lib/postgresql:/bin/sh\nbroken line\nnonroot:x:1:1:second entry is ignored::\n"
	testGroup = "root:x:0:\nstaff:x:50:postgres\nnonroot:x:65532:\n"
)

func TestResolveUser(t *testing.T) {
	tests := []struct {
		user, want string
	}{
		{"", ""},
		{"0", "0"},
		{"1000", "1000"},
		{"1000:1000", "1000:1000"},
		{"nonroot", "65532:65532"},
		{"postgres", "70:70"},
		{"postgres:staff", "70:50"},
		{"postgres:0", "70:0"},
		{"1000:staff", "1000:50"},
	}
	for _, tt := range tests {
		got, err := resolveUser(tt.user, []byte(testPasswd), []byte(testGroup))
		if err != nil || got != tt.want {
			t.Errorf("resolveUser(%q) = %q, %v; want %q", tt.user, got, err, tt.want)
		}
	}
}

func TestResolveUserErrors(t *testing.T) {
	tests := []struct {
		user          string
		passwd, group []byte
		want          []string
	}{
		{"mysql", []byte(testPasswd), []byte(testGroup), []string{
			`user "mysql" is not in the base image's /etc/passwd (users there: nonroot, postgres, root); add it to the base or write a numeric uid:gid such as 1000:1000`}},
		{"postgres:wheel", []byte(testPasswd), []byte(testGroup), []string{`group "wheel" is not in the base image's /etc/group (groups there: nonroot, root, staff)`}},
		{"postgres", nil, nil, []string{`user "postgres": the base image has no /etc/passwd`, "1000:1000"}},
		{"0:staff", nil, nil, []string{`group "staff": the base image has no /etc/group`}},
		{"app", []byte{}, nil, []string{"users there: none"}},
	}
	for _, tt := range tests {
		_, err := resolveUser(tt.user, tt.passwd, tt.group)
		wantErrContains(t, err, tt.want...)
	}
	for _, bad := range []string{":1000", "1000:", "a:b:c", "4294967296", "1:99999999999"} {
		if _, _, err := splitUser(bad); err == nil {
			t.Errorf("splitUser(%q) accepted it", bad)
		}
	}
}

func TestBuildUser(t *testing.T) {
	static, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	scratch, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user string
		base       v1.Image
		want       string // "" = an error
	}{
		{"name on static", "nonroot", static, "65532:65532"},
		{"name and group on static", "nobody:nonroot", static, "65534:65532"},
		{"numeric on scratch", "1000:1000", scratch, "1000:1000"},
		{"name on scratch", "nonroot", scratch, ""},
		// A numeric user must not read the base: its layers may be remote.
		{"numeric does not read the base", "1000", unreadableBase(t), "1000"},
		{"unknown name", "postgres", static, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSpec(t, tt.base)
			s.Platform = linuxAmd64
			s.User = tt.user
			img, err := Build(context.Background(), s)
			if tt.want == "" {
				wantErrContains(t, err, "user")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := mustConfig(t, img).Config.User; got != tt.want {
				t.Errorf("user %q, want %q", got, tt.want)
			}
		})
	}
}

// unreadableBase is an OCI image whose layers cannot be listed.
func unreadableBase(t *testing.T) v1.Image {
	t.Helper()
	scratch, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	return noLayers{scratch}
}

type noLayers struct{ v1.Image }

func (noLayers) Layers() ([]v1.Layer, error) { return nil, errors.New("layers are not readable") }
