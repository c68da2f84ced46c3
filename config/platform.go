package config

import (
	"fmt"
	"slices"
	"strings"
)

// Platform is an OS/architecture/variant triple, as in an OCI image config.
type Platform struct{ OS, Architecture, Variant string }

// String formats the platform the way users write it: "linux/amd64", "linux/arm/v7".
func (p Platform) String() string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// knownPlatforms maps every accepted spelling to its canonical Platform. The list
// is deliberately closed: these are the Linux targets Go cross-compiles to with
// CGO_ENABLED=0 and that base images are published for, and a closed list lets
// us catch "linux/amd46" here instead of after a slow build.
//
// Aliases: "linux/arm" means arm/v7 (what Go's GOARM defaults to and what
// registries call it), and "linux/arm64/v8" means plain linux/arm64, because
// v8 is the only arm64 variant and most image indexes omit it.
var knownPlatforms = map[string]Platform{
	"linux/386":      {OS: "linux", Architecture: "386"},
	"linux/amd64":    {OS: "linux", Architecture: "amd64"},
	"linux/amd64/v2": {OS: "linux", Architecture: "amd64", Variant: "v2"},
	"linux/amd64/v3": {OS: "linux", Architecture: "amd64", Variant: "v3"},
	"linux/amd64/v4": {OS: "linux", Architecture: "amd64", Variant: "v4"},
	"linux/arm":      {OS: "linux", Architecture: "arm", Variant: "v7"},
	"linux/arm/v6":   {OS: "linux", Architecture: "arm", Variant: "v6"},
	"linux/arm/v7":   {OS: "linux", Architecture: "arm", Variant: "v7"},
	"linux/arm64":    {OS: "linux", Architecture: "arm64"},
	"linux/arm64/v8": {OS: "linux", Architecture: "arm64"},
	"linux/ppc64le":  {OS: "linux", Architecture: "ppc64le"},
	"linux/riscv64":  {OS: "linux", Architecture: "riscv64"},
	"linux/s390x":    {OS: "linux", Architecture: "s390x"},
}

// knownPlatformNames is the sorted list shown in error messages.
var knownPlatformNames = func() []string {
	names := make([]string, 0, len(knownPlatforms))
	for n := range knownPlatforms {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}()

// ParsePlatform parses "os/arch[/variant]". Only the known platforms are
// accepted; the error lists them and suggests the closest one.
func ParsePlatform(s string) (Platform, error) {
	if p, ok := knownPlatforms[s]; ok {
		return p, nil
	}
	return Platform{}, fmt.Errorf("unknown platform %q;%s known: %s",
		s, suggest(s, knownPlatformNames), strings.Join(knownPlatformNames, ", "))
}
