package builder

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/packager-dev/packager/vocab"
)

// CheckBinary verifies that path is an ELF executable for platform p and,
// unless allowDynamic, that it is statically linked. A dynamic binary would
// build fine and then fail in a scratch or distroless container with a
// confusing "no such file or directory", so it is caught here instead.
func CheckBinary(path string, p vocab.Platform, allowDynamic bool) error {
	if _, err := p.GoEnv(); err != nil {
		return err
	}
	want := elfArches[p.Architecture]
	name := filepath.Base(path)
	f, err := openELF(path)
	if err != nil {
		return err
	}
	defer f.Close()

	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return fmt.Errorf("%s is an ELF %s file, not an executable: remove -buildmode from the build flags", name, f.Type)
	}
	if f.Machine != want.machine || f.Class != want.class || f.Data != want.order {
		return fmt.Errorf("%s is built for %s, not %s (%s): remove GOARCH from build_env",
			name, describe(f.Machine, f.Class, f.Data), p, want.machine)
	}
	if allowDynamic {
		return nil
	}
	interp, needed, err := dynamicDeps(f)
	if err != nil {
		return fmt.Errorf("check %s: %w", name, err)
	}
	var deps []string
	if interp != "" {
		deps = append(deps, "interpreter "+interp)
	}
	if len(needed) > 0 {
		deps = append(deps, "needs "+strings.Join(needed, ", "))
	}
	if len(deps) > 0 {
		return dynamicError(f, name, strings.Join(deps, "; "), len(needed) > 0)
	}
	return nil
}

// dynamicError names what made the binary dynamic, read from the ELF file
// itself, since the cause may hide in GOFLAGS or the environment:
//   - a PIE (ET_DYN) comes from -buildmode=pie, which asks for the dynamic
//     loader even with cgo off;
//   - a .comment section naming GCC or clang means the external linker ran
//     (Go's own linker writes none): -linkmode=external, or cgo code;
//   - otherwise cgo linked libc.
func dynamicError(f *elf.File, name, deps string, needsLibs bool) error {
	const cgoOff = "build with CGO_ENABLED=0 (remove CGO_ENABLED=1 from build_env)"
	const orCgo = "or set cgo: true with a base that provides libc"
	switch linker := externalLinker(f); {
	case f.Type == elf.ET_DYN:
		fix := "remove -buildmode=pie from flags: and from GOFLAGS (in build_env or the environment)"
		if needsLibs {
			fix += " and " + cgoOff
		}
		return fmt.Errorf("%s is a position-independent executable (-buildmode=pie) and needs the dynamic loader (%s): %s, %s",
			name, deps, fix, orCgo)
	case linker != "":
		return fmt.Errorf("%s is dynamically linked (%s) by the external linker (%s): remove -linkmode=external from ldflags: and GOFLAGS, "+
			"%s, %s", name, deps, linker, cgoOff, orCgo)
	}
	return fmt.Errorf("%s is dynamically linked (%s): %s %s", name, deps, cgoOff, orCgo)
}

// externalLinker returns the compiler named in the .comment section the C
// toolchain leaves in what it links ("GCC: (Debian 12.2.0) 12.2.0"), or "".
func externalLinker(f *elf.File) string {
	sec := f.Section(".comment")
	if sec == nil {
		return ""
	}
	data, err := sec.Data()
	if err != nil {
		return ""
	}
	for _, s := range bytes.Split(data, []byte{0}) {
		if t := strings.TrimSpace(string(s)); strings.HasPrefix(t, "GCC:") || strings.Contains(t, "clang") {
			return t
		}
	}
	return ""
}

// openELF opens path as ELF. Anything else (a script, a Mach-O or PE binary
// from a GOOS override) gets an error saying so rather than the parser's
// "bad magic number".
func openELF(path string) (*elf.File, error) {
	name := filepath.Base(path)
	r, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", name, err)
	}
	magic := make([]byte, len(elf.ELFMAG))
	_, err = io.ReadFull(r, magic)
	r.Close()
	if err != nil || string(magic) != elf.ELFMAG {
		return nil, fmt.Errorf("%s is not an ELF executable: packager needs a Linux binary; remove GOOS from build_env", name)
	}
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s is a damaged ELF file (%w): build it again", name, err)
	}
	return f, nil
}

// dynamicDeps returns the program interpreter (PT_INTERP) and the shared
// libraries (DT_NEEDED) the binary asks the loader for.
func dynamicDeps(f *elf.File) (interp string, needed []string, err error) {
	for _, prog := range f.Progs {
		if prog.Type != elf.PT_INTERP {
			continue
		}
		b, err := io.ReadAll(prog.Open())
		if err != nil {
			return "", nil, fmt.Errorf("read ELF interpreter: %w", err)
		}
		interp = string(bytes.TrimRight(b, "\x00"))
	}
	needed, err = f.ImportedLibraries()
	if err != nil {
		return "", nil, fmt.Errorf("read ELF dynamic section: %w", err)
	}
	return interp, needed, nil
}

// describe names an ELF target by its Go architecture when packager knows
// it ("arm64 (EM_AARCH64)"), and by its raw ELF fields otherwise.
func describe(m elf.Machine, c elf.Class, d elf.Data) string {
	for name, a := range elfArches {
		if a.machine == m && a.class == c && a.order == d {
			return fmt.Sprintf("%s (%s)", name, m)
		}
	}
	return fmt.Sprintf("%s %s %s", m, c, d)
}
