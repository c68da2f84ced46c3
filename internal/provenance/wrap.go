package provenance

import (
	"fmt"

	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

// Wrap returns an in-toto Statement v1 about subjects whose predicate is
// the JSON object predicate, of type predicateType. It is how an SBOM is
// attested (cosign's --type spdxjson is "https://spdx.dev/Document").
func Wrap(subjects []Subject, predicateType string, predicate []byte) ([]byte, error) {
	subs, err := subjectsOf(subjects)
	if err != nil {
		return nil, err
	}
	var pred structpb.Struct
	if err := protojson.Unmarshal(predicate, &pred); err != nil {
		return nil, fmt.Errorf("%s predicate is not a JSON object: %w", predicateType, err)
	}
	st := &intoto.Statement{Type: intoto.StatementTypeUri, Subject: subs, PredicateType: predicateType, Predicate: &pred}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("%s statement: %w", predicateType, err)
	}
	raw, err := protojson.Marshal(st)
	if err != nil {
		return nil, err
	}
	return canonical(raw)
}
