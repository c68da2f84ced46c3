package pipeline

import (
	"slices"
	"testing"
)

// refs puts the known references back among the pushed ones, in the
// attestation's order: referrers first, then the tagged images.
func TestAttachPlanRefs(t *testing.T) {
	p := attachPlan{known: []string{"", "r@sha256:kept", ""}}
	got, err := p.refs([]string{"r@sha256:a", "r@sha256:b", "r:sha256-x.att@sha256:c"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"r@sha256:a", "r@sha256:kept", "r@sha256:b", "r:sha256-x.att@sha256:c"}
	if !slices.Equal(got, want) {
		t.Errorf("refs = %v, want %v", got, want)
	}
	if _, err := p.refs([]string{"r@sha256:a"}); err == nil {
		t.Error("fewer pushed references than attachments left to push: no error")
	}
}
