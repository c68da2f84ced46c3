package vocab

import (
	"fmt"
	"strings"
)

// maxTypoDistance is how far (in single-character edits) a value may be from a
// known one and still be treated as a typo worth suggesting a fix for.
const maxTypoDistance = 2

// Suggest returns ` did you mean "x"?` for the candidate closest to word, or ""
// when none is within two edits. Comparison ignores case, because
// "Platforms" and "LINUX/AMD64" are typos too. Ties go to the earliest
// candidate so the suggestion is deterministic.
func Suggest(word string, candidates []string) string {
	best, bestDist := "", maxTypoDistance+1
	w := strings.ToLower(word)
	for _, c := range candidates {
		if c == word {
			continue
		}
		if d := editDistance(w, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b, counted in bytes
// (config keys and platform names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
