package vocab

import "testing"

func TestParsePort(t *testing.T) {
	good := map[string]string{"8080": "8080/tcp", "8080/tcp": "8080/tcp", "53/udp": "53/udp", "9000/sctp": "9000/sctp",
		"1": "1/tcp", "65535/udp": "65535/udp", "08080": "8080/tcp"}
	for in, want := range good {
		if got, err := ParsePort(in); err != nil || got != want {
			t.Errorf("ParsePort(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"70000", "0", "-1", "http", "8080/TCP", "8080/icmp", "8080/", "8000-8010/tcp", ""} {
		if _, err := ParsePort(bad); err == nil {
			t.Errorf("ParsePort(%q) accepted it", bad)
		}
	}
}

func TestCheckSignal(t *testing.T) {
	for _, s := range []string{"SIGTERM", "SIGINT", "SIGQUIT", "SIGRTMIN+3", "SIGRTMAX-30", "15", "9", "64"} {
		if err := CheckSignal(s); err != nil {
			t.Errorf("%q rejected: %v", s, err)
		}
	}
	for _, s := range []string{"TERM", "sigterm", "SIGFOO", "0", "65", "015", "-9", "SIGRTMIN+31", ""} {
		if CheckSignal(s) == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
