package staticbase

import (
	"fmt"
	"slices"
	"strings"
)

// Account is one user of the static base, with a group of the same name
// and id as its primary group.
type Account struct {
	Name string
	ID   int    // uid, and gid of the group of the same name
	Home string // home directory in /etc/passwd
}

// accounts are distroless's: root, nobody, and nonroot (65532), the user
// packager runs images as unless told otherwise. Their order is the order
// of the lines in /etc/passwd and /etc/group, which the base's digest
// depends on.
var accounts = []Account{
	{Name: "root", ID: 0, Home: "/root"},
	{Name: "nobody", ID: 65534, Home: "/nonexistent"},
	{Name: "nonroot", ID: 65532, Home: "/home/nonroot"},
}

// Accounts returns the static base's users, in /etc/passwd order.
func Accounts() []Account { return append([]Account(nil), accounts...) }

// Lookup returns the account called name. The groups have the same names
// as the users, so it answers for a group name too.
func Lookup(name string) (Account, bool) {
	for _, a := range accounts {
		if a.Name == name {
			return a, true
		}
	}
	return Account{}, false
}

// Names returns the account names, sorted, for messages such as "users
// there: nobody, nonroot, root".
func Names() []string {
	names := make([]string, len(accounts))
	for i, a := range accounts {
		names[i] = a.Name
	}
	slices.Sort(names)
	return names
}

// Passwd is the static base's /etc/passwd.
func Passwd() []byte {
	var b strings.Builder
	for _, a := range accounts {
		fmt.Fprintf(&b, "%s:x:%d:%d:%s:%s:/sbin/nologin\n", a.Name, a.ID, a.ID, a.Name, a.Home)
	}
	return []byte(b.String())
}

// Group is the static base's /etc/group.
func Group() []byte {
	var b strings.Builder
	for _, a := range accounts {
		fmt.Fprintf(&b, "%s:x:%d:\n", a.Name, a.ID)
	}
	return []byte(b.String())
}
