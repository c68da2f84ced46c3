package render

import (
	"strings"
	"testing"
)

// FuzzRender checks that no template makes Check or Render panic, that
// Render never returns more than MaxOutput or a NUL, and that a template
// Check accepts renders unless a value is missing or a field is longer
// than Check assumed.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"latest",
		"{{.Git.Tag}}-{{.Git.ShortCommit}}",
		`{{.Env.VERSION | default "dev"}}`,
		`{{.Env.BRANCH | replace "/" "-" | lower}}`,
		`{{default (lower .Env.USER) .Env.NAME}}`,
		chain(3),
		chain(9),
		`{{.Env.X | replace "" "abc" | replace "" "abc"}}`,
		`{{"a\x00"}}`,
		"{{if .X}}{{end}}",
		"{{.Env.X",
		`{{define "x"}}y{{end}}`,
		"{{/* c */}}{{- .Version -}}",
	} {
		f.Add(seed, "short")
	}
	f.Fuzz(func(t *testing.T, text, envValue string) {
		d := Data{Git: tagged, Env: map[string]string{"VERSION": envValue, "BRANCH": envValue, "X": envValue}}
		checkErr := Check(name, text)
		out, err := Render(name, text, d)
		if err != nil {
			if !strings.HasPrefix(err.Error(), name+": ") {
				t.Errorf("Render error %q does not start with the name", err)
			}
			return
		}
		if IsTemplate(text) && len(out) > MaxOutput || strings.ContainsRune(out, 0) {
			t.Errorf("Render(%q) = %d bytes (NUL: %v), want at most %d and no NUL", text, len(out), strings.ContainsRune(out, 0), MaxOutput)
		}
		if checkErr != nil && len(envValue) <= assumedField && !strings.Contains(checkErr.Error(), "64 KiB") {
			t.Errorf("Check(%q) = %v, but Render accepts it", text, checkErr)
		}
	})
}
