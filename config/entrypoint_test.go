package config

import (
	"reflect"
	"testing"
)

// TestEmptyEntrypointIsKept: entrypoint: [] ("no entrypoint") must reach the
// Target as an empty, non-nil list, told apart from "not set" (nil, which
// becomes the binary), whether written on the image or under defaults:.
func TestEmptyEntrypointIsKept(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"not set", "images:\n  - main: ./cmd/app\n", []string{"/usr/local/bin/app"}},
		{"on the image", "images:\n  - main: ./cmd/app\n    entrypoint: []\n    args: [/usr/local/bin/app]\n", []string{}},
		{"from defaults", "defaults:\n  entrypoint: []\nimages:\n  - main: ./cmd/app\n", []string{}},
		{"image overrides defaults", "defaults:\n  entrypoint: []\nimages:\n  - main: ./cmd/app\n    entrypoint: [/bin/x]\n", []string{"/bin/x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustParse(t, "/src", tt.yaml).Targets(Overrides{})
			if err != nil {
				t.Fatal(err)
			}
			if ep := got[0].Entrypoint; !reflect.DeepEqual(ep, tt.want) || (ep == nil) != (tt.want == nil) {
				t.Errorf("Entrypoint = %#v, want %#v", ep, tt.want)
			}
		})
	}
}
