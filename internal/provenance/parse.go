package provenance

import (
	"fmt"

	slsa "github.com/in-toto/attestation/go/predicates/provenance/v1"
	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// Parse reads stmt with in-toto's own types, as a consumer of it would:
// an in-toto Statement v1 and its SLSA Provenance v1 predicate, both
// validated.
func Parse(stmt []byte) (*intoto.Statement, *slsa.Provenance, error) {
	var st intoto.Statement
	if err := protojson.Unmarshal(stmt, &st); err != nil {
		return nil, nil, fmt.Errorf("not an in-toto statement: %w", err)
	}
	if err := st.Validate(); err != nil {
		return nil, nil, err
	}
	raw, err := protojson.Marshal(st.Predicate)
	if err != nil {
		return nil, nil, err
	}
	var p slsa.Provenance
	if err := protojson.Unmarshal(raw, &p); err != nil {
		return nil, nil, fmt.Errorf("not a SLSA provenance v1 predicate: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	return &st, &p, nil
}
