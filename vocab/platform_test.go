package vocab

import (
	"strings"
	"testing"
)

func TestParsePlatform(t *testing.T) {
	tests := []struct {
		in      string
		want    Platform
		str     string // String() of the result
		wantErr string
	}{
		{in: "linux/amd64", want: Platform{"linux", "amd64", ""}, str: "linux/amd64"},
		{in: "linux/amd64/v3", want: Platform{"linux", "amd64", "v3"}, str: "linux/amd64/v3"},
		{in: "linux/arm64/v8", want: Platform{"linux", "arm64", ""}, str: "linux/arm64"},
		{in: "linux/arm", want: Platform{"linux", "arm", "v7"}, str: "linux/arm/v7"},
		{in: "linux/arm/v6", want: Platform{"linux", "arm", "v6"}, str: "linux/arm/v6"},
		{in: "linux/riscv64", want: Platform{"linux", "riscv64", ""}, str: "linux/riscv64"},
		{in: "linux/amd46", wantErr: `unknown platform "linux/amd46"; did you mean "linux/amd64"? known: linux/386, linux/amd64, linux/amd64/v1, linux/amd64/v2, linux/amd64/v3, linux/amd64/v4, linux/arm, linux/arm/v5, linux/arm/v6, linux/arm/v7, linux/arm64, linux/arm64/v8, linux/ppc64le, linux/riscv64, linux/s390x`},
		{in: "Linux/AMD64", wantErr: `did you mean "linux/amd64"?`},
		{in: "windows/amd64", wantErr: `unknown platform "windows/amd64"; known: linux/386`},
		{in: "", wantErr: `unknown platform ""; known:`},
	}
	for _, tt := range tests {
		got, err := ParsePlatform(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePlatform(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want || got.String() != tt.str {
			t.Errorf("ParsePlatform(%q) = %+v (%q), %v; want %+v (%q)", tt.in, got, got.String(), err, tt.want, tt.str)
		}
	}
}
