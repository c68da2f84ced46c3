package convert

import (
	"path"
	"strings"
)

// goBuild is one `go build` (or `go install`) found in a RUN line. Values
// hold placeholders (see values.go).
type goBuild struct {
	line    int
	stage   *stage
	verb    string // build or install
	dir     string // where go ran, in the builder
	env     map[string]string
	pkgs    []string
	output  string // -o as written, "" when absent
	ldflags string
	flags   []string
	dropped []string // flags packager already sets or that do not change the binary
}

// valueFlags are go build flags that take a value, written "-f v" or "-f=v".
var valueFlags = map[string]bool{
	"-o": true, "-ldflags": true, "-tags": true, "-gcflags": true, "-asmflags": true,
	"-mod": true, "-buildmode": true, "-pgo": true, "-p": true, "-modfile": true,
	"-overlay": true, "-compiler": true, "-gccgoflags": true, "-installsuffix": true,
	"-pkgdir": true, "-toolexec": true, "-coverpkg": true, "-covermode": true, "-buildvcs": false,
}

// noEffect are flags packager already passes or that only change what go
// prints.
var noEffect = map[string]bool{"-trimpath": true, "-v": true, "-x": true, "-n": true, "-work": true, "-a": true, "-installsuffix": true}

func (g *goBuild) parseArgs(args []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			g.pkgs = append(g.pkgs, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.Replace(a, "--", "-", 1), "=")
		if !hasVal && valueFlags[name] && i+1 < len(args) {
			i++
			val, hasVal = args[i], true
		}
		switch {
		case name == "-o":
			g.output = val
		case name == "-ldflags":
			g.ldflags = strings.TrimSpace(g.ldflags + " " + val)
		case noEffect[name]:
			g.dropped = append(g.dropped, name)
		case hasVal:
			g.flags = append(g.flags, name+"="+val)
		default:
			g.flags = append(g.flags, name)
		}
	}
	if len(g.pkgs) == 0 {
		g.pkgs = []string{"."}
	}
}

// binaryPath is where the build left its binary in the builder: -o, or
// what go names it (the last element of the package; $GOPATH/bin for go
// install).
func (g *goBuild) binaryPath() string {
	name := pkgName(g.pkgs[0], g.dir)
	if g.verb == "install" {
		gopath := g.env["GOPATH"]
		if gopath == "" {
			gopath = "/go"
		}
		return path.Join(gopath, "bin", name)
	}
	switch {
	case g.output == "":
		return join(g.dir, name)
	case strings.HasSuffix(g.output, "/"):
		return join(g.dir, path.Join(g.output, name))
	}
	return join(g.dir, g.output)
}

// pkgName is the name go gives a package's binary: its last path element
// (for "." the directory's), skipping a /vN major-version suffix.
func pkgName(pkg, dir string) string {
	p := strings.TrimSuffix(pkg, "/...")
	if p == "." || p == "" {
		p = dir
	}
	p = path.Clean(p)
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(p))
	}
	return base
}

// splitLdflags splits -ldflags the way the go command does (quotes group)
// and pairs -X with its value. -s and -w are dropped: packager always
// strips.
func splitLdflags(s string) (keep, dropped []string) {
	f := quotedFields(s)
	for i := 0; i < len(f); i++ {
		switch w := f[i]; {
		case w == "-s" || w == "-w" || strings.HasPrefix(w, "-buildid"):
			dropped = append(dropped, w)
		case (w == "-X" || w == "-extldflags" || w == "-r" || w == "-linkmode") && i+1 < len(f):
			i++
			keep = append(keep, w+" "+quoteField(f[i]))
		default:
			keep = append(keep, quoteField(w))
		}
	}
	return keep, dropped
}

// quotedFields splits on spaces outside '...' and "..." quotes.
func quotedFields(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	inField := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inField = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inField {
				out = append(out, cur.String())
				cur.Reset()
				inField = false
			}
		default:
			cur.WriteRune(r)
			inField = true
		}
	}
	if inField {
		out = append(out, cur.String())
	}
	return out
}

// quoteField quotes a field with spaces so the go command keeps it whole.
func quoteField(s string) string {
	if !strings.ContainsAny(s, " \t") {
		return s
	}
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}
