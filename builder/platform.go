package builder

import (
	"debug/elf"
	"fmt"
	"sort"
	"strings"
)

// Platform is a target platform in OCI terms (os/architecture/variant).
type Platform struct{ OS, Arch, Variant string }

// String formats p the way OCI and docker do: "linux/arm/v7", or
// "linux/amd64" when there is no variant.
func (p Platform) String() string {
	s := p.OS + "/" + p.Arch
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// arch describes how one OCI architecture maps onto Go and ELF.
type arch struct {
	goarch  string
	machine elf.Machine
	class   elf.Class
	order   elf.Data
	// variants maps an OCI variant to extra go environment. Only variants
	// listed here are accepted, so a typo cannot silently build the default.
	variants map[string][]string
}

// arches lists what packager can build. Microarchitecture variables that
// default from the host environment (GOARM, GOAMD64) are always set
// explicitly: an image labelled linux/amd64 must run on every amd64 machine,
// even if the developer exported GOAMD64=v3 in their shell.
var arches = map[string]arch{
	"amd64": {"amd64", elf.EM_X86_64, elf.ELFCLASS64, elf.ELFDATA2LSB, map[string][]string{
		"":   {"GOAMD64=v1"},
		"v1": {"GOAMD64=v1"},
		"v2": {"GOAMD64=v2"},
		"v3": {"GOAMD64=v3"},
		"v4": {"GOAMD64=v4"},
	}},
	"arm64": {"arm64", elf.EM_AARCH64, elf.ELFCLASS64, elf.ELFDATA2LSB, map[string][]string{
		"":   nil,
		"v8": nil,
	}},
	// Plain "arm" gets GOARM=7, which is also what go picks when it
	// cross-compiles; naming it keeps the host's GOARM out of the build.
	"arm": {"arm", elf.EM_ARM, elf.ELFCLASS32, elf.ELFDATA2LSB, map[string][]string{
		"":   {"GOARM=7"},
		"v5": {"GOARM=5"},
		"v6": {"GOARM=6"},
		"v7": {"GOARM=7"},
	}},
	"386":     {"386", elf.EM_386, elf.ELFCLASS32, elf.ELFDATA2LSB, map[string][]string{"": nil}},
	"ppc64le": {"ppc64le", elf.EM_PPC64, elf.ELFCLASS64, elf.ELFDATA2LSB, map[string][]string{"": nil}},
	"s390x":   {"s390x", elf.EM_S390, elf.ELFCLASS64, elf.ELFDATA2MSB, map[string][]string{"": nil}},
	"riscv64": {"riscv64", elf.EM_RISCV, elf.ELFCLASS64, elf.ELFDATA2LSB, map[string][]string{"": nil}},
}

// GoEnv returns the go environment that builds for p: GOOS, GOARCH and,
// where the variant matters, GOARM or GOAMD64.
func (p Platform) GoEnv() ([]string, error) {
	a, err := p.arch()
	if err != nil {
		return nil, err
	}
	env := []string{"GOOS=" + p.OS, "GOARCH=" + a.goarch}
	return append(env, a.variants[p.Variant]...), nil
}

// arch looks p up, with an error that lists what would have worked.
func (p Platform) arch() (arch, error) {
	if p.OS != "linux" {
		return arch{}, fmt.Errorf("unsupported platform %s: packager builds Linux images only; use os linux", p)
	}
	a, ok := arches[p.Arch]
	if !ok {
		return arch{}, fmt.Errorf("unsupported platform %s: unknown architecture %q; known: %s", p, p.Arch, knownArches())
	}
	if _, ok := a.variants[p.Variant]; !ok {
		return arch{}, fmt.Errorf("unsupported platform %s: unknown variant %q for %s; known: %s", p, p.Variant, p.Arch, knownVariants(a))
	}
	return a, nil
}

func knownArches() string {
	names := make([]string, 0, len(arches))
	for name := range arches {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func knownVariants(a arch) string {
	var names []string
	for v := range a.variants {
		if v == "" {
			names = append(names, "(none)")
			continue
		}
		names = append(names, v)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
