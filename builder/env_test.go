package builder

import (
	"slices"
	"testing"
)

func TestGoEnvLayers(t *testing.T) {
	base := []string{"PATH=/bin", "CGO_ENABLED=1", "GOOS=darwin", "GOAMD64=v3", "HOME=/root"}
	for _, tc := range []struct {
		name      string
		cgo       bool
		user      []string
		wantCgo   bool
		wantList  []string
		overrides []string
	}{
		{
			name:      "packager overrides the base",
			wantList:  []string{"PATH=/bin", "CGO_ENABLED=0", "GOOS=linux", "GOAMD64=v1", "HOME=/root", "GOARCH=amd64"},
			overrides: []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOAMD64=v1"},
		},
		{
			name:      "cgo requested",
			cgo:       true,
			wantCgo:   true,
			wantList:  []string{"PATH=/bin", "CGO_ENABLED=1", "GOOS=linux", "GOAMD64=v1", "HOME=/root", "GOARCH=amd64"},
			overrides: []string{"CGO_ENABLED=1", "GOOS=linux", "GOARCH=amd64", "GOAMD64=v1"},
		},
		{
			name:      "the user wins over everything",
			user:      []string{"CGO_ENABLED=1", "GOAMD64=v2", "GOFLAGS=-mod=vendor"},
			wantCgo:   true,
			wantList:  []string{"PATH=/bin", "CGO_ENABLED=1", "GOOS=linux", "GOAMD64=v2", "HOME=/root", "GOARCH=amd64", "GOFLAGS=-mod=vendor"},
			overrides: []string{"CGO_ENABLED=1", "GOOS=linux", "GOARCH=amd64", "GOAMD64=v2", "GOFLAGS=-mod=vendor"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, err := newGoEnv(base, tc.cgo, linux("amd64"), tc.user)
			if err != nil {
				t.Fatal(err)
			}
			if got := env.list(); !slices.Equal(got, tc.wantList) {
				t.Errorf("list() = %q, want %q", got, tc.wantList)
			}
			if !slices.Equal(env.overrides, tc.overrides) {
				t.Errorf("overrides = %q, want %q", env.overrides, tc.overrides)
			}
			if got := env.cgoEnabled(); got != tc.wantCgo {
				t.Errorf("cgoEnabled() = %v, want %v", got, tc.wantCgo)
			}
		})
	}
}

func TestBuildTags(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		want  []string
	}{
		{nil, nil},
		{[]string{"-tags=a,b"}, []string{"a", "b"}},
		{[]string{"--tags", "a b", "-v"}, []string{"a", "b"}},
		{[]string{"-tags=a", "-tags=c"}, []string{"c"}},
	} {
		if got := buildTags(tc.flags); !slices.Equal(got, tc.want) {
			t.Errorf("buildTags(%q) = %q, want %q", tc.flags, got, tc.want)
		}
	}
}
