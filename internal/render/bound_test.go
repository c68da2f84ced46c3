package render

import (
	"strings"
	"testing"
	"time"
)

// chain is a template whose output grows 16-fold with each replace.
func chain(n int) string {
	return `{{"aaaaaaaaaaaaaaaa"` + strings.Repeat(` | replace "a" "aaaaaaaaaaaaaaaa"`, n) + `}}`
}

// TestRenderBounded: no value renders to more than MaxOutput, and a
// template that would grow without bound fails fast instead of eating
// memory for minutes.
func TestRenderBounded(t *testing.T) {
	d := Data{Git: tagged, Env: map[string]string{"BIG": strings.Repeat("x", MaxOutput+1), "A": "aaaa"}}
	for _, text := range []string{
		chain(4), // 1 MiB
		chain(9), // 1 TiB
		`{{.Env.A | replace "" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" | replace "" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" | replace "" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}`,
		"{{.Env.BIG}}",
		`{{.Env.BIG | lower | default "x"}}`,
		strings.Repeat("{{.Git.Commit}}", MaxOutput/40+1),
	} {
		start := time.Now()
		got, err := Render(name, text, d)
		if err == nil || !strings.Contains(err.Error(), "more than 64 KiB") {
			t.Errorf("Render(%.60q...) = %d bytes, %v; want an error saying more than 64 KiB", text, len(got), err)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("Render(%.60q...) took %v", text, el)
		}
	}
	if got, err := Render(name, chain(2), d); err != nil || len(got) != 16*16*16 {
		t.Errorf("Render(chain(2)) = %d bytes, %v; want 4096 bytes", len(got), err)
	}
}

// TestRenderNUL: a NUL character cannot reach a program or an image field.
func TestRenderNUL(t *testing.T) {
	_, err := Render(name, `{{"a\x00b"}}`, Data{})
	if err == nil || !strings.Contains(err.Error(), "NUL") {
		t.Errorf("Render with a NUL = %v, want an error about NUL", err)
	}
}

// TestCheckBounded: Check, which has no data, rejects a template that can
// render to more than MaxOutput when each field is at most 256 bytes, and
// accepts what people write.
func TestCheckBounded(t *testing.T) {
	for _, text := range []string{
		chain(9),
		chain(4),
		`{{.Env.X | replace "a" "` + strings.Repeat("z", 300) + `"}}`,
		`{{.Env.X | replace .Env.Y .Env.Z}}`, // Y may be empty: Z between every byte of X
		`{{.Env.X | lower | upper | lower | upper | lower | upper | lower | upper}}`,
		strings.Repeat("{{.Git.Commit}}", MaxOutput/40+1),
		`{{"a\x00b"}}`,
	} {
		err := Check(name, text)
		if err == nil || !strings.Contains(err.Error(), "64 KiB") && !strings.Contains(err.Error(), "NUL") {
			t.Errorf("Check(%.60q...) = %v, want an error about 64 KiB or NUL", text, err)
		}
	}
	for _, text := range []string{
		chain(2),
		`{{.Env.BRANCH | replace "/" "-" | lower}}`,
		`{{.Env.X | replace "" "-"}}`,
		`{{.Git.Tag | trimprefix "v" | replace "." "-" | default .Git.ShortCommit}}`,
		`-X main.version={{.Version}} -X main.commit={{.Git.Commit}} -X main.date={{.Date}}`,
	} {
		if err := Check(name, text); err != nil {
			t.Errorf("Check(%q) = %v, want nil", text, err)
		}
	}
}
