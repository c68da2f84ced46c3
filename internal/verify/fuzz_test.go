package verify

import (
	"strings"
	"testing"

	"github.com/packager-dev/packager/internal/provenance"
)

// FuzzParse: a provenance document comes from a registry, which may send
// anything. Parse never panics, and Check of what it accepts never panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"r","digest":{"sha256":"ab"}}],` +
		`"predicateType":"` + provenance.PredicateType + `","predicate":{"buildDefinition":{"buildType":"` + provenance.BuildType + `",` +
		`"externalParameters":{"packages":["./cmd/a"],"platforms":["linux/amd64"]},"resolvedDependencies":[{"uri":"git+https://x","digest":{"gitCommit":"abc"}}]}}}`))
	f.Add([]byte(`{"subject":[{"name":"r","digest":{"sha256":"ab"}}],"predicateType":"` + provenance.PredicateType + `",` +
		`"predicate":{"buildDefinition":{"buildType":"` + provenance.BuildType + `","externalParameters":{"packages":["."],"platforms":["linux/amd64"],` +
		`"flags":{"base":"scratch","user":"1","ldflags":["-s -X main.v=1","-X=a=b"],"labels":{"k":"v"},"annotations":{"a":"b"}}},` +
		`"resolvedDependencies":[{"uri":"git+https://x","digest":{"gitCommit":"abc"}}]}}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"subject":[{"digest":{"sha256":""}}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			return
		}
		if p.Check(Local{Commit: p.Commit, GoVersion: p.GoVersion, ConfigDigest: p.ConfigDigest}) != nil {
			return
		}
		// What a rebuild would hand the linker: no flag but -s, -w and -X.
		for _, l := range p.Flags.Ldflags {
			if strings.ContainsAny(l, `"'\`) {
				t.Fatalf("ldflags %q with quotes accepted", l)
			}
			for _, w := range strings.Fields(l) {
				if strings.HasPrefix(w, "-") && w != "-s" && w != "-w" && w != "-X" && !strings.HasPrefix(w, "-X=") {
					t.Fatalf("ldflags %q accepted, with %q", l, w)
				}
			}
		}
	})
}
