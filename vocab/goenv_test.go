package vocab

import (
	"slices"
	"strings"
	"testing"
)

func TestGoEnv(t *testing.T) {
	for _, tc := range []struct {
		p    Platform
		want []string
	}{
		{Platform{"linux", "amd64", ""}, []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v1"}},
		{Platform{"linux", "amd64", "v2"}, []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v2"}},
		{Platform{"linux", "amd64", "v3"}, []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v3"}},
		{Platform{"linux", "amd64", "v4"}, []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v4"}},
		{Platform{"linux", "arm64", ""}, []string{"GOOS=linux", "GOARCH=arm64"}},
		{Platform{"linux", "arm64", "v8"}, []string{"GOOS=linux", "GOARCH=arm64"}},
		{Platform{"linux", "arm", ""}, []string{"GOOS=linux", "GOARCH=arm", "GOARM=7"}},
		{Platform{"linux", "arm", "v5"}, []string{"GOOS=linux", "GOARCH=arm", "GOARM=5"}},
		{Platform{"linux", "arm", "v6"}, []string{"GOOS=linux", "GOARCH=arm", "GOARM=6"}},
		{Platform{"linux", "arm", "v7"}, []string{"GOOS=linux", "GOARCH=arm", "GOARM=7"}},
		{Platform{"linux", "386", ""}, []string{"GOOS=linux", "GOARCH=386"}},
		{Platform{"linux", "ppc64le", ""}, []string{"GOOS=linux", "GOARCH=ppc64le"}},
		{Platform{"linux", "s390x", ""}, []string{"GOOS=linux", "GOARCH=s390x"}},
		{Platform{"linux", "riscv64", ""}, []string{"GOOS=linux", "GOARCH=riscv64"}},
	} {
		got, err := tc.p.GoEnv()
		if err != nil {
			t.Errorf("%s: %v", tc.p, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: GoEnv() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestGoEnvUnknown(t *testing.T) {
	for _, tc := range []struct {
		p    Platform
		want string // substrings of the error
	}{
		{Platform{"linux", "amd46", ""}, `unsupported platform linux/amd46: unknown architecture "amd46"; known: 386, amd64, arm, arm64, ppc64le, riscv64, s390x`},
		{Platform{"linux", "arm", "v9"}, `unsupported platform linux/arm/v9: unknown variant "v9" for arm; known: (none), v5, v6, v7`},
		{Platform{"linux", "amd64", "v5"}, "linux/amd64/v5"},
		{Platform{"linux", "s390x", "v1"}, "linux/s390x/v1"},
		{Platform{"windows", "amd64", ""}, "unsupported platform windows/amd64: packager builds Linux images only"},
		{Platform{"", "amd64", ""}, "unsupported platform /amd64"},
	} {
		_, err := tc.p.GoEnv()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%#v: GoEnv() error = %v, want it to contain %q", tc.p, err, tc.want)
		}
	}
}
