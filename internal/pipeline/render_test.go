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
