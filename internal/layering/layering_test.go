package layering

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

const module = "github.com/packager-dev/packager"

// loadAll loads every package of the module with its dependencies.
func loadAll(t *testing.T) []*packages.Package {
	t.Helper()
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedImports | packages.NeedDeps | packages.NeedFiles, Dir: "../.."}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("loaded only %d packages", len(pkgs))
	}
	return pkgs
}

// deps returns every package p imports, directly or not.
func deps(p *packages.Package) map[string]bool {
	seen := map[string]bool{}
	var walk func(*packages.Package)
	walk = func(q *packages.Package) {
		for path, imp := range q.Imports {
			if !seen[path] {
				seen[path] = true
				walk(imp)
			}
		}
	}
	walk(p)
	return seen
}

func TestCoreLayersNeverReachEachOther(t *testing.T) {
	core := []string{module + "/config", module + "/builder", module + "/oci"}
	for _, p := range loadAll(t) {
		if !slices.Contains(core, p.PkgPath) {
			continue
		}
		for dep := range deps(p) {
			if dep != p.PkgPath && (slices.Contains(core, dep) || dep == module+"/internal/pipeline") {
				t.Errorf("%s imports %s (maybe indirectly): config, builder and oci share only vocab", p.PkgPath, dep)
			}
		}
	}
}

func TestVocabIsALeaf(t *testing.T) {
	for _, p := range loadAll(t) {
		if p.PkgPath != module+"/vocab" {
			continue
		}
		for dep := range p.Imports {
			if strings.Contains(strings.Split(dep, "/")[0], ".") {
				t.Errorf("vocab imports %s: it may import only the standard library", dep)
			}
		}
		return
	}
	t.Fatal("vocab not found")
}

func TestOnlyCmdImportsThePipeline(t *testing.T) {
	for _, p := range loadAll(t) {
		if _, ok := p.Imports[module+"/internal/pipeline"]; ok && !strings.HasPrefix(p.PkgPath, module+"/cmd/") {
			t.Errorf("%s imports internal/pipeline; only cmd/packager may", p.PkgPath)
		}
	}
}

// envReaders are the calls that read the process environment.
var envReaders = map[string][]string{
	"os":      {"Getenv", "LookupEnv", "Environ", "ExpandEnv", "UserCacheDir", "UserHomeDir", "UserConfigDir"},
	"syscall": {"Getenv", "Environ"},
}

// TestOnlyCmdReadsTheEnvironment keeps libraries testable: they get the
// environment as values from cmd/packager. Test helpers (internal/testenv),
// benchmarks and examples are programs of their own and may read it.
func TestOnlyCmdReadsTheEnvironment(t *testing.T) {
	allowed := []string{"/cmd/", "/internal/testenv", "/bench/", "/examples/"}
	for _, p := range loadAll(t) {
		if slices.ContainsFunc(allowed, func(a string) bool { return strings.Contains(p.PkgPath+"/", a) }) {
			continue
		}
		for _, file := range p.GoFiles {
			for _, call := range envCalls(t, file) {
				t.Errorf("%s: %s reads the environment; take the value from cmd/packager instead", call.pos, call.name)
			}
		}
	}
}

type envCall struct{ pos, name string }

func envCalls(t *testing.T, file string) []envCall {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	imported := map[string]string{} // local name -> import path
	for _, imp := range f.Imports {
		path := strings.Trim(imp.Path.Value, `"`)
		name := path
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imported[name] = path
	}
	var out []envCall
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		if funcs, ok := envReaders[imported[id.Name]]; ok && slices.Contains(funcs, sel.Sel.Name) {
			out = append(out, envCall{fset.Position(sel.Pos()).String(), imported[id.Name] + "." + sel.Sel.Name})
		}
		return true
	})
	return out
}
