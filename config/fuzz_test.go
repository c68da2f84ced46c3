package config

import "testing"

// FuzzParse checks that no input makes Parse or Targets panic, and that a
// failed Parse always explains itself with *Error values.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		fullFile,
		selectFile,
		"",
		"images:\n  - main: .\n",
		"defaults: {tags: &x [v1]}\nimages: [{main: ./a, tags: *x}]\n",
		"images:\n\t- main: ./a\n",
		"platforms: [linux/amd46]\nbase: statik\nimages: [{main: ./a, cgo: true}]\n",
		"repo: a\n---\nrepo: b\n",
		runtimeFile,
		"platforms: [all]\nimages: [{binaries: [{main: ./a}, {main: ./b, path: /x}], ports: [70000], files: [{src: ., dst: ../etc, mode: 0644, uid: 1}]}]\n",
		"defaults: {healthcheck: {test: [], interval: x, retries: -1}, labels: {v: '{{.Git.Tag}}'}}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("packager.yaml", "/src", data)
		if err != nil {
			problems(t, err) // fails unless every problem is an *Error
			return
		}
		_, err = file.Targets(Overrides{Packages: []string{"./cmd/x"}})
		problems(t, err)
		_, err = file.Targets(Overrides{})
		problems(t, err)
	})
}
