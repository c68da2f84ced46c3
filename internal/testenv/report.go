package testenv

import (
	"fmt"
	"os"
	"testing"
)

// ReportEnv names the file Report appends to; scripts/test sets it and
// prints the file when it ends, so CI shows what the fault tests did
// without go test -v.
const ReportEnv = "PACKAGER_TEST_REPORT"

// Report logs a summary of test t (faults injected, pushes that survived)
// and appends it, as "TestName: line", to the file $PACKAGER_TEST_REPORT
// names, when it is set.
func Report(t testing.TB, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf(format, args...)
	t.Log(line)
	path := os.Getenv(ReportEnv)
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644) //nolint:gosec // G703: the file scripts/test chose
	if err != nil {
		t.Errorf("report: %v", err)
		return
	}
	defer f.Close()
	// One write: lines of test packages running at once do not mix.
	if _, err := fmt.Fprintf(f, "%s: %s\n", t.Name(), line); err != nil {
		t.Errorf("report: %v", err)
	}
}
