package resolve

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadDirectory(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"b.yml": "b", "a.yaml": "a", "c.json": "c", "d.yaml.orig": "d"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	budget := int64(MaxBytes)
	srcs, err := Read(dir, nil, &budget)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range srcs {
		got = append(got, filepath.Base(s.Name)+"="+string(s.Data))
	}
	if strings.Join(got, " ") != "a.yaml=a b.yml=b" || budget != MaxBytes-2 {
		t.Errorf("read %q, budget left %d", got, budget)
	}
	if _, err := Read(t.TempDir(), nil, &budget); err == nil || !strings.Contains(err.Error(), "no *.yaml or *.yml") {
		t.Errorf("empty directory: %v", err)
	}
}

func TestReadBudget(t *testing.T) {
	budget := int64(5)
	if _, err := Read("-", strings.NewReader("12345"), &budget); err != nil || budget != 0 {
		t.Fatalf("exactly the budget: %v, left %d", err, budget)
	}
	budget = 5
	if _, err := Read("-", strings.NewReader("123456"), &budget); !errors.Is(err, errTooBig) {
		t.Errorf("over the budget: %v", err)
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"a: 1\n"}, "a: 1\n"},
		{[]string{"a: 1", "b: 2\n"}, "a: 1\n---\nb: 2\n"},
		{[]string{"a: 1\r\n", "---\nb: 2"}, "a: 1\r\n---\n---\nb: 2"},
		{[]string{"", "b"}, "---\nb"},
	}
	for _, tt := range tests {
		var streams [][]byte
		for _, s := range tt.in {
			streams = append(streams, []byte(s))
		}
		if got := string(Join(streams)); got != tt.want {
			t.Errorf("Join(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
