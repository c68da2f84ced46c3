package provenance

import (
	"fmt"
	"time"

	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// Check reports whether stmt is provenance a packager build wrote about
// digest ("sha256:..."): an in-toto Statement v1 with a SLSA Provenance v1
// predicate of packager's build type, digest among its subjects. A kept
// statement is re-signed only when it is. It returns when that build
// finished, to choose among several as packager verify does (the last).
func Check(stmt []byte, digest string) (finished time.Time, err error) {
	var st intoto.Statement
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(stmt, &st); err != nil {
		return finished, fmt.Errorf("not an in-toto statement: %w", err)
	}
	if err := st.Validate(); err != nil {
		return finished, err
	}
	if st.PredicateType != PredicateType {
		return finished, fmt.Errorf("predicate type %q, want %q", st.PredicateType, PredicateType)
	}
	pred := st.Predicate.AsMap()
	def, _ := pred["buildDefinition"].(map[string]any)
	if bt, _ := def["buildType"].(string); bt != BuildType {
		return finished, fmt.Errorf("build type %q is not packager's", bt)
	}
	run, _ := pred["runDetails"].(map[string]any)
	meta, _ := run["metadata"].(map[string]any)
	if s, ok := meta["finishedOn"].(string); ok {
		finished, _ = time.Parse(time.RFC3339Nano, s)
	}
	want, err := digestMap(digest)
	if err != nil {
		return finished, err
	}
	for _, s := range st.Subject {
		for alg, hex := range want {
			if s.Digest[alg] == hex {
				return finished, nil
			}
		}
	}
	return finished, fmt.Errorf("not about %s", digest)
}
