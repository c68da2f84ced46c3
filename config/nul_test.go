package config

import "testing"

// TestNUL: a NUL character cannot reach a process (execve ends strings at
// it) and means nothing in an image config, so it is an error wherever it is
// written, with its line.
func TestNUL(t *testing.T) {
	tests := []struct {
		yaml   string
		prefix string
	}{
		{`images: [{main: ./a, env: {A: "x\0y"}}]`, "packager.yaml:1:31: images[0].env.A: "},
		{`images: [{main: ./a, env: {"A\0": x}}]`, "packager.yaml:1:28: images[0].env.A\x00: "},
		{`images: [{main: ./a, args: ["--x", "\0"]}]`, "packager.yaml:1:36: images[0].args[1]: "},
		{`images: [{main: ./a, entrypoint: ["/a\0"]}]`, "packager.yaml:1:35: images[0].entrypoint[0]: "},
		{`images: [{main: ./a, labels: {l: "\0"}}]`, "packager.yaml:1:34: images[0].labels.l: "},
		{`images: [{main: ./a, annotations: {l: "\0"}}]`, "packager.yaml:1:39: images[0].annotations.l: "},
		{`images: [{main: ./a, workdir: "/srv\0"}]`, "packager.yaml:1:31: images[0].workdir: "},
		{`images: [{main: ./a, user: "1\0"}]`, "packager.yaml:1:28: images[0].user: "},
		{`defaults: {ldflags: ["-X a=\0"]}`, "packager.yaml:1:22: defaults.ldflags[0]: "},
		{`defaults: {tags: ["{{.Env.X}}\0"]}`, "packager.yaml:1:19: defaults.tags[0]: "},
		{`images: [{main: "./a\0"}]`, "packager.yaml:1:17: images[0].main: "},
		{`images: [{main: ./a, healthcheck: {test: ["/a\0"]}}]`, "packager.yaml:1:43: images[0].healthcheck.test[0]: "},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			_, err := Parse("packager.yaml", t.TempDir(), []byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse(%q) = nil, want a NUL error", tt.yaml)
			}
			found := false
			for _, p := range problems(t, err) {
				if p.Error() == tt.prefix+nulMsg {
					found = true
				}
			}
			if !found {
				t.Errorf("Parse(%q) =\n%v\nwant a problem %q", tt.yaml, err, tt.prefix+nulMsg)
			}
		})
	}
}
