package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/packager-dev/packager/internal/testenv"
)

// action is the part of action.yml that the runner executes.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Shell            string            `yaml:"shell"`
	Run              string            `yaml:"run"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// actionRun is one run of action.yml's steps, as a GitHub runner does it.
type actionRun struct {
	t          *testing.T
	inputs     map[string]string // with action.yml's defaults filled in
	actionPath string            // ${{ github.action_path }}: the checkout
	workspace  string            // $GITHUB_WORKSPACE
	temp       string            // $RUNNER_TEMP
	path       []string          // lines steps wrote to $GITHUB_PATH
	steps      map[string]map[string]string
	stderr     strings.Builder
}

// runAction runs the run: steps of action.yml with inputs, the way the
// Actions runner does (bash --noprofile --norc -eo pipefail, $GITHUB_OUTPUT
// and $GITHUB_PATH files, ${{ }} in env: and working-directory: expanded),
// and returns the action's outputs. uses: steps are left to the job's own
// tools: setup-go's part is played by the Go running this test.
func runAction(t *testing.T, workspace string, inputs map[string]string) (map[string]string, string, error) {
	t.Helper()
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(raw, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using = %q, want composite", a.Runs.Using)
	}
	r := &actionRun{t: t, inputs: map[string]string{}, actionPath: root, workspace: workspace,
		temp: t.TempDir(), steps: map[string]map[string]string{}}
	for name, in := range a.Inputs {
		r.inputs[name] = in.Default
	}
	for name, v := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
		r.inputs[name] = v
	}
	for _, s := range a.Runs.Steps {
		if s.Uses != "" {
			if !strings.HasPrefix(s.Uses, "actions/setup-go@") {
				t.Fatalf("step %q uses %s, which this test cannot stand in for", s.Name, s.Uses)
			}
			continue
		}
		if err := r.step(s); err != nil {
			return nil, r.stderr.String(), fmt.Errorf("step %q: %w", s.Name, err)
		}
	}
	out := map[string]string{}
	for name, o := range a.Outputs {
		out[name] = r.expand(o.Value)
	}
	return out, r.stderr.String(), nil
}

// expand replaces the expressions action.yml may use; any other one fails
// the test, so the test never silently runs something the runner would not.
func (r *actionRun) expand(s string) string {
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		e := expression.FindStringSubmatch(m)[1]
		if name, ok := strings.CutPrefix(e, "inputs."); ok {
			return r.inputs[name]
		}
		if e == "github.action_path" {
			return r.actionPath
		}
		if parts := strings.Split(e, "."); len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs" {
			return r.steps[parts[1]][parts[3]]
		}
		r.t.Fatalf("action.yml: expression %q is not supported by this test", m)
		return ""
	})
}

func (r *actionRun) step(s actionStep) error {
	t := r.t
	if s.If != "" || s.Shell != "bash" {
		t.Fatalf("step %q: if: %q shell: %q; run: steps must use shell: bash and no if: (or teach this test)", s.Name, s.If, s.Shell)
	}
	if strings.Contains(s.Run, "${{") {
		t.Fatalf("step %q: ${{ }} inside run: is open to script injection; pass it through env:", s.Name)
	}
	script := filepath.Join(r.temp, "step.sh")
	output := filepath.Join(r.temp, "output-"+s.ID)
	pathFile := filepath.Join(r.temp, "path")
	for _, f := range []struct{ name, content string }{{script, s.Run}, {output, ""}, {pathFile, ""}} {
		if err := os.WriteFile(f.name, []byte(f.content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = filepath.Join(r.workspace, r.expand(s.WorkingDirectory))
	cmd.Env = append(os.Environ(),
		"PATH="+strings.Join(append(r.path, os.Getenv("PATH")), string(os.PathListSeparator)),
		"CI=true", "GITHUB_ACTIONS=true", "RUNNER_TEMP="+r.temp, "GITHUB_WORKSPACE="+r.workspace,
		"GITHUB_ACTION_PATH="+r.actionPath, "GITHUB_OUTPUT="+output, "GITHUB_PATH="+pathFile)
	for k, v := range s.Env {
		cmd.Env = append(cmd.Env, k+"="+r.expand(v))
	}
	var stdout strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &r.stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w\nstdout:\n%s", err, stdout.String())
	}
	added, _ := os.ReadFile(pathFile)
	r.path = append(strings.Fields(string(added)), r.path...)
	outputs, _ := os.ReadFile(output)
	if s.ID != "" {
		r.steps[s.ID] = parseGitHubOutput(t, string(outputs))
	}
	return nil
}

// parseGitHubOutput reads $GITHUB_OUTPUT: name=value lines, and
// name<<DELIM ... DELIM for values with newlines.
func parseGitHubOutput(t *testing.T, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if name, delim, ok := strings.Cut(line, "<<"); ok {
			var val []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				val = append(val, lines[i])
			}
			if i == len(lines) {
				t.Fatalf("$GITHUB_OUTPUT: %s<<%s is never closed", name, delim)
			}
			out[name] = strings.Join(val, "\n")
		} else if name, val, ok := strings.Cut(line, "="); ok {
			out[name] = val
		}
	}
	return out
}

// TestAction runs action.yml's steps as the runner would: it installs
// packager from this checkout, builds two packages for two platforms with
// a packager.yaml given by file:, pushes them to a real docker-registry
// with both tags, and returns the refs and the digest as outputs.
func TestAction(t *testing.T) {
	reg := testenv.StartRegistry(t)
	crane := testenv.RequireTool(t, "crane")
	testenv.RequireTool(t, "bash")
	ws := writeModule(t, map[string]string{
		"cmd/hello/main.go": helloMain,
		"cmd/bye/main.go":   helloMain,
		"ci.yaml":           "defaults:\n  env: {FROM_FILE: ci.yaml}\nimages:\n  - main: ./cmd/hello\n  - main: ./cmd/bye\n",
	})
	repo := reg.Host + "/ci"
	out, stderr, err := runAction(t, ws, map[string]string{
		"packages":  "./cmd/hello\n./cmd/bye\n", // a YAML block, as users write lists
		"repo":      repo,
		"platforms": "linux/amd64, linux/arm64",
		"tags":      "v1,latest",
		"file":      "ci.yaml",
		"args":      "--compression zstd",
	})
	if err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, stderr)
	}
	r := result{stdout: out["refs"] + "\n"}
	names, digests := r.refs(t)
	if want := []string{repo + "/hello:v1", repo + "/bye:v1"}; strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("refs output %q, want %v", out["refs"], want)
	}
	if out["digest"] != digests[0] {
		t.Errorf("digest output %q, want %s (the first ref's)", out["digest"], digests[0])
	}
	for i, name := range names {
		for _, tag := range []string{"v1", "latest"} {
			ref := strings.TrimSuffix(name, ":v1") + ":" + tag
			if got := strings.TrimSpace(testenv.Run(t, "", crane, "digest", "--insecure", ref)); got != digests[i] {
				t.Errorf("%s is %s, want %s", ref, got, digests[i])
			}
		}
	}
	idx := craneIndex(t, names[0])
	if got := strings.Join(idx.platforms(), ","); got != "linux/amd64,linux/arm64" {
		t.Errorf("index platforms %s", got)
	}
	manifest := testenv.Run(t, "", crane, "manifest", "--insecure", "--platform", "linux/arm64", names[0])
	if !strings.Contains(manifest, "tar+zstd") {
		t.Errorf("args did not reach packager: no zstd layer in\n%s", manifest)
	}
	config := testenv.Run(t, "", crane, "config", "--insecure", "--platform", "linux/amd64", names[1])
	if !strings.Contains(config, "FROM_FILE=ci.yaml") {
		t.Errorf("file: was not read: config\n%s", config)
	}

	// A mistake in the inputs fails the step with packager's message and
	// sets no outputs.
	out, stderr, err = runAction(t, ws, map[string]string{"packages": "./cmd/hello", "repo": repo, "platforms": "linux/amd46", "file": "ci.yaml"})
	if err == nil || !strings.Contains(err.Error(), "exit status 2") || !strings.Contains(stderr, "amd46") || out["refs"] != "" {
		t.Errorf("bad platform: err %v, outputs %v, stderr:\n%s", err, out, stderr)
	}
}
