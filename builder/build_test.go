package builder

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/packager-dev/packager/internal/testenv"
)

// buildHello resolves and builds the module's root package for p into a new
// directory and returns the binary's path.
func buildHello(t *testing.T, dir string, o Options) (string, error) {
	t.Helper()
	// Flags are left out on purpose: a bad flag must reach go build.
	pkg, err := Resolve(context.Background(), ".", ResolveOptions{
		Dir: dir, Env: os.Environ(), UserEnv: o.UserEnv, Platform: o.Platform, Cgo: o.Cgo,
	})
	if err != nil {
		t.Fatal(err)
	}
	o.Dir, o.Env = dir, os.Environ()
	out := filepath.Join(t.TempDir(), "hello")
	return out, Build(context.Background(), pkg, out, o)
}

// assertOnlyFile fails unless dir holds exactly the file name: no temporary
// files may be left behind, whatever happened.
func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if (name == "" && len(names) != 0) || (name != "" && (len(names) != 1 || names[0] != name)) {
		t.Errorf("%s holds %q, want only %q", dir, names, name)
	}
}

func TestBuildCrossCompiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		arch    string
		machine elf.Machine
	}{
		{"amd64", elf.EM_X86_64},
		{"arm64", elf.EM_AARCH64},
	} {
		t.Run(tc.arch, func(t *testing.T) {
			t.Parallel()
			dir := writeModule(t, map[string]string{"main.go": helloMain})
			out, err := buildHello(t, dir, Options{Platform: linux(tc.arch), Ldflags: []string{"-X main.version=v1.2.3-test"}})
			if err != nil {
				t.Fatal(err)
			}
			assertOnlyFile(t, filepath.Dir(out), "hello")
			if err := CheckBinary(out, linux(tc.arch), false); err != nil {
				t.Fatal(err)
			}
			f, err := elf.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != tc.machine {
				t.Errorf("machine = %s, want %s", f.Machine, tc.machine)
			}
			if f.Section(".symtab") != nil {
				t.Error("binary has a symbol table; -s should have stripped it")
			}
			bin, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(bin, []byte("v1.2.3-test")) {
				t.Error("user ldflags -X main.version=v1.2.3-test did not reach the binary")
			}
		})
	}
}

// TestBuildReproducible builds the same module from two directories: with
// -trimpath and an empty build ID the bytes must not depend on the path.
func TestBuildReproducible(t *testing.T) {
	t.Parallel()
	var bins [][]byte
	for range 2 {
		dir := writeModule(t, map[string]string{"main.go": helloMain})
		out, err := buildHello(t, dir, Options{Platform: linux("amd64")})
		if err != nil {
			t.Fatal(err)
		}
		bin, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		bins = append(bins, bin)
	}
	if !bytes.Equal(bins[0], bins[1]) {
		t.Error("the same source built in two directories gave different binaries")
	}
}

func TestBuildErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		files map[string]string
		o     Options
		want  []string
	}{
		{"compile error", map[string]string{"main.go": "package main\n\nfunc main() { println(x) }\n"},
			Options{Platform: linux("amd64")},
			[]string{"build example.com/m for linux/amd64: go build: exit status 1\n", "./main.go:3:23: undefined: x",
				"command (in ", "CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOAMD64=v1 go build -trimpath '-ldflags=-s -w' -o ", "/hello example.com/m"}},
		{"function from an excluded cgo file", map[string]string{
			"main.go": "package main\n\nfunc main() { viaC() }\n",
			"cgo.go":  "package main\n\nimport \"C\"\n\nfunc viaC() {}\n",
		}, Options{Platform: linux("amd64")},
			[]string{"undefined: viaC", `note: example.com/m needs cgo (cgo.go imports "C")`}},
		{"build_env overrides GOARCH", map[string]string{"main.go": helloMain},
			Options{Platform: linux("amd64"), UserEnv: []string{"GOARCH=arm64"}},
			[]string{"build example.com/m for linux/amd64: hello is built for arm64 (EM_AARCH64), not linux/amd64 (EM_X86_64): remove GOARCH from build_env"}},
		{"bad user flag", map[string]string{"main.go": helloMain},
			Options{Platform: linux("amd64"), Flags: []string{"-nosuchflag"}},
			[]string{"go build: exit status 2", "flag provided but not defined: -nosuchflag", "go build -trimpath '-ldflags=-s -w' -nosuchflag -o"}},
		{"missing go", map[string]string{"main.go": helloMain},
			Options{Platform: linux("amd64"), GoBin: filepath.Join(t.TempDir(), "no-go")},
			[]string{"build example.com/m for linux/amd64: go build: ", "no-go"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeModule(t, tc.files)
			out, err := buildHello(t, dir, tc.o)
			if err == nil {
				t.Fatal("Build succeeded, want an error")
			}
			assertContainsInOrder(t, err.Error(), tc.want)
			assertOnlyFile(t, filepath.Dir(out), "")
		})
	}
}

// cgoMain uses cgo when it is enabled: net and os/user then link libc.
const cgoMain = `package main

import (
	"fmt"
	"net"
	"os/user"
)

func main() {
	u, err := user.Current()
	fmt.Println(u, err, net.ParseIP("127.0.0.1"))
}
`

// TestBuildUserCgoIsDynamic checks that CGO_ENABLED=1 forced through
// build_env takes effect, and that CheckBinary then names it as the cause.
func TestBuildUserCgoIsDynamic(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("cgo builds need a native Linux C toolchain")
	}
	testenv.RequireTool(t, "gcc")
	host := linux(runtime.GOARCH)
	dir := writeModule(t, map[string]string{"main.go": cgoMain})
	userCgo := []string{"CGO_ENABLED=1"}

	_, err := buildHello(t, dir, Options{Platform: host, UserEnv: userCgo})
	if err == nil {
		t.Fatal("Build succeeded, want a dynamic-linking error")
	}
	assertContainsInOrder(t, err.Error(), []string{"hello is dynamically linked (interpreter /", "; needs ", "libc",
		"): build with CGO_ENABLED=0 (remove CGO_ENABLED=1 from build_env) or set cgo: true with a base that provides libc"})

	// With cgo asked for, the same dynamic binary is what the user wants.
	out, err := buildHello(t, dir, Options{Platform: host, UserEnv: userCgo, Cgo: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckBinary(out, host, true); err != nil {
		t.Fatal(err)
	}
}
