package pipeline

import (
	"testing"
	"time"

	"github.com/packager-dev/packager/internal/render"
)

// The standard OCI labels fill in what git and SOURCE_DATE_EPOCH tell,
// and never replace a value the user wrote.
func TestStandardLabelsNeverOverrideTheUsers(t *testing.T) {
	r := &renderer{created: time.Unix(1700000000, 0), haveEpoch: true}
	out := rendered{
		labels:      map[string]string{annSource: "https://example.com/mine", "team": "payments"},
		annotations: map[string]string{annRevision: "my-revision"},
	}
	r.addStandardLabels(&out, &render.Git{Commit: "abc123", Source: "https://github.com/acme/app", Tag: "v1.2.3"})
	want := map[string]string{
		annSource: "https://example.com/mine", "team": "payments",
		annRevision: "abc123", annVersion: "v1.2.3", annCreated: "2023-11-14T22:13:20Z",
	}
	for k, v := range want {
		if out.labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, out.labels[k], v)
		}
	}
	if out.annotations[annRevision] != "my-revision" || out.annotations[annSource] != "https://github.com/acme/app" {
		t.Errorf("annotations %v", out.annotations)
	}
}

// Without SOURCE_DATE_EPOCH the created time is the epoch, which says
// nothing, so no created label is written.
func TestNoCreatedLabelWithoutEpoch(t *testing.T) {
	r := &renderer{created: time.Unix(0, 0)}
	var out rendered
	r.addStandardLabels(&out, nil)
	if out.labels != nil || out.annotations != nil {
		t.Errorf("labels %v annotations %v, want none", out.labels, out.annotations)
	}
}

// The created time: SOURCE_DATE_EPOCH wins, then HEAD's commit time, then
// the epoch (which is not worth a label).
func TestCreatedFor(t *testing.T) {
	commit := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	g := &render.Git{Commit: "abc", CommitDate: commit}
	for _, tc := range []struct {
		r      *renderer
		g      *render.Git
		want   time.Time
		wantOK bool
	}{
		{&renderer{created: time.Unix(1700000000, 0), haveEpoch: true}, g, time.Unix(1700000000, 0), true},
		{&renderer{created: time.Unix(0, 0)}, g, commit, true},
		{&renderer{created: time.Unix(0, 0)}, nil, time.Unix(0, 0), false},
	} {
		got, ok := tc.r.createdFor(tc.g)
		if !got.Equal(tc.want) || ok != tc.wantOK {
			t.Errorf("createdFor(%+v) with epoch %v = %v, %v; want %v, %v", tc.g, tc.r.haveEpoch, got, ok, tc.want, tc.wantOK)
		}
	}
}
