package render

import (
	"fmt"
	"slices"
	"strings"
)

// knownFields lists the fields for error messages.
const knownFields = ".Git.Tag, .Git.ShortCommit, .Git.Commit, .Git.Dirty, .Git.Branch, .Git.CommitDate, .Version, .Date, .Env.NAME"

// gitFields are the fields of .Git.
var gitFields = []string{"Tag", "ShortCommit", "Commit", "Dirty", "Branch", "CommitDate"}

// checkField rejects a field the data does not have, with the closest known
// one when only the case differs (.git.tag).
func checkField(ident []string) error {
	path := "." + strings.Join(ident, ".")
	switch {
	case len(ident) == 1 && (ident[0] == "Version" || ident[0] == "Date"):
		return nil
	case len(ident) == 2 && ident[0] == "Git" && slices.Contains(gitFields, ident[1]):
		return nil
	case len(ident) == 2 && ident[0] == "Env":
		return nil
	case path == ".Git":
		return fmt.Errorf(".Git is a group of fields; use one of .Git.%s", strings.Join(gitFields, ", .Git."))
	case path == ".Env":
		return fmt.Errorf(".Env is the environment; name a variable: .Env.NAME, e.g. %s", example)
	case ident[0] == "Env":
		return fmt.Errorf("unknown field %s: environment variables have no fields; use .Env.%s", path, ident[1])
	}
	if s := suggest(ident); s != "" {
		return fmt.Errorf("unknown field %s; did you mean %s? (field names are case-sensitive)", path, s)
	}
	return fmt.Errorf("unknown field %s; known fields: %s", path, knownFields)
}

// suggest returns the known field that equals ident but for case, or "".
func suggest(ident []string) string {
	if len(ident) == 2 && strings.EqualFold(ident[0], "Env") {
		return ".Env." + ident[1]
	}
	path := "." + strings.Join(ident, ".")
	for k := range strings.SplitSeq(knownFields, ", ") {
		if strings.EqualFold(k, path) {
			return k
		}
	}
	return ""
}

// EnvNames returns the environment variables text reads (.Env.NAME),
// sorted; none for text that is not a template or does not
// compile. A record of the build (provenance) keeps their values, so the
// build can be repeated with them.
func EnvNames(text string) []string {
	if !IsTemplate(text) {
		return nil
	}
	parts, errs := compile(text)
	if len(errs) > 0 {
		return nil
	}
	var names []string
	var walk func(e *expr)
	walk = func(e *expr) {
		if len(e.field) == 2 && e.field[0] == "Env" && !slices.Contains(names, e.field[1]) {
			names = append(names, e.field[1])
		}
		for _, a := range e.args {
			walk(a)
		}
	}
	for _, p := range parts {
		if p.expr != nil {
			walk(p.expr)
		}
	}
	slices.Sort(names)
	return names
}
