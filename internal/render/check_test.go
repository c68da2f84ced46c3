package render

import (
	"strings"
	"testing"
)

func TestCheckValid(t *testing.T) {
	for _, text := range []string{
		"latest",
		"",
		"{{.Git.Tag}}-{{.Git.ShortCommit}}-{{.Git.Commit}}-{{.Git.Dirty}}",
		"{{.Version}} {{.Date}} {{.Env.ANY_NAME}}",
		`{{.Env.VERSION | default "dev"}}`, // missing values are not Check's business
		`{{.Git.Tag | trimprefix "v" | replace "." "-" | lower | upper}}`,
		`{{default (lower .Env.USER) .Env.NAME}}`,
	} {
		if err := Check(name, text); err != nil {
			t.Errorf("Check(%q): %v", text, err)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		text string
		want string // a substring of the error, after the name
	}{
		{"{{.Git.Brnch}}", "{{.Git.Brnch}}: unknown field .Git.Brnch; known fields: .Git.Tag,"},
		{"{{.git.commitdate}}", "did you mean .Git.CommitDate?"},
		{"{{.Foo}}", "unknown field .Foo; known fields:"},
		{"{{.version}}", "unknown field .version; did you mean .Version?"},
		{"{{.ENV.HOME}}", "unknown field .ENV.HOME; did you mean .Env.HOME?"},
		{"{{.Git}}", ".Git is a group of fields; use one of .Git.Tag, .Git.ShortCommit, .Git.Commit, .Git.Dirty, .Git.Branch, .Git.CommitDate"},
		{"{{.Env}}", ".Env is the environment; name a variable: .Env.NAME"},
		{"{{.Env.HOME.X}}", "unknown field .Env.HOME.X: environment variables have no fields; use .Env.HOME"},
		{"{{.}}", ". is not a value; use a field:"},
		{"{{.Env.X", "unclosed action; close every {{ with }}"},
		{"{{printf \"%s\" .Env.X}}", `function "printf" not defined; the functions are default, lower, replace, trimprefix, upper`},
		{"{{nope}}", `function "nope" not defined`},
		{"{{if .Env.CI}}ci{{end}}", "{{if .Env.CI}}ci{{end}}: if, range, with and template are not supported"},
		{"{{range .Env}}x{{end}}", "if, range, with and template are not supported"},
		{"{{with .Env.X}}x{{end}}", "if, range, with and template are not supported"},
		{`{{define "x"}}y{{end}}`, "{{define}} and {{block}} are not supported"},
		{"{{$v := .Env.X}}", "variables are not supported"},
		{"{{$.Env.X}}", "$.Env.X is not supported; use fields"},
		{"{{(.Git).Tag}}", "(.Git).Tag is not supported"},
		{"{{nil}}", "nil is not supported"},
		{"{{1}}", `{{1}}: only strings are supported; quote it: "1"`},
		{"{{true}}", `{{true}}: only strings are supported; quote it: "true"`},
		{`{{.Env.X "a"}}`, `.Env.X takes no arguments; to call a function write it first: {{default "dev" .Env.VERSION}}`},
		{`{{"a" | .Env.X}}`, `only a function can follow |, not .Env.X`},
		{`{{default lower .Env.X}}`, "put the call to lower in parentheses to use it as an argument"},
		{`{{lower}}`, "lower takes 1 argument, counting the value piped into it, not 0; e.g. {{.Env.USER | lower}}"},
		{`{{.Env.X | upper "a"}}`, "upper takes 1 argument, counting the value piped into it, not 2"},
		{`{{.Env.X | replace "/"}}`, `replace takes 3 arguments, counting the value piped into it, not 2; e.g. {{.Env.BRANCH | replace "/" "-"}}`},
		{`{{trimprefix .Git.Tag}}`, `trimprefix takes 2 arguments, counting the value piped into it, not 1; e.g. {{.Git.Tag | trimprefix "v"}}`},
		{`{{default "x" "y" .Env.X}}`, "default takes 2 arguments, counting the value piped into it, not 3"},
		{"line1\n{{.Env.X | nope}}", `line 2: function "nope" not defined`},
	}
	for _, tt := range tests {
		err := Check(name, tt.text)
		if err == nil {
			t.Errorf("Check(%q) = nil, want an error containing %q", tt.text, tt.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), name+": ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Check(%q) = %v\nwant %q: ...%s...", tt.text, err, name, tt.want)
		}
	}
}

// TestCheckAll: Check reports every bad action at once, each with the name.
func TestCheckAll(t *testing.T) {
	err := Check(name, "{{.Foo}}-{{.Git.Tag}}-{{.Bar}}")
	want := name + ": {{.Foo}}: unknown field .Foo; known fields: " + knownFields + "\n" +
		name + ": {{.Bar}}: unknown field .Bar; known fields: " + knownFields
	if err == nil || err.Error() != want {
		t.Errorf("Check = %v\nwant %s", err, want)
	}
}

// TestCheckMatchesRender: whatever Render accepts, Check accepts, and what
// Check rejects, Render rejects with the same error.
func TestCheckMatchesRender(t *testing.T) {
	d := Data{Git: tagged, Env: env}
	for _, text := range []string{"{{.Git.Tag}}", `{{.Env.X | default "a"}}`, "{{.Git.Branch}}", "{{.Git.Brnch}}", "{{if .X}}{{end}}", "{{.X"} {
		_, rerr := Render(name, text, d)
		cerr := Check(name, text)
		if (rerr == nil) != (cerr == nil) || rerr != nil && rerr.Error() != cerr.Error() {
			t.Errorf("%q: Render error %v, Check error %v", text, rerr, cerr)
		}
	}
}
