package vocab

import (
	"fmt"
	"slices"
	"strings"
)

// Platform is an OS/architecture/variant triple, as in an OCI image config.
// The zero Variant means the architecture's plain form.
type Platform struct{ OS, Architecture, Variant string }

// String formats the platform the way users write it: "linux/amd64", "linux/arm/v7".
func (p Platform) String() string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// Canonical is p as packager records it: arm64's only variant, v8, and
// amd64's baseline, v1, are written as no variant, because most image
// indexes omit them and they run the same binaries.
func (p Platform) Canonical() Platform {
	if (p.Architecture == "arm64" && p.Variant == "v8") || (p.Architecture == "amd64" && p.Variant == "v1") {
		p.Variant = ""
	}
	return p
}

// arch is what one OCI architecture means to Go.
type arch struct {
	goarch string
	// variants maps each accepted variant to its extra go environment.
	// Only variants listed here are accepted, so a typo cannot silently
	// build the default.
	variants map[string][]string
}

// arches lists what packager builds: the Linux targets Go cross-compiles
// to with CGO_ENABLED=0 that base images are published for. The list is
// closed, so "linux/amd46" is caught before a slow build.
//
// Microarchitecture variables that default from the host environment
// (GOARM, GOAMD64) are always set: an image labelled linux/amd64 must run
// on every amd64 machine, even if the developer exported GOAMD64=v3.
// Plain "arm" means arm/v7, what go picks when it cross-compiles and what
// registries call it.
var arches = map[string]arch{
	"386": {"386", map[string][]string{"": nil}},
	"amd64": {"amd64", map[string][]string{
		"": {"GOAMD64=v1"}, "v1": {"GOAMD64=v1"}, "v2": {"GOAMD64=v2"}, "v3": {"GOAMD64=v3"}, "v4": {"GOAMD64=v4"},
	}},
	"arm": {"arm", map[string][]string{
		"": {"GOARM=7"}, "v5": {"GOARM=5"}, "v6": {"GOARM=6"}, "v7": {"GOARM=7"},
	}},
	"arm64":   {"arm64", map[string][]string{"": nil, "v8": nil}},
	"ppc64le": {"ppc64le", map[string][]string{"": nil}},
	"riscv64": {"riscv64", map[string][]string{"": nil}},
	"s390x":   {"s390x", map[string][]string{"": nil}},
}

// All is what platforms: [all] means for the built-in bases, which can be
// made for any platform: every architecture once, without the amd64
// microarchitecture levels, which run the same images as plain amd64.
var All = []Platform{
	{OS: "linux", Architecture: "386"},
	{OS: "linux", Architecture: "amd64"},
	{OS: "linux", Architecture: "arm", Variant: "v6"},
	{OS: "linux", Architecture: "arm", Variant: "v7"},
	{OS: "linux", Architecture: "arm64"},
	{OS: "linux", Architecture: "ppc64le"},
	{OS: "linux", Architecture: "riscv64"},
	{OS: "linux", Architecture: "s390x"},
}

// KnownPlatforms is every spelling ParsePlatform accepts, sorted, for
// error messages and docs.
var KnownPlatforms = func() []string {
	var names []string
	for name, a := range arches {
		for v := range a.variants {
			names = append(names, Platform{"linux", name, v}.String())
		}
	}
	slices.Sort(names)
	return names
}()

// ParsePlatform parses "os/arch[/variant]". Only known platforms are
// accepted; the error lists them and suggests the closest one. "linux/arm"
// becomes linux/arm/v7; see [Platform.Canonical] for arm64/v8 and amd64/v1.
func ParsePlatform(s string) (Platform, error) {
	parts := strings.Split(s, "/")
	if len(parts) == 2 {
		parts = append(parts, "")
	}
	if len(parts) == 3 && parts[0] == "linux" {
		if a, ok := arches[parts[1]]; ok {
			if _, ok := a.variants[parts[2]]; ok {
				p := Platform{OS: "linux", Architecture: parts[1], Variant: parts[2]}
				if p.Architecture == "arm" && p.Variant == "" {
					p.Variant = "v7"
				}
				return p.Canonical(), nil
			}
		}
	}
	return Platform{}, fmt.Errorf("unknown platform %q;%s known: %s",
		s, Suggest(s, KnownPlatforms), strings.Join(KnownPlatforms, ", "))
}

// GoEnv returns the go environment that builds for p: GOOS, GOARCH and,
// where the variant matters, GOARM or GOAMD64.
func (p Platform) GoEnv() ([]string, error) {
	if p.OS != "linux" {
		return nil, fmt.Errorf("unsupported platform %s: packager builds Linux images only; use os linux", p)
	}
	a, ok := arches[p.Architecture]
	if !ok {
		return nil, fmt.Errorf("unsupported platform %s: unknown architecture %q; known: %s", p, p.Architecture, knownArches())
	}
	extra, ok := a.variants[p.Variant]
	if !ok {
		return nil, fmt.Errorf("unsupported platform %s: unknown variant %q for %s; known: %s", p, p.Variant, p.Architecture, knownVariants(a))
	}
	return append([]string{"GOOS=" + p.OS, "GOARCH=" + a.goarch}, extra...), nil
}

func knownArches() string {
	names := make([]string, 0, len(arches))
	for name := range arches {
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func knownVariants(a arch) string {
	var names []string
	for v := range a.variants {
		if v == "" {
			v = "(none)"
		}
		names = append(names, v)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
