package oci

import (
	"net/http"
	"testing"
	"time"
)

// TestBackoffJitter: the wait before each retry is MinBackoff doubled per
// attempt, capped at MaxBackoff, times a factor in [0.5, 1.5); and it does
// vary, so that concurrent uploads do not retry in lockstep.
func TestBackoffJitter(t *testing.T) {
	tr := newRetryTransport(nil, Retry{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	for attempt := 1; attempt <= 8; attempt++ {
		d := min(100*time.Millisecond<<(attempt-1), time.Second)
		lo, hi := d, d
		for range 1000 {
			w := tr.backoff(attempt)
			if w < d/2 || w >= d*3/2 {
				t.Fatalf("attempt %d: backoff %s outside [%s, %s)", attempt, w, d/2, d*3/2)
			}
			lo, hi = min(lo, w), max(hi, w)
		}
		// 1000 draws all in one quarter of the range: not jitter.
		if lo > d*3/4 || hi < d*5/4 {
			t.Errorf("attempt %d: 1000 backoffs between %s and %s, want them spread over [%s, %s)", attempt, lo, hi, d/2, d*3/2)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	if got := retryAfter("3"); got != 3*time.Second {
		t.Errorf("retryAfter(3) = %s", got)
	}
	at := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	if got := retryAfter(at); got < 59*time.Minute || got > time.Hour {
		t.Errorf("retryAfter(%q) = %s, want about an hour", at, got)
	}
	for _, v := range []string{"", "-1", "soon", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)} {
		if got := retryAfter(v); got != 0 {
			t.Errorf("retryAfter(%q) = %s, want 0", v, got)
		}
	}
}
