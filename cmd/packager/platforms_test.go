package main

import (
	"testing"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/oci"
)

// config expands platforms: all for the built-in bases itself, and
// oci.BasePlatforms answers for them too; config and oci cannot import each
// other, so this keeps the two lists the same.
func TestAllPlatformsAgree(t *testing.T) {
	f, err := config.Parse("packager.yaml", t.TempDir(), []byte("platforms: [all]\nimages:\n  - name: app\n    main: .\n"))
	if err != nil {
		t.Fatal(err)
	}
	targets, err := f.Targets(config.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	got := targets[0].Platforms
	if len(got) != len(oci.BuiltinPlatforms) {
		t.Fatalf("config: %v, oci: %v", got, oci.BuiltinPlatforms)
	}
	for i, p := range oci.BuiltinPlatforms {
		if got[i].OS != p.OS || got[i].Architecture != p.Architecture || got[i].Variant != p.Variant {
			t.Errorf("platform %d: config %v, oci %v", i, got[i], p)
		}
	}
}
