package config

import "testing"

// TestUserOnBuiltinBase: a user: name the built-in base cannot resolve is
// a config error at its line, found without building anything.
func TestUserOnBuiltinBase(t *testing.T) {
	tests := []struct {
		name, yaml string
		o          Overrides
		want       []want
	}{
		{"root on scratch", "base: scratch\nimages:\n  - main: ./cmd/app\n    user: root\n", Overrides{},
			[]want{{"packager.yaml:4:11: images[0].user: ", `the base is scratch (from base), which has no /etc/passwd or /etc/group to look names up in; write numeric ids, e.g. user: "0:0", or use base: static, which has nobody, nonroot, root`}}},
		{"group name on scratch", "images:\n  - main: ./cmd/app\n    base: scratch\n    user: '1000:staff'\n", Overrides{},
			[]want{{"packager.yaml:4:11: images[0].user: ", `(from images[0].base)`}}},
		{"--base scratch", "images:\n  - main: ./cmd/app\n    user: nonroot\n", Overrides{Base: "scratch"},
			[]want{{"packager.yaml:3:11: images[0].user: ", `(from --base), which has no /etc/passwd or /etc/group to look names up in; write numeric ids, e.g. user: "65532:65532"`}}},
		{"defaults once for all images", "base: scratch\ndefaults:\n  user: root\nimages:\n  - main: ./cmd/a\n  - main: ./cmd/b\n", Overrides{},
			[]want{{"packager.yaml:3:9: defaults.user: ", "scratch"}}},
		{"unknown user on static", "images:\n  - main: ./cmd/app\n    user: postgres\n", Overrides{},
			[]want{{"packager.yaml:3:11: images[0].user: ", `user "postgres" is not in the static base (from the default), whose users are nobody, nonroot, root; write numeric ids, e.g. user: "1000:1000"`}}},
		{"unknown group on static", "images:\n  - main: ./cmd/app\n    user: 'nonroot:wheel'\n", Overrides{},
			[]want{{"packager.yaml:3:11: images[0].user: ", `group "wheel" is not in the static base (from the default), whose groups are nobody, nonroot, root; write numeric ids, e.g. user: "65532:1000"`}}},
		{"ids on scratch", "base: scratch\nimages:\n  - main: ./cmd/app\n    user: '0:0'\n", Overrides{}, nil},
		{"names on static", "images:\n  - main: ./cmd/app\n    user: 'nonroot:nobody'\n", Overrides{}, nil},
		{"name on a registry base", "base: debian:12\nimages:\n  - main: ./cmd/app\n    user: postgres\n", Overrides{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mustParse(t, "/src", tt.yaml).Targets(tt.o)
			checkProblems(t, err, tt.want)
		})
	}
}
