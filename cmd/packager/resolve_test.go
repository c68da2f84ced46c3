package main

import "testing"

func TestDigestRef(t *testing.T) {
	const d = "@sha256:0123"
	tests := []struct{ in, want string }{
		{"127.0.0.1:5000/t/web:latest" + d, "127.0.0.1:5000/t/web" + d},
		{"127.0.0.1:5000/t/web" + d, "127.0.0.1:5000/t/web" + d},
		{"ghcr.io/o/a:v1.2" + d, "ghcr.io/o/a" + d},
		{"localhost:5000/x" + d, "localhost:5000/x" + d},
	}
	for _, tt := range tests {
		if got := digestRef(tt.in); got != tt.want {
			t.Errorf("digestRef(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
