package oci

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Attachments a build writes beside an image do not make oci:DIR
// ambiguous; two images still do.
func TestSelectManifestSkipsAttachments(t *testing.T) {
	hex := strings.Repeat("ab", 32)
	named := func(name, digestByte string) v1.Descriptor {
		return v1.Descriptor{Digest: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat(digestByte, 64)},
			Annotations: map[string]string{refNameAnnotation: name}}
	}
	for _, tc := range []struct {
		names []string
		want  string // "" for an error
	}{
		{[]string{"app:latest", "app:sha256-" + hex, "app:sha256-" + hex + ".sig", "app:sha256-" + hex + ".att"}, "app:latest"},
		{[]string{"app:latest", "other:latest", "app:sha256-" + hex}, ""},
		{[]string{"app:sha256-" + hex}, ""},
	} {
		var ds []v1.Descriptor
		for i, n := range tc.names {
			ds = append(ds, named(n, string(rune('0'+i))))
		}
		d, err := selectManifest("test", ds, "")
		got := ""
		if err == nil {
			got = d.Annotations[refNameAnnotation]
		}
		if got != tc.want {
			t.Errorf("%v: picked %q (%v), want %q", tc.names, got, err, tc.want)
		}
	}
}
