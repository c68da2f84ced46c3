package gomod

import "testing"

func TestExecName(t *testing.T) {
	for in, want := range map[string]string{
		"example.com/tool":        "tool",
		"example.com/tool/v2":     "tool",
		"example.com/tool/v10":    "tool",
		"example.com/tool/v1":     "v1",
		"example.com/tool/v0":     "v0",
		"example.com/tool/v02":    "v02",
		"example.com/tool/v2beta": "v2beta",
		"example.com/tool/cmd/v3": "cmd",
		"v2":                      "v2",
		"gopkg.in/yaml.v3":        "yaml.v3",
	} {
		if got := ExecName(in); got != want {
			t.Errorf("ExecName(%q) = %q, want %q", in, got, want)
		}
	}
}
