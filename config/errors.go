package config

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Pos is a position in packager.yaml.
type Pos struct{ Line, Col int }

// Error is one problem in the configuration. Source is the file name (e.g. "packager.yaml") or, for a CLI
// override, the flag name (e.g. "--platform"); Line/Col are 0 for flags.
type Error struct {
	Source    string
	Line, Col int
	Field     string // dotted path, e.g. "images[1].platforms"
	Msg       string // says what is wrong AND what to write instead
}

// Error formats the problem like a compiler would, so editors can jump to it:
// "packager.yaml:3:5: images[0].user: ..." or "--platform: ...".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// joinErrors sorts problems by position, drops exact duplicates (a bad value in
// defaults: would otherwise be reported once per image) and joins them, so the
// user sees every problem at once and in reading order. It returns nil for none.
func joinErrors(list []*Error) error {
	if len(list) == 0 {
		return nil
	}
	slices.SortStableFunc(list, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Source, b.Source),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	list = slices.CompactFunc(list, func(a, b *Error) bool { return *a == *b })
	errs := make([]error, len(list))
	for i, e := range list {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// yamlLine matches the position prefix yaml.v3 puts on syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into an *Error that points at the line
// yaml reports. yaml.v3 gives no column, so Col stays 0.
func syntaxError(source string, data []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	hint := "fix the YAML syntax (check indentation, colons and quoting)"
	if strings.Contains(string(data), "\t") {
		// The most common cause of a confusing YAML error: tabs are not indentation in YAML.
		hint = "YAML does not allow tabs for indentation; indent with spaces"
	}
	return &Error{Source: source, Line: line, Msg: "invalid YAML: " + msg + "; " + hint}
}
