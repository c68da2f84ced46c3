package render

import (
	"slices"
	"strings"
)

// function is one template function. Arguments arrive in template order, the
// piped value last, as in text/template: {{.Git.Tag | trimprefix "v"}} calls
// trimprefix("v", tag).
type function struct {
	nargs int    // including the piped value
	usage string // an example, shown when it is called wrongly
	apply func(args []value) value
}

// funcs are all the functions a template may call. Keep the list short: each
// one is something users of tags, ldflags, labels and env actually need.
var funcs = map[string]function{
	"default": {2, `{{.Env.VERSION | default "dev"}}`, func(a []value) value {
		if a[1].err != nil {
			return a[1]
		}
		if a[1].missing != nil || a[1].s == "" {
			return a[0]
		}
		return a[1]
	}},
	"trimprefix": {2, `{{.Git.Tag | trimprefix "v"}}`, strs(func(a []string) string { return strings.TrimPrefix(a[1], a[0]) })},
	"replace":    {3, `{{.Env.BRANCH | replace "/" "-"}}`, replace},
	"lower":      {1, `{{.Env.USER | lower}}`, strs(func(a []string) string { return strings.ToLower(a[0]) })},
	"upper":      {1, `{{.Env.USER | upper}}`, strs(func(a []string) string { return strings.ToUpper(a[0]) })},
}

// strs lifts a function of strings to values: a missing argument makes the
// result missing, so that a later default can still replace it, as in
// {{.Env.BRANCH | lower | default "main"}}.
func strs(f func([]string) string) func([]value) value {
	return func(args []value) value {
		s := make([]string, len(args))
		for i, a := range args {
			if a.missing != nil || a.err != nil {
				return a
			}
			s[i] = a.s
		}
		return sized(f(s))
	}
}

// replace is strings.ReplaceAll, refused before it runs when the result
// would outgrow MaxOutput: a chain of them grows geometrically.
func replace(a []value) value {
	for _, v := range a {
		if v.missing != nil || v.err != nil {
			return v
		}
	}
	if replaceLen(a[2].s, a[0].s, a[1].s) > MaxOutput {
		return value{err: errTooLarge}
	}
	return value{s: strings.ReplaceAll(a[2].s, a[0].s, a[1].s)}
}

// sized is the value s, or errTooLarge when s is longer than MaxOutput.
func sized(s string) value {
	if len(s) > MaxOutput {
		return value{err: errTooLarge}
	}
	return value{s: s}
}

// funcNames lists the functions for error messages, sorted.
func funcNames() string {
	names := make([]string, 0, len(funcs))
	for n := range funcs {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
