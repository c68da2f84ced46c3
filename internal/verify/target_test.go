package verify

import (
	"testing"

	"github.com/packager-dev/packager/config"
)

func target(name string, mains ...string) config.Target {
	t := config.Target{Name: name, Main: mains[0]}
	for _, m := range mains {
		t.Binaries = append(t.Binaries, config.Binary{Main: m, Path: "/usr/local/bin/" + m})
	}
	return t
}

func TestPickTarget(t *testing.T) {
	targets := []config.Target{
		target("api", "./cmd/api"),
		target("tools", "./cmd/b", "./cmd/a"),
		target("web", "./cmd/web"),
		target("web-debug", "./cmd/web"),
		target("dup", "./cmd/dup", "./cmd/dup"),
	}
	tests := []struct {
		name     string
		packages []string
		subject  string
		want     string // "" for none
	}{
		{"one image", []string{"./cmd/api"}, "r.example/t/api", "api"},
		{"one image, subject elsewhere", []string{"./cmd/api"}, "r.example/t/other", "api"},
		{"binaries in any order", []string{"./cmd/a", "./cmd/b"}, "", "tools"},
		{"a binary twice counts once", []string{"./cmd/dup"}, "", "dup"},
		{"not a subset", []string{"./cmd/a"}, "", ""},
		{"not a superset", []string{"./cmd/api", "./cmd/web"}, "", ""},
		{"none", []string{"./cmd/gone"}, "", ""},
		{"same packages: by the subject's last element", []string{"./cmd/web"}, "r.example/t/web-debug", "web-debug"},
		{"same packages: by the subject itself", []string{"./cmd/web"}, "web", "web"},
		{"same packages, subject names neither", []string{"./cmd/web"}, "r.example/t/webx", ""},
		{"same packages, no subject", []string{"./cmd/web"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := PickTarget(targets, Provenance{Packages: tt.packages, SubjectName: tt.subject})
			if ok != (tt.want != "") || got.Name != tt.want {
				t.Errorf("PickTarget = %q, %v; want %q", got.Name, ok, tt.want)
			}
		})
	}
	if _, ok := PickTarget(nil, Provenance{Packages: []string{"./cmd/api"}}); ok {
		t.Error("PickTarget picked from no targets")
	}
}
