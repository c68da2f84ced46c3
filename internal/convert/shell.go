package convert

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// script walks one RUN line's shell script in order, keeping the variables
// it assigns and the directory it cds to, and collects every `go build`.
type script struct {
	c      *conv
	st     *stage
	line   int
	dir    string
	vars   map[string]string // shell variables set by the script (placeholders)
	export map[string]bool
	builds []*goBuild
	other  []string // other commands, for the notes
}

func (c *conv) runScript(st *stage, line int, src string) (*script, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return nil, fmt.Errorf("read RUN as a shell script: %w", err)
	}
	s := &script{c: c, st: st, line: line, dir: st.workdir, vars: map[string]string{}, export: map[string]bool{}}
	for _, stmt := range f.Stmts {
		s.stmt(stmt)
	}
	return s, nil
}

func (s *script) stmt(st *syntax.Stmt) {
	switch cmd := st.Cmd.(type) {
	case *syntax.BinaryCmd:
		s.stmt(cmd.X)
		s.stmt(cmd.Y)
	case *syntax.Block:
		for _, x := range cmd.Stmts {
			s.stmt(x)
		}
	case *syntax.Subshell:
		saved := s.dir
		for _, x := range cmd.Stmts {
			s.stmt(x)
		}
		s.dir = saved
	case *syntax.DeclClause:
		for _, a := range cmd.Args {
			if a.Name != nil && a.Value != nil {
				s.vars[a.Name.Value] = s.word(a.Value)
			}
			if a.Name != nil && (cmd.Variant.Value == "export" || cmd.Variant.Value == "declare") {
				s.export[a.Name.Value] = true
			}
		}
	case *syntax.CallExpr:
		s.call(cmd)
	case nil:
	default:
		s.other = append(s.other, printNode(st))
	}
}

func (s *script) call(cmd *syntax.CallExpr) {
	if len(cmd.Args) == 0 {
		for _, a := range cmd.Assigns {
			if a.Value != nil {
				s.vars[a.Name.Value] = s.word(a.Value)
			}
		}
		return
	}
	words := make([]string, len(cmd.Args))
	for i, w := range cmd.Args {
		words[i] = s.word(w)
	}
	env := map[string]string{}
	for _, a := range cmd.Assigns {
		if a.Value != nil {
			env[a.Name.Value] = s.word(a.Value)
		} else {
			env[a.Name.Value] = ""
		}
	}
	// env A=1 go build ...
	for len(words) > 1 && words[0] == "env" {
		words = words[1:]
		for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
			k, v, _ := strings.Cut(words[0], "=")
			env[k], words = v, words[1:]
		}
	}
	switch {
	case words[0] == "cd" && len(words) > 1:
		s.dir = join(s.dir, words[1])
	case len(words) >= 2 && words[0] == "go" && (words[1] == "build" || words[1] == "install"):
		s.builds = append(s.builds, s.goBuild(words[1], words[2:], env))
	default:
		s.other = append(s.other, printNode(cmd))
	}
}

// word is the value of a shell word with the script's and the stage's
// variables substituted (templates as placeholders).
func (s *script) word(w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		s.part(&b, p, false)
	}
	return b.String()
}

func (s *script) part(b *strings.Builder, p syntax.WordPart, quoted bool) {
	switch p := p.(type) {
	case *syntax.Lit:
		b.WriteString(unescape(p.Value, quoted))
	case *syntax.SglQuoted:
		b.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			s.part(b, q, true)
		}
	case *syntax.ParamExp:
		b.WriteString(s.param(p))
	case *syntax.CmdSubst:
		var cmd bytes.Buffer
		for _, st := range p.Stmts {
			cmd.WriteString(printNode(st))
		}
		b.WriteString(s.c.command(s.line, strings.TrimSpace(cmd.String())))
	default:
		b.WriteString(printNode(p))
	}
}

func (s *script) param(p *syntax.ParamExp) string {
	name := p.Param.Value
	if v, ok := s.vars[name]; ok {
		return v
	}
	def := (*string)(nil)
	if p.Exp != nil && p.Exp.Word != nil && (p.Exp.Op == syntax.DefaultUnsetOrNull || p.Exp.Op == syntax.DefaultUnset) {
		d := s.c.vals.fill(s.word(p.Exp.Word))
		def = &d
	}
	return s.c.lookup(s.st, name, def)
}

func (s *script) goBuild(verb string, args []string, env map[string]string) *goBuild {
	g := &goBuild{line: s.line, stage: s.st, dir: s.dir, verb: verb, env: map[string]string{}}
	// The stage's ENV and the script's exported variables reach go too.
	for k, v := range s.st.env {
		g.env[k] = v
	}
	for k := range s.export {
		g.env[k] = s.vars[k]
	}
	for k, v := range env {
		g.env[k] = v
	}
	g.parseArgs(args)
	g.output = s.c.vals.fill(g.output)
	return g
}

// unescape removes the backslashes the shell would, outside single quotes.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			next := s[i+1]
			if next == '\n' {
				i++
				continue
			}
			if !quoted || strings.IndexByte("$`\"\\", next) >= 0 {
				i++
				b.WriteByte(next)
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func printNode(n syntax.Node) string {
	var b bytes.Buffer
	if err := syntax.NewPrinter(syntax.SingleLine(true)).Print(&b, n); err != nil {
		return fmt.Sprintf("%v", n)
	}
	return strings.TrimSpace(b.String())
}

// join resolves p against dir as a shell cd or Docker WORKDIR would.
func join(dir, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	if dir == "" {
		dir = "/"
	}
	return path.Join(dir, p)
}
