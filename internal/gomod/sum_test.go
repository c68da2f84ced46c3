package gomod

import (
	"strings"
	"testing"
)

func TestH1Hex(t *testing.T) {
	// The example of in-toto's digest set spec ("dirHash").
	got, ok := H1Hex("h1:Khu2En+0gcYPZ2kuIihfswbzxv/mIHXgzPZ018Oty48=")
	if want := "2a1bb6127fb481c60f67692e22285fb306f3c6ffe62075e0ccf674d7c3adcb8f"; !ok || got != want {
		t.Errorf("H1Hex = %q, %v; want %q", got, ok, want)
	}
	for _, bad := range []string{"", "h1:", "h2:Khu2En+0gcYPZ2kuIihfswbzxv/mIHXgzPZ018Oty48=", "h1:!!", "h1:" + strings.Repeat("A", 40)} {
		if got, ok := H1Hex(bad); ok {
			t.Errorf("H1Hex(%q) = %q, want not ok", bad, got)
		}
	}
}

func TestPackageURL(t *testing.T) {
	for _, tc := range []struct{ path, version, want string }{
		{"golang.org/x/sync", "v0.24.0", "pkg:golang/golang.org/x/sync@v0.24.0"},
		{"github.com/a/b", "v2.0.0+incompatible", "pkg:golang/github.com/a/b@v2.0.0%2Bincompatible"},
		{"example.com/app", "(devel)", "pkg:golang/example.com/app"},
		{"stdlib", "1.26.8", "pkg:golang/stdlib@1.26.8"},
	} {
		if got := PackageURL(tc.path, tc.version); got != tc.want {
			t.Errorf("PackageURL(%q, %q) = %q, want %q", tc.path, tc.version, got, tc.want)
		}
	}
}
