package render

import "testing"

func TestCIBranch(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"not CI", map[string]string{"GITHUB_REF_NAME": "main"}, ""},
		{"GitHub push to a branch", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_REF_TYPE": "branch", "GITHUB_REF_NAME": "main"}, "main"},
		{"GitHub tag", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "v1.0.0"}, ""},
		{"GitHub pull request", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_REF_TYPE": "branch", "GITHUB_REF_NAME": "12/merge", "GITHUB_HEAD_REF": "feature/x"}, "feature/x"},
		{"GitLab branch", map[string]string{"GITLAB_CI": "true", "CI_COMMIT_BRANCH": "main", "CI_COMMIT_REF_NAME": "main"}, "main"},
		{"GitLab merge request", map[string]string{"GITLAB_CI": "true", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "fix/y"}, "fix/y"},
		{"GitLab tag", map[string]string{"GITLAB_CI": "true", "CI_COMMIT_TAG": "v1", "CI_COMMIT_REF_NAME": "v1"}, ""},
	}
	for _, tt := range tests {
		if got := CIBranch(tt.env); got != tt.want {
			t.Errorf("%s: CIBranch = %q, want %q", tt.name, got, tt.want)
		}
	}
}
