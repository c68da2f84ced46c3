package builder

import (
	"fmt"
	"strings"
)

// maxOutput caps how much of go's output an error carries. The first errors
// are the useful ones (the compiler stops after ten per package anyway).
const maxOutput = 8 << 10

// trimOutput trims go's combined output for an error message.
func trimOutput(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxOutput {
		s = s[:maxOutput] + fmt.Sprintf("\n... (%d more bytes)", len(s)-maxOutput)
	}
	if s == "" {
		return "(no output)"
	}
	return s
}

// indent prefixes each line with two spaces, so go's output stands apart
// from packager's own words in a multi-line error.
func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// commandLine renders env overrides and a command as a shell line.
func commandLine(bin string, args, env []string) string {
	words := make([]string, 0, len(env)+1+len(args))
	for _, kv := range env {
		words = append(words, shellQuote(kv))
	}
	words = append(words, shellQuote(bin))
	for _, a := range args {
		words = append(words, shellQuote(a))
	}
	return strings.Join(words, " ")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
