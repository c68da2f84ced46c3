package convert

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// conv is one conversion in progress.
type conv struct {
	name  string // the Dockerfile's name in warnings
	warns []Warning
	vals  values
	meta  map[string]*string // ARGs before the first FROM
	lex   *shell.Lex

	stages  []*stage
	img     *image
	fromRef string // the final stage's base, as written (ARGs expanded)
	out     file
}

// stage is what a build stage has set up by the instruction being read.
type stage struct {
	inst    instructions.Stage
	index   int
	workdir string
	env     map[string]string  // ENV, values with placeholders
	args    map[string]*string // ARGs declared in the stage: default or nil
	builds  []*goBuild
	ctxRoot string // where `COPY . DIR` put the build context; "" unknown
	cross   bool   // FROM --platform=$BUILDPLATFORM
}

// Dockerfile converts a Dockerfile's bytes into packager.yaml text. name is
// the file's name as warnings should show it ("Dockerfile"). An error means
// BuildKit could not read the file; what it reads but packager cannot say
// is in Result.Warnings.
func Dockerfile(name string, data []byte) (*Result, error) {
	ast, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("%s: no FROM instruction; a Dockerfile needs at least one stage", name)
	}
	c := &conv{name: name, meta: map[string]*string{}, lex: shell.NewLex(ast.EscapeToken), img: &image{}}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			c.meta[kv.Key] = kv.Value
		}
	}
	c.out.header = []string{fmt.Sprintf("Converted from %s by `packager convert`.", name),
		"Comments name the Dockerfile line each value came from; check them, then delete the Dockerfile."}
	if err := c.convert(stages); err != nil {
		return nil, err
	}
	text, err := c.out.render()
	if err != nil {
		return nil, fmt.Errorf("write packager.yaml: %w", err)
	}
	return &Result{YAML: text, Warnings: c.warns}, nil
}

func (c *conv) convert(stages []instructions.Stage) error {
	for i, s := range stages {
		st := &stage{inst: s, index: i, env: map[string]string{}, args: map[string]*string{}}
		if parent := c.stageByName(s.BaseName); parent != nil {
			st.workdir, st.ctxRoot, st.cross = parent.workdir, parent.ctxRoot, parent.cross
			st.builds = append(st.builds, parent.builds...)
			for k, v := range parent.env {
				st.env[k] = v
			}
		} else if isGoImage(s.BaseName) {
			st.env["GOPATH"] = "/go"
			st.workdir = "/go"
		}
		st.cross = st.cross || strings.Contains(s.Platform, "BUILDPLATFORM")
		c.stages = append(c.stages, st)
		if i < len(stages)-1 {
			c.builderStage(st)
		}
	}
	return c.finalStage(c.stages[len(c.stages)-1])
}

// stageByName finds an earlier stage by name or index, as FROM and
// COPY --from do.
func (c *conv) stageByName(name string) *stage {
	if n, err := strconv.Atoi(name); err == nil && n >= 0 && n < len(c.stages) {
		return c.stages[n]
	}
	for _, s := range c.stages {
		if s.inst.Name != "" && strings.EqualFold(s.inst.Name, name) {
			return s
		}
	}
	return nil
}

func isGoImage(ref string) bool {
	r := strings.ToLower(ref)
	return strings.HasPrefix(r, "golang") || strings.Contains(r, "/golang") || strings.Contains(r, "go-toolset")
}

func (c *conv) warn(line int, format string, args ...any) {
	c.warns = append(c.warns, Warning{File: c.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func line(cmd interface{ Location() []parser.Range }) int {
	if loc := cmd.Location(); len(loc) > 0 {
		return loc[0].Start.Line
	}
	return 0
}

func (c *conv) ref(l int) string { return fmt.Sprintf("%s:%d", c.name, l) }

// lookup is the value of $name in stage st: ENV, then ARG (a template of
// the environment variable), then BuildKit's platform arguments.
func (c *conv) lookup(st *stage, name string, def *string) string {
	if v, ok := st.env[name]; ok {
		return v
	}
	if platformArgs[name] {
		return c.vals.placeholder(platformTemplate(name))
	}
	if d, ok := st.args[name]; ok {
		if def == nil {
			def = d
		}
		return c.vals.placeholder(argTemplate(name, def))
	}
	if def != nil {
		return *def
	}
	return ""
}

// command is what $(cmd) becomes: a template, or the text itself with a
// warning.
func (c *conv) command(l int, cmd string) string {
	t, note := commandTemplate(cmd)
	if t == "" {
		c.warn(l, "$(%s) has no packager template; it is kept as text: replace it with {{.Env.NAME}} and set NAME when building", cmd)
		return "$(" + cmd + ")"
	}
	if note != "" {
		c.img.notes.add("ldflags", fmt.Sprintf("%s: $(%s) → %s: %s", c.ref(l), cmd, t, note))
	}
	return c.vals.placeholder(t)
}

// word expands a Dockerfile word (ENV, LABEL, USER, ... values) as BuildKit
// would, with ARGs as templates.
func (c *conv) word(st *stage, l int, w string) string {
	return c.expand(st, l, w, false)
}

// literal expands a word for a key that takes no templates (ports, paths,
// user, ...): an ARG gives its default, as docker build without
// --build-arg would.
func (c *conv) literal(st *stage, l int, w string) string {
	return c.expand(st, l, w, true)
}

func (c *conv) expand(st *stage, l int, w string, literal bool) string {
	v, _, err := c.lex.ProcessWord(w, envGetter{c: c, st: st, l: l, literal: literal})
	if err != nil {
		c.warn(l, "cannot expand %q: %v; kept as written", w, err)
		return w
	}
	return v
}

// envGetter feeds stage variables to BuildKit's shell lexer.
type envGetter struct {
	c       *conv
	st      *stage
	l       int
	literal bool
}

func (e envGetter) Get(key string) (string, bool) {
	_, env := e.st.env[key]
	_, arg := e.st.args[key]
	if !env && !arg && !platformArgs[key] {
		return "", false
	}
	if e.literal && !env {
		def := e.st.args[key]
		if def == nil {
			e.c.warn(e.l, "$%s: this value cannot be a template in packager.yaml and the ARG has no default; write the value", key)
			return "", true
		}
		e.c.img.notes.add("", fmt.Sprintf("$%s (%s) is the ARG's default %q: this key takes no templates", key, e.c.ref(e.l), *def))
		return *def, true
	}
	return e.c.lookup(e.st, key, nil), true
}

func (e envGetter) Keys() []string {
	var keys []string
	for k := range e.st.env {
		keys = append(keys, k)
	}
	for k := range e.st.args {
		keys = append(keys, k)
	}
	return keys
}
