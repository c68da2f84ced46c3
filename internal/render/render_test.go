package render

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

const name = "packager.yaml:12:7 tags[1]"

// tagged is a clean checkout at tag v1.2.3.
var tagged = &Git{
	Commit:      "93132b2931486a581a351f206eca25b18be39d9b",
	ShortCommit: "93132b2",
	Tag:         "v1.2.3",
	Describe:    "v1.2.3",
	Branch:      "release/1.2",
	CommitDate:  time.Date(2024, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
}

// untagged is a dirty checkout one commit after v1.2.3.
var untagged = &Git{
	Commit:      "abc1234def5678901234567890abcdef12345678",
	ShortCommit: "abc1234",
	Dirty:       true,
	Describe:    "v1.2.3-1-gabc1234-dirty",
}

var env = map[string]string{"VERSION": "2.0", "EMPTY": "", "BRANCH": "Feature/Login"}

var date = time.Date(2023, 11, 14, 22, 13, 20, 0, time.FixedZone("CET", 3600))

func TestRender(t *testing.T) {
	d := Data{Git: tagged, Env: env, Date: date}
	tests := []struct {
		text string
		d    Data
		want string
	}{
		{"latest", d, "latest"},
		{"}} not a template", d, "}} not a template"},
		{"{{.Git.Tag}}", d, "v1.2.3"},
		{"{{.Git.ShortCommit}}", d, "93132b2"},
		{"{{.Git.Commit}}", d, "93132b2931486a581a351f206eca25b18be39d9b"},
		{"{{.Git.Dirty}}", d, "false"},
		{"{{.Git.Dirty}}", Data{Git: untagged}, "true"},
		{"{{.Git.Branch}}", d, "release/1.2"},
		{`{{.Git.Branch | replace "/" "-"}}`, d, "release-1.2"},
		{`{{.Git.Branch | default "detached"}}`, Data{Git: untagged}, "detached"},
		{"{{.Git.CommitDate}}", d, "2024-06-01T10:00:00Z"},
		{"{{.Version}}", d, "1.2.3"},
		{"{{.Version}}", Data{Git: untagged}, "1.2.3-1-gabc1234-dirty"},
		{"{{.Version}}", Data{Git: &Git{Describe: "abc1234-dirty"}}, "abc1234-dirty"},
		{"{{.Version}}", Data{Git: &Git{Describe: "velvet"}}, "velvet"},
		{"{{.Date}}", d, "2023-11-14T21:13:20Z"},
		{"{{.Date}}", Data{Date: time.Unix(0, 0)}, "1970-01-01T00:00:00Z"},
		{"{{.Env.VERSION}}", d, "2.0"},
		{"{{.Env.EMPTY}}", d, ""},
		{"-X main.version={{.Version}} -X main.commit={{.Git.Commit}}", d,
			"-X main.version=1.2.3 -X main.commit=93132b2931486a581a351f206eca25b18be39d9b"},
		{"v{{ .Env.VERSION }}-{{.Git.ShortCommit}}", d, "v2.0-93132b2"},
		{"a {{- .Env.VERSION -}} b", d, "a2.0b"},

		// default: missing, empty, set; prefix form; after other functions.
		{`{{.Env.NOPE | default "dev"}}`, d, "dev"},
		{`{{.Env.EMPTY | default "dev"}}`, d, "dev"},
		{`{{.Env.VERSION | default "dev"}}`, d, "2.0"},
		{`{{default "dev" .Env.NOPE}}`, d, "dev"},
		{`{{.Env.NOPE | lower | replace "/" "-" | default "main"}}`, d, "main"},
		{`{{.Env.NOPE | default .Env.VERSION}}`, d, "2.0"},
		{`{{.Env.A | default .Env.B | default "x"}}`, d, "x"},
		{`{{.Git.Tag | default "dev"}}`, Data{Git: untagged}, "dev"},
		{`{{.Git.Tag | default .Git.ShortCommit}}`, Data{Git: untagged}, "abc1234"},
		{`{{.Git.Commit | default "unknown"}}`, Data{GitErr: errors.New("not a git repository")}, "unknown"},
		{`{{.Version | default "0.0.0"}}`, Data{}, "0.0.0"},

		// functions
		{`{{.Git.Tag | trimprefix "v"}}`, d, "1.2.3"},
		{`{{trimprefix "v" .Git.Tag}}`, d, "1.2.3"},
		{`{{.Env.BRANCH | replace "/" "-" | lower}}`, d, "feature-login"},
		{`{{.Env.BRANCH | upper}}`, d, "FEATURE/LOGIN"},
		{`{{lower (upper "x")}}`, d, "x"},
		{`{{"literal"}}`, d, "literal"},
		{"{{`raw`}}", d, "raw"},
		{`{{"{{"}}`, d, "{{"},
		{`{{/* a comment */}}x`, d, "x"},
	}
	for _, tt := range tests {
		got, err := Render(name, tt.text, tt.d)
		if err != nil {
			t.Errorf("Render(%q): %v", tt.text, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Render(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	noGit := Data{GitErr: errors.New("git rev-parse --verify -q HEAD^{commit} in /src: exit status 128: fatal: not a git repository (or any of the parent directories): .git")}
	d := Data{Git: tagged, Env: env}
	tests := []struct {
		text string
		d    Data
		want []string // the whole error, one line per problem
	}{
		{"{{.Env.NOPE}}", d, []string{
			name + `: {{.Env.NOPE}}: environment variable NOPE is not set; export it or give a default: {{.Env.NOPE | default "dev"}}`,
		}},
		{"{{.Env.NOPE | lower}}", d, []string{
			name + `: {{.Env.NOPE | lower}}: environment variable NOPE is not set; export it or give a default: {{.Env.NOPE | default "dev"}}`,
		}},
		{"{{.Git.Tag}}", Data{Git: untagged}, []string{
			name + `: {{.Git.Tag}}: HEAD (abc1234) has no tag; tag it (git tag v1.0.0) or give a default: {{.Git.Tag | default "dev"}}`,
		}},
		{"{{.Git.Commit}}", noGit, []string{
			name + `: {{.Git.Commit}}: no git information: git rev-parse --verify -q HEAD^{commit} in /src: exit status 128: fatal: not a git repository (or any of the parent directories): .git; run packager inside a git checkout or give a default: {{.Git.Commit | default "dev"}}`,
		}},
		{"{{.Version}}", Data{}, []string{
			name + `: {{.Version}}: no git information was collected; run packager inside a git checkout or give a default: {{.Version | default "dev"}}`,
		}},
		{"{{.Env.A}}-{{.Env.B}}", d, []string{ // every problem, in order
			name + `: {{.Env.A}}: environment variable A is not set; export it or give a default: {{.Env.A | default "dev"}}`,
			name + `: {{.Env.B}}: environment variable B is not set; export it or give a default: {{.Env.B | default "dev"}}`,
		}},
		{"{{.Git.Branch}}", Data{Git: untagged}, []string{
			name + `: {{.Git.Branch}}: HEAD (abc1234) is not on a branch (detached); check out a branch or give a default: {{.Git.Branch | default "dev"}}`,
		}},
		{"{{.Git.Brnch}}", d, []string{
			name + `: {{.Git.Brnch}}: unknown field .Git.Brnch; known fields: .Git.Tag, .Git.ShortCommit, .Git.Commit, .Git.Dirty, .Git.Branch, .Git.CommitDate, .Version, .Date, .Env.NAME`,
		}},
		{"{{.git.tag}}", d, []string{
			name + `: {{.git.tag}}: unknown field .git.tag; did you mean .Git.Tag? (field names are case-sensitive)`,
		}},
		{"{{.Env.X}", d, []string{
			name + `: invalid template "{{.Env.X}": bad character U+007D '}'; close every {{ with }}, e.g. {{.Env.VERSION | default "dev"}}`,
		}},
		{"{{.Env.VERSION | printf}}", d, []string{
			name + `: invalid template "{{.Env.VERSION | printf}}": function "printf" not defined; the functions are default, lower, replace, trimprefix, upper`,
		}},
		{`{{.Env.X | default}}`, d, []string{
			name + `: {{.Env.X | default}}: default takes 2 arguments, counting the value piped into it, not 1; e.g. {{.Env.VERSION | default "dev"}}`,
		}},
	}
	for _, tt := range tests {
		got, err := Render(name, tt.text, tt.d)
		if err == nil {
			t.Errorf("Render(%q) = %q, want an error", tt.text, got)
			continue
		}
		if want := strings.Join(tt.want, "\n"); err.Error() != want {
			t.Errorf("Render(%q) error:\n got: %v\nwant: %s", tt.text, err, want)
		}
	}
}

func TestEnvNames(t *testing.T) {
	for text, want := range map[string][]string{
		"latest":                                  nil,
		"{{.Git.Tag}}-{{.Env.A}}":                 {"A"},
		`{{.Env.B | default .Env.A}}{{.Env.B}}`:   {"A", "B"},
		`{{default (lower .Env.USER) .Env.NAME}}`: {"NAME", "USER"},
		"{{.Env.X":                                nil,
	} {
		if got := EnvNames(text); !slices.Equal(got, want) {
			t.Errorf("EnvNames(%q) = %q, want %q", text, got, want)
		}
	}
}
