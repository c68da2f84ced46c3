// Package render expands the templates allowed in packager.yaml values
// (tags, ldflags, labels, env), such as
//
//	tags: [latest, "{{.Git.Tag}}", "{{.Git.ShortCommit}}"]
//	ldflags: ["-X main.version={{.Version}}"]
//	env: {VERSION: '{{.Env.VERSION | default "dev"}}'}
//
// It has no side effects: GitInfo runs git once, the caller adds the
// environment and the date to a Data, and Render is a pure function of its
// arguments, so the same Data always gives the same output. It never reads
// the process environment and never prints.
//
// # The language
//
// Templates use Go's template syntax ({{ }}, "|", parentheses, {{- -}}),
// parsed by text/template/parse, but only a small part of it: literal text and
// actions made of fields, "quoted strings" and these functions.
//
//	.Git.Tag          the tag at HEAD (git describe --tags --exact-match); missing when HEAD has none
//	.Git.ShortCommit  the first 7 hex digits of HEAD's hash (always 7, for stable tags)
//	.Git.Commit       HEAD's full hash
//	.Git.Dirty        "true" when tracked files differ from HEAD, else "false"
//	.Git.Branch       the branch HEAD is on; missing on a detached HEAD (the caller may
//	                  fill Git.Branch from CI variables first, see CIBranch)
//	.Git.CommitDate   HEAD's committer time in RFC 3339, UTC: "2024-01-02T03:04:05Z"
//	.Version          git describe --tags --always, hash shortened to 7, "-dirty" appended when
//	                  dirty, and a leading "v" before a digit removed:
//	                  "1.2.3", "1.2.3-4-gabc1234", "abc1234-dirty"
//	.Env.NAME         environment variable NAME; missing when unset (set but empty is "")
//	.Date             Data.Date in RFC 3339, UTC: "2024-05-01T12:00:00Z"
//
//	default D X       X, or D when X is missing or empty: {{.Env.VERSION | default "dev"}}
//	trimprefix P S    S without the prefix P: {{.Git.Tag | trimprefix "v"}}
//	replace O N S     S with every O replaced by N: {{.Env.BRANCH | replace "/" "-"}}
//	lower S, upper S  S in lower or upper case
//
// As in Go templates, a value piped with "|" becomes the last argument. The
// .Git fields and .Version are missing when Data.Git is nil (not a checkout).
// if, range, with, variables, define/template and Go's built-in functions
// (printf, index, ...) are rejected with an error that says what to write.
//
// # Missing values
//
// A missing value is an error that says how to provide it, e.g.
//
//	packager.yaml:12:7 tags[1]: {{.Env.VERSION}}: environment variable VERSION is not set;
//	export it or give a default: {{.Env.VERSION | default "dev"}}
//
// unless a default replaces it. text/template cannot carry "missing" through
// a pipeline to a default (a map lookup yields an empty string or aborts), so
// the package does not execute templates with text/template. Instead compile
// turns the parse tree into a tiny expression tree (string, field, call) and
// eval computes a value that is either a string or a *missing reason. Functions
// pass a missing argument through, so {{.Env.X | lower | default "x"}} works,
// and default replaces it. Rejecting control structures is what makes this
// exact: with no if or with, every value either reaches a default or is printed.
//
// # Bounded output
//
// No value may grow past MaxOutput (64 KiB), neither the result nor any step
// of a pipeline: replace is refused before it runs when its result would be
// larger, so a chain of replace calls that would grow geometrically fails
// at once instead of rendering for minutes into gigabytes. A NUL character
// in the result is an error too.
//
// Check runs the same compile step without Data, for `packager validate`,
// and bounds the output assuming each field of unknown length (.Git.Tag,
// .Version, .Env.NAME) is at most 256 bytes: a template that passes Check
// fails Render only for missing values or for fields longer than that.
package render
