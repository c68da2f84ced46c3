package verify

import (
	"testing"

	"github.com/packager-dev/packager/internal/provenance"
)

// FuzzParse: a provenance document comes from a registry, which may send
// anything. Parse never panics, and Check of what it accepts never panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"r","digest":{"sha256":"ab"}}],` +
		`"predicateType":"` + provenance.PredicateType + `","predicate":{"buildDefinition":{"buildType":"` + provenance.BuildType + `",` +
		`"externalParameters":{"packages":["./cmd/a"],"platforms":["linux/amd64"]},"resolvedDependencies":[{"uri":"git+https://x","digest":{"gitCommit":"abc"}}]}}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"subject":[{"digest":{"sha256":""}}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			return
		}
		_ = p.Check(Local{Commit: "abc", GoVersion: "go1.26.0", ConfigDigest: "sha256:00"})
	})
}
