package testenv

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"testing"
)

// RunTogether runs n copies of the current test binary, each running only
// the test named helper with the environment env(i) added, and releases
// them at once: each helper reads its stdin to EOF before it starts
// working, and every stdin is closed only once all n processes run. It
// fails t if a helper fails and returns each one's combined output.
func RunTogether(t testing.TB, n int, helper string, env func(i int) []string) []string {
	t.Helper()
	cmds := make([]*exec.Cmd, n)
	stdins := make([]io.WriteCloser, n)
	outs := make([]*bytes.Buffer, n)
	for i := range n {
		// The test binary itself, running one of its own tests.
		cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$", "-test.count=1", "-test.v") //nolint:gosec // G702: our own binary
		cmd.Env = append(os.Environ(), env(i)...)
		outs[i] = &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = outs[i], outs[i]
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i], stdins[i] = cmd, in
	}
	for _, in := range stdins {
		in.Close()
	}
	results := make([]string, n)
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, outs[i])
		}
		results[i] = outs[i].String()
	}
	return results
}
