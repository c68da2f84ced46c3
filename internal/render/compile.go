package render

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/template/parse"
)

// part is one piece of a compiled template: literal text, or an action.
type part struct {
	text string // the literal text, or the action as parsed, e.g. "{{.Env.HOME}}"
	expr *expr  // nil for literal text
}

// expr is an expression in an action: exactly one of a quoted string, a
// field, or a function call.
type expr struct {
	lit   string
	field []string // e.g. ["Env", "HOME"] for .Env.HOME
	fn    string   // a key of funcs
	args  []*expr  // the call's arguments, the piped value last
}

// example is the template shown when a fix needs one.
const example = `{{.Env.VERSION | default "dev"}}`

// parseError matches text/template/parse's "template: NAME:LINE: MSG".
var parseError = regexp.MustCompile(`^template: [^:]*:(\d+): (.*)$`)

// compile parses text with Go's template parser and turns the tree into
// parts, rejecting everything outside the small language of doc.go. Each
// error says which action is wrong and how to fix it; all are returned.
func compile(text string) ([]part, []error) {
	names := make(map[string]any, len(funcs))
	for n := range funcs {
		names[n] = true // the parser only checks that the name is there
	}
	trees, err := parse.Parse("t", text, "", "", names)
	if err != nil {
		return nil, []error{syntaxError(text, err)}
	}
	if len(trees) != 1 {
		return nil, []error{errors.New("{{define}} and {{block}} are not supported; write the value inline, e.g. " + example)}
	}
	var parts []part
	var errs []error
	for _, n := range trees["t"].Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			parts = append(parts, part{text: string(n.Text)})
		case *parse.ActionNode:
			e, err := pipe(n.Pipe)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", n, err))
				continue
			}
			parts = append(parts, part{text: n.String(), expr: e})
		default: // if, range, with, template, break, continue
			errs = append(errs, fmt.Errorf("%s: if, range, with and template are not supported; use fields, \"quoted strings\" and the functions %s, e.g. %s", n, funcNames(), example))
		}
	}
	return parts, errs
}

// syntaxError rewords a parse error, adding the fix when there is a likely one.
func syntaxError(text string, err error) error {
	msg := err.Error()
	if m := parseError.FindStringSubmatch(msg); m != nil {
		msg = m[2]
		if strings.Contains(text, "\n") {
			msg = "line " + m[1] + ": " + msg
		}
	}
	hint := "write actions as {{.Field}} or {{.Field | function \"arg\"}}, e.g. " + example
	switch {
	case strings.Contains(msg, "function ") && strings.Contains(msg, "not defined"):
		hint = "the functions are " + funcNames()
	case strings.Count(text, "{{") != strings.Count(text, "}}"):
		hint = "close every {{ with }}, e.g. " + example
	}
	return fmt.Errorf("invalid template %q: %s; %s", text, msg, hint)
}

// pipe compiles a pipeline: each command after "|" gets the previous value
// as its last argument.
func pipe(p *parse.PipeNode) (*expr, error) {
	if len(p.Decl) > 0 {
		return nil, fmt.Errorf("variables are not supported; use the field directly, e.g. %s", example)
	}
	var cur *expr
	for _, c := range p.Cmds {
		e, err := command(c, cur)
		if err != nil {
			return nil, err
		}
		cur = e
	}
	return cur, nil
}

// command compiles one command of a pipeline; piped is the value from the
// left of "|", nil for the first command.
func command(c *parse.CommandNode, piped *expr) (*expr, error) {
	id, ok := c.Args[0].(*parse.IdentifierNode)
	if !ok {
		if piped != nil {
			return nil, fmt.Errorf("only a function can follow |, not %s; e.g. %s", c.Args[0], example)
		}
		if len(c.Args) > 1 {
			return nil, fmt.Errorf("%s takes no arguments; to call a function write it first: %s", c.Args[0], `{{default "dev" .Env.VERSION}}`)
		}
		return operand(c.Args[0])
	}
	f := funcs[id.Ident]
	e := &expr{fn: id.Ident}
	for _, a := range c.Args[1:] {
		x, err := operand(a)
		if err != nil {
			return nil, err
		}
		e.args = append(e.args, x)
	}
	if piped != nil {
		e.args = append(e.args, piped)
	}
	if len(e.args) != f.nargs {
		return nil, fmt.Errorf("%s takes %d argument%s, counting the value piped into it, not %d; e.g. %s",
			id.Ident, f.nargs, plural(f.nargs), len(e.args), f.usage)
	}
	return e, nil
}

// operand compiles an argument or the first word of a pipeline.
func operand(n parse.Node) (*expr, error) {
	switch n := n.(type) {
	case *parse.StringNode:
		return &expr{lit: n.Text}, nil
	case *parse.FieldNode:
		if err := checkField(n.Ident); err != nil {
			return nil, err
		}
		return &expr{field: n.Ident}, nil
	case *parse.PipeNode: // (parenthesized)
		return pipe(n)
	case *parse.IdentifierNode:
		return nil, fmt.Errorf("put the call to %s in parentheses to use it as an argument, e.g. %s", n.Ident, `{{default (lower .Env.USER) .Env.NAME}}`)
	case *parse.NumberNode, *parse.BoolNode:
		return nil, fmt.Errorf("only strings are supported; quote it: %q", n.String())
	case *parse.DotNode:
		return nil, fmt.Errorf(". is not a value; use a field: %s", knownFields)
	default: // variables, nil, (x).Field chains
		return nil, fmt.Errorf("%s is not supported; use fields (%s), \"quoted strings\" and the functions %s", n, knownFields, funcNames())
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
