// Package builder turns a Go main package into a static Linux binary for one
// target platform.
//
// It does three things, each a plain function:
//
//   - [Resolve] maps a package pattern ("./cmd/app", "example.com/app") to
//     exactly one main package with golang.org/x/tools/go/packages, under the
//     same GOOS/GOARCH/CGO_ENABLED as the build, so build constraints agree.
//     The pipeline calls it only to explain a failed build: go build takes
//     the pattern as written.
//   - [Build] cross-compiles that package with the host go toolchain
//     (-trimpath, stripped) so the same source gives the same bytes wherever
//     it is built; Go's build ID, itself a hash of the inputs, is kept, so
//     [BuildCached] lets go skip relinking an unchanged binary.
//   - [BuildMany] builds several packages for one platform with one go
//     command (`go build -o DIR/ pkg...`), which loads the shared dependency
//     graph once and links in parallel; [BuildManyCached] keeps each
//     package's stable link target, so unchanged programs are not relinked.
//   - [CheckBinary] verifies the result is an ELF executable for the target
//     machine and, unless cgo was asked for, that it is statically linked:
//     a distroless or scratch base has no dynamic loader or libc.
//
// The package is silent and never reads the process environment: callers
// pass the environment for the go command explicitly, which keeps builds
// reproducible and tests independent of the machine they run on.
package builder
