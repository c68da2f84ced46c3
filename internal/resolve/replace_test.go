package resolve

import (
	"strings"
	"testing"
)

var images = map[string]string{
	"ko://example.com/app/cmd/web":  "127.0.0.1:5000/t/web@sha256:aaaa",
	"ko://example.com/app/cmd/job":  "127.0.0.1:5000/t/job@sha256:bbbb",
	"packager://hello":              "reg.example/hello@sha256:cccc",
	"packager://./cmd/ünïcode-dir":  "reg.example/u@sha256:dddd",
	"ko://example.com/app/cmd/long": "r/a-much-longer-replacement-than-the-reference/x@sha256:eeee",
}

func TestReplace(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain with comments", "# top\nimage: ko://example.com/app/cmd/web # the web\n# end\n",
			"# top\nimage: 127.0.0.1:5000/t/web@sha256:aaaa # the web\n# end\n"},
		{"double quoted", `image: "ko://example.com/app/cmd/web"` + "\n",
			`image: "127.0.0.1:5000/t/web@sha256:aaaa"` + "\n"},
		{"single quoted", "image: 'packager://hello'\n", "image: 'reg.example/hello@sha256:cccc'\n"},
		{"anchor and alias", "a: &img ko://example.com/app/cmd/web\nb: *img\n",
			"a: &img 127.0.0.1:5000/t/web@sha256:aaaa\nb: *img\n"},
		{"anchor and tag then line break", "a: &img !!str\n  ko://example.com/app/cmd/web\n",
			"a: &img !!str\n  127.0.0.1:5000/t/web@sha256:aaaa\n"},
		{"flow sequence", "args: [ko://example.com/app/cmd/web, 'packager://hello', x]\n",
			"args: [127.0.0.1:5000/t/web@sha256:aaaa, 'reg.example/hello@sha256:cccc', x]\n"},
		{"flow mapping", "{image: ko://example.com/app/cmd/job, n: 1}\n",
			"{image: 127.0.0.1:5000/t/job@sha256:bbbb, n: 1}\n"},
		{"CRLF", "a: 1\r\nimage: ko://example.com/app/cmd/web\r\nb: \"packager://hello\"\r\n",
			"a: 1\r\nimage: 127.0.0.1:5000/t/web@sha256:aaaa\r\nb: \"reg.example/hello@sha256:cccc\"\r\n"},
		{"block list and env value", "containers:\n- name: w\n  image: ko://example.com/app/cmd/job\n  env:\n  - name: JOB_IMAGE\n    value: ko://example.com/app/cmd/web\n",
			"containers:\n- name: w\n  image: 127.0.0.1:5000/t/job@sha256:bbbb\n  env:\n  - name: JOB_IMAGE\n    value: 127.0.0.1:5000/t/web@sha256:aaaa\n"},
		{"twice", "a: ko://example.com/app/cmd/web\nb: [ko://example.com/app/cmd/web]\n",
			"a: 127.0.0.1:5000/t/web@sha256:aaaa\nb: [127.0.0.1:5000/t/web@sha256:aaaa]\n"},
		{"keys comments and other tags stay", "ko://example.com/app/cmd/web: 1\n# image: ko://example.com/app/cmd/web\nx: !custom ko://example.com/app/cmd/web\ny: ko:/not\n",
			"ko://example.com/app/cmd/web: 1\n# image: ko://example.com/app/cmd/web\nx: !custom ko://example.com/app/cmd/web\ny: ko:/not\n"},
		{"several documents", "---\n# one\na: ko://example.com/app/cmd/web\n---\nb: packager://hello\n...\n---\nc: 'x'\n",
			"---\n# one\na: 127.0.0.1:5000/t/web@sha256:aaaa\n---\nb: reg.example/hello@sha256:cccc\n...\n---\nc: 'x'\n"},
		{"multi-byte characters before", "note: \"ünï ✓\" # ✓ x\nnote2: 日本 ok\nimg: [\"ünï\", packager://./cmd/ünïcode-dir]\n",
			"note: \"ünï ✓\" # ✓ x\nnote2: 日本 ok\nimg: [\"ünï\", reg.example/u@sha256:dddd]\n"},
		{"byte order mark", "\xef\xbb\xbfimage: packager://hello\n", "\xef\xbb\xbfimage: reg.example/hello@sha256:cccc\n"},
		{"longer replacement then more refs", "a: ko://example.com/app/cmd/long\nb: ko://example.com/app/cmd/web\n",
			"a: r/a-much-longer-replacement-than-the-reference/x@sha256:eeee\nb: 127.0.0.1:5000/t/web@sha256:aaaa\n"},
		{"whole document", "ko://example.com/app/cmd/web\n", "127.0.0.1:5000/t/web@sha256:aaaa\n"},
		{"no newline at end", "image: packager://hello", "image: reg.example/hello@sha256:cccc"},
		{"no references", "# just\na: b\n", "# just\na: b\n"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Replace([]byte(tt.in), images)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestReplaceErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"block scalar", "script: |\n  ko://example.com/app/cmd/web\n", "line 1, column 9: ko://example.com/app/cmd/web is in a block scalar"},
		{"multi-line plain", "a: ko://example.com/app/cmd/web\n  more\n", "line 1, column 4: ko://example.com/app/cmd/web more: the text there is not the value"},
		{"unknown", "a: ko://example.com/other\n", "line 1, column 4: no image for ko://example.com/other"},
		{"bad YAML", "a: [ko://example.com/app/cmd/web\n", "parse YAML"},
		{"bad YAML in a later document", "a: packager://hello\n---\nb: : :\n  - x\n", "parse YAML"},
		{"not UTF-8", "a: \xff\n", "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Replace([]byte(tt.in), images)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestReplaceRejectsUnsafeReplacement(t *testing.T) {
	for _, r := range []string{"", "a b", "x, y", "ko://again", "r/x#y", "[r]", "\"r\""} {
		if _, err := Replace([]byte("a: packager://hello\n"), map[string]string{"packager://hello": r}); err == nil {
			t.Errorf("replacement %q was accepted", r)
		}
	}
}

func TestFind(t *testing.T) {
	in := "a: packager://hello\nb: [ko://example.com/app/cmd/web, packager://hello]\n---\nc: \"ko://example.com/app/cmd/job\"\n"
	got, err := Find([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"packager://hello", "ko://example.com/app/cmd/web", "ko://example.com/app/cmd/job"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Find = %q, want %q", got, want)
	}
}

func TestPackage(t *testing.T) {
	tests := []struct{ ref, want string }{
		{"ko://example.com/app/cmd/web", "example.com/app/cmd/web"},
		{"packager://hello", "hello"},
		{"packager://./cmd/x", "./cmd/x"},
		{"ko://", ""},
		{"packager://a b", ""},
		{"docker://x", ""},
	}
	for _, tt := range tests {
		got, err := Package(tt.ref)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("Package(%q) = %q, %v; want %q", tt.ref, got, err, tt.want)
		}
	}
}

func TestReplaceErrorsSplitQuoted(t *testing.T) {
	for _, in := range []string{"a: \"ko://x\n  y\"\n", "a: 'ko://x\n\n'\n", "a: \"ko://\"\n", "a: 'packager://a b'\n"} {
		if _, err := Replace([]byte(in), map[string]string{}); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
