package vocab

import "testing"

// FuzzVocabulary: the parsers of --platform, ports and stop signals never
// panic on any string, and what they accept is stable: a platform's String
// parses back to itself and has a Go environment, a normalised port
// normalises to itself.
func FuzzVocabulary(f *testing.F) {
	for _, s := range []string{"linux/amd64", "linux/arm", "linux/arm64/v8", "linux/amd64/v3", "8080", "53/udp",
		"0080/sctp", "SIGTERM", "SIGRTMIN+3", "9", "064", "", "linux//", "/", "65536", "99999999999999999999/tcp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := ParsePlatform(s); err == nil {
			if q, err := ParsePlatform(p.String()); err != nil || q != p {
				t.Errorf("ParsePlatform(%q) = %v, but ParsePlatform(%q) = %v, %v", s, p, p.String(), q, err)
			}
			if _, err := p.GoEnv(); err != nil {
				t.Errorf("ParsePlatform(%q) = %v, which has no Go environment: %v", s, p, err)
			}
		}
		if port, err := ParsePort(s); err == nil {
			if again, err := ParsePort(port); err != nil || again != port {
				t.Errorf("ParsePort(%q) = %q, but ParsePort(%q) = %q, %v", s, port, port, again, err)
			}
		}
		_ = CheckSignal(s)
	})
}
