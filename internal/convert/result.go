package convert

import (
	"fmt"
	"strings"
)

// Result is a converted file: packager.yaml text and what could not be
// carried over.
type Result struct {
	YAML     []byte
	Warnings []Warning
}

// Warning is something in the source that packager.yaml cannot say. Line is
// 1-based; 0 means the whole file.
type Warning struct {
	File string // "Dockerfile", ".ko.yaml", ...
	Line int
	Msg  string
}

func (w Warning) String() string {
	if w.Line == 0 {
		return fmt.Sprintf("%s: %s", w.File, w.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
}

// StrictError is returned by Result.Strict when there are warnings.
type StrictError struct{ Warnings []Warning }

func (e *StrictError) Error() string {
	lines := make([]string, len(e.Warnings))
	for i, w := range e.Warnings {
		lines[i] = w.String()
	}
	return fmt.Sprintf("%d instruction(s) cannot be converted (--strict):\n%s", len(e.Warnings), strings.Join(lines, "\n"))
}

// Strict returns a *StrictError listing every warning, or nil when there are
// none: what --strict turns warnings into.
func (r *Result) Strict() error {
	if len(r.Warnings) == 0 {
		return nil
	}
	return &StrictError{Warnings: r.Warnings}
}
