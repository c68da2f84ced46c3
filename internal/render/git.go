package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Git is what packager knows about the checkout it builds from: raw facts,
// collected once by GitInfo and passed to every Render.
type Git struct {
	Commit      string // full hash of HEAD
	ShortCommit string // the first 7 hex digits of Commit
	Tag         string // the tag at HEAD, as `git describe --tags --exact-match`; "" when HEAD has none
	Dirty       bool   // tracked files differ from HEAD (`git status --porcelain --untracked-files=no`)
	// Describe is `git describe --tags --always`, with the hash shortened to
	// 7 digits and "-dirty" appended when Dirty: "v1.2.3", "v1.2.3-4-gabc1234",
	// "abc1234-dirty". {{.Version}} is Describe without a leading "v".
	Describe string
	// Source is the web address of remote "origin" (git@github.com:o/r.git
	// becomes https://github.com/o/r), "" without one: for the
	// org.opencontainers.image.source label.
	Source string
	// Branch is the branch HEAD is on (`git symbolic-ref --short HEAD`), ""
	// on a detached HEAD. CI systems often check out detached and say the
	// branch only in their environment; GitInfo never reads the
	// environment, so the caller fills an empty Branch from it, e.g. with
	// [CIBranch].
	Branch string
	// CommitDate is HEAD's committer time, in UTC: the time the commit was
	// made (or last rebased), the same in every clone.
	CommitDate time.Time
}

// shortLen is the length of ShortCommit and of the hash in Describe. It is
// fixed, not git's "shortest unambiguous" abbreviation, which grows with the
// number of objects and would make a shallow CI clone and a full clone of the
// same commit render different tags.
const shortLen = 7

// describeLong matches describe's "<tag>-<n>-g<hash>" form for a commit
// after the tag.
var describeLong = regexp.MustCompile(`^(.*)-([0-9]+)-g([0-9a-f]+)$`)

// GitInfo runs git in dir (or any directory inside a checkout) and returns
// the facts about HEAD. env is the complete environment for git; the caller
// passes os.Environ() (nil gives git an empty environment). GitInfo only reads: it runs git with
// --no-optional-locks so that git status does not rewrite the index.
func GitInfo(ctx context.Context, dir string, env []string) (*Git, error) {
	return gitInfo(ctx, dir, env, true)
}

// GitInfoClean is GitInfo without `git status`, the one question that reads
// the whole work tree: Dirty is false and Describe has no "-dirty". Use it
// when no template asks for .Git.Dirty or .Version (see [NeedsStatus]).
func GitInfoClean(ctx context.Context, dir string, env []string) (*Git, error) {
	return gitInfo(ctx, dir, env, false)
}

// NeedsStatus reports whether a template refers to what only `git status`
// tells: .Git.Dirty, or .Version (which ends in -dirty).
func NeedsStatus(text string) bool {
	return IsTemplate(text) && (strings.Contains(text, "Dirty") || strings.Contains(text, "Version"))
}

func gitInfo(ctx context.Context, dir string, env []string, withStatus bool) (*Git, error) {
	// The questions are independent, so they run at once: GitInfo sits
	// on the path of every build, and each git process costs milliseconds.
	type answer struct {
		out string
		err error
	}
	questions := [][]string{
		// -q --verify: exit 1 and no output when HEAD has no commit yet, 128
		// (with git's message) when dir is not in a repository at all.
		{"rev-parse", "--verify", "-q", "HEAD^{commit}"},
		// One describe call gives both the tag at HEAD and the version: with
		// the full hash requested, its output is either the bare hash (no tag
		// reachable), "<tag>-<n>-g<hash>" (commits after a tag) or exactly the
		// tag at HEAD, chosen as --exact-match would choose it.
		{"describe", "--tags", "--always", "--abbrev=40", "HEAD"},
		{"--no-optional-locks", "status", "--porcelain", "--untracked-files=no"},
		{"config", "--get", "remote.origin.url"},
		// -q: exit 1 and no output on a detached HEAD.
		{"symbolic-ref", "-q", "--short", "HEAD"},
		{"show", "-s", "--format=%ct", "HEAD"},
	}
	if !withStatus {
		questions[2] = nil
	}
	answers := make([]answer, len(questions))
	var wg sync.WaitGroup
	for i, q := range questions {
		if q == nil {
			continue
		}
		wg.Go(func() {
			answers[i].out, answers[i].err = git(ctx, dir, env, q...)
		})
	}
	wg.Wait()
	commit, err := answers[0].out, answers[0].err
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 1 {
			return nil, fmt.Errorf("the git repository at %s has no commits yet; commit first (git commit)", dir)
		}
		return nil, err
	}
	if len(commit) < shortLen {
		return nil, fmt.Errorf("git rev-parse HEAD in %s: unexpected output %q", dir, commit)
	}
	desc, status := answers[1].out, answers[2].out
	for _, a := range answers[1:3] {
		if a.err != nil {
			return nil, a.err
		}
	}
	g := &Git{Commit: commit, ShortCommit: commit[:shortLen], Dirty: status != ""}
	switch m := describeLong.FindStringSubmatch(desc); {
	case len(desc) >= 40 && strings.HasPrefix(commit, desc):
		g.Describe = g.ShortCommit
	case m != nil && len(m[3]) >= 40 && strings.HasPrefix(commit, m[3]):
		g.Describe = m[1] + "-" + m[2] + "-g" + g.ShortCommit
	default:
		g.Tag, g.Describe = desc, desc
	}
	if g.Dirty {
		g.Describe += "-dirty"
	}
	// No origin is normal (a fresh repository): then there is no source.
	if answers[3].err == nil {
		g.Source = webURL(answers[3].out)
	}
	if g.Branch, err = branch(answers[4].out, answers[4].err); err != nil {
		return nil, err
	}
	if g.CommitDate, err = commitDate(answers[5].out, answers[5].err); err != nil {
		return nil, err
	}
	return g, nil
}

// branch reads symbolic-ref's answer: exit 1 means a detached HEAD, which
// is normal (a tag or a CI checkout), not an error.
func branch(out string, err error) (string, error) {
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return "", nil
	}
	return out, err
}

// commitDate parses `git show -s --format=%ct`: seconds since the epoch.
func commitDate(out string, err error) (time.Time, error) {
	if err != nil {
		return time.Time{}, err
	}
	sec, perr := strconv.ParseInt(out, 10, 64)
	if perr != nil {
		return time.Time{}, fmt.Errorf("git show -s --format=%%ct HEAD: unexpected output %q", out)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// webURL turns a git remote into the https address of the repository, or
// "" for a local path. Credentials in the URL are dropped.
func webURL(remote string) string {
	u := strings.TrimSuffix(strings.TrimSpace(remote), ".git")
	switch {
	case strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "http://"):
		scheme, rest, _ := strings.Cut(u, "://")
		if at := strings.LastIndex(strings.SplitN(rest, "/", 2)[0], "@"); at >= 0 {
			rest = rest[at+1:]
		}
		return scheme + "://" + rest
	case strings.HasPrefix(u, "ssh://"):
		rest := strings.TrimPrefix(u, "ssh://")
		if at := strings.Index(rest, "@"); at >= 0 {
			rest = rest[at+1:]
		}
		host, path, _ := strings.Cut(rest, "/")
		if h, _, ok := strings.Cut(host, ":"); ok {
			host = h // drop the port: the web address has none
		}
		return "https://" + host + "/" + path
	case strings.Contains(u, ":") && !strings.Contains(strings.SplitN(u, ":", 2)[0], "/"):
		// scp-like: git@github.com:owner/repo
		host, path, _ := strings.Cut(u, ":")
		if at := strings.Index(host, "@"); at >= 0 {
			host = host[at+1:]
		}
		return "https://" + host + "/" + strings.TrimPrefix(path, "/")
	}
	return ""
}

// git runs git in dir and returns its trimmed stdout. A failure carries
// git's own message, which usually says what is wrong.
func git(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append([]string{}, env...) // never nil: nil would mean "inherit the process environment"
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("git %s in %s: %w", strings.Join(args, " "), dir, ctx.Err())
		}
		if errors.Is(err, exec.ErrNotFound) {
			return "", fmt.Errorf("git %s in %s: %w; install git or put it on PATH", args[0], dir, err)
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = "no output"
		}
		return "", fmt.Errorf("git %s in %s: %w: %s", strings.Join(args, " "), dir, err, msg)
	}
	return strings.TrimSpace(stdout.String()), nil
}
