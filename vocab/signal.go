package vocab

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// signals are the Linux signal names runtimes accept for STOPSIGNAL.
var signals = []string{
	"SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCLD", "SIGCONT", "SIGFPE", "SIGHUP", "SIGILL", "SIGINT",
	"SIGIO", "SIGIOT", "SIGKILL", "SIGPIPE", "SIGPOLL", "SIGPROF", "SIGPWR", "SIGQUIT", "SIGRTMAX", "SIGRTMIN",
	"SIGSEGV", "SIGSTKFLT", "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP", "SIGTSTP", "SIGTTIN", "SIGTTOU",
	"SIGURG", "SIGUSR1", "SIGUSR2", "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ",
}

// rtSignal matches real-time signals relative to SIGRTMIN or SIGRTMAX.
var rtSignal = regexp.MustCompile(`^SIGRT(MIN\+|MAX-)([0-9]|[12][0-9]|30)$`)

// CheckSignal accepts a stop signal as Docker and OCI runtimes do: a Linux
// signal name (SIGTERM, SIGRTMIN+3) or a number from 1 to 64.
func CheckSignal(s string) error {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 64 || strconv.Itoa(n) != s {
			return fmt.Errorf("signal %s is out of range; use 1-64 or a name, e.g. stopsignal: SIGTERM", s)
		}
		return nil
	}
	if slices.Contains(signals, s) || rtSignal.MatchString(s) {
		return nil
	}
	hint := Suggest(s, signals)
	if up := strings.ToUpper(s); hint == "" && slices.Contains(signals, "SIG"+up) {
		hint = fmt.Sprintf(" did you mean %q?", "SIG"+up)
	}
	return fmt.Errorf("unknown signal %q;%s write a Linux signal name or number, e.g. stopsignal: SIGTERM", s, hint)
}
