package staticbase

import (
	"slices"
	"testing"
)

// TestFiles pins the bytes of /etc/passwd and /etc/group: the static base's
// digest (and the golden digest of every image on it) depends on them.
func TestFiles(t *testing.T) {
	const passwd = "root:x:0:0:root:/root:/sbin/nologin\n" +
		"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n" +
		"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	const group = "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n"
	if got := string(Passwd()); got != passwd {
		t.Errorf("Passwd() =\n%s\nwant\n%s", got, passwd)
	}
	if got := string(Group()); got != group {
		t.Errorf("Group() =\n%s\nwant\n%s", got, group)
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name string
		id   int
		ok   bool
	}{
		{"root", 0, true}, {"nonroot", 65532, true}, {"nobody", 65534, true}, {"postgres", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		a, ok := Lookup(tt.name)
		if ok != tt.ok || a.ID != tt.id {
			t.Errorf("Lookup(%q) = %+v, %v; want id %d, %v", tt.name, a, ok, tt.id, tt.ok)
		}
	}
	if got := Names(); !slices.Equal(got, []string{"nobody", "nonroot", "root"}) {
		t.Errorf("Names() = %q", got)
	}
	Accounts()[0].Name = "changed"
	if _, ok := Lookup("root"); !ok {
		t.Error("Accounts() lets callers change the list")
	}
}
