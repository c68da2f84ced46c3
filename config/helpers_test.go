package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// problems returns the *Error values joined in err, in order.
func problems(t *testing.T, err error) []*Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]*Error, 0, len(list))
	for _, e := range list {
		var ce *Error
		if !errors.As(e, &ce) {
			t.Fatalf("error %q is not a *config.Error", e)
		}
		out = append(out, ce)
	}
	return out
}

// want is one expected problem: the exact "source:line:col: field:" prefix of
// its message and a fragment of the rest.
type want struct{ prefix, fragment string }

// checkProblems asserts that err holds exactly the wanted problems, in order.
func checkProblems(t *testing.T, err error, wants []want) {
	t.Helper()
	got := problems(t, err)
	if len(got) != len(wants) {
		t.Fatalf("got %d problems, want %d:\n%v", len(got), len(wants), err)
	}
	for i, w := range wants {
		s := got[i].Error()
		if !strings.HasPrefix(s, w.prefix) || !strings.Contains(strings.TrimPrefix(s, w.prefix), w.fragment) {
			t.Errorf("problem %d = %q\nwant prefix %q and fragment %q", i, s, w.prefix, w.fragment)
		}
	}
}

// mustParse parses data as packager.yaml in baseDir and fails the test on error.
func mustParse(t *testing.T, baseDir, data string) *File {
	t.Helper()
	f, err := Parse("packager.yaml", baseDir, []byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

// withoutAt returns copies of targets with At cleared, for tests about other
// fields.
func withoutAt(targets []Target) []Target {
	out := slices.Clone(targets)
	for i := range out {
		out[i].At, out[i].Entry = nil, "" // positions; see TestTargetsAt, TestTargetsEntry
	}
	return out
}
