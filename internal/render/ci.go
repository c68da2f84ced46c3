package render

// CIBranch returns the branch a CI job builds, from the CI system's
// variables in env (the caller's environment, as a map: this package never
// reads the process environment), or "" when env names none. CI systems
// usually check out a detached HEAD, so GitInfo finds no branch there; the
// caller fills an empty Git.Branch with this.
//
//   - GitHub Actions: GITHUB_HEAD_REF on pull requests (the source branch;
//     GITHUB_REF_NAME is then "123/merge"), else GITHUB_REF_NAME when
//     GITHUB_REF_TYPE is "branch" (not for a tag).
//   - GitLab CI: CI_COMMIT_BRANCH, or CI_MERGE_REQUEST_SOURCE_BRANCH_NAME in
//     a merge request pipeline.
func CIBranch(env map[string]string) string {
	switch {
	case env["GITHUB_ACTIONS"] == "true":
		if b := env["GITHUB_HEAD_REF"]; b != "" {
			return b
		}
		if env["GITHUB_REF_TYPE"] == "branch" {
			return env["GITHUB_REF_NAME"]
		}
	case env["GITLAB_CI"] == "true":
		if b := env["CI_COMMIT_BRANCH"]; b != "" {
			return b
		}
		return env["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"]
	}
	return ""
}
