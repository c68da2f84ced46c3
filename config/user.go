package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/packager-dev/packager/internal/staticbase"
)

// checkUserOnBase reports a user: name that a built-in base cannot resolve.
// The built-in bases are known without reading anything: scratch has no
// /etc/passwd at all, and static has only staticbase's accounts. Without
// this check the mistake would surface only after every binary compiled.
// Registry and oci: bases are checked at build time, when they are read.
func (r *resolver) checkUserOnBase(e *entry, baseFrom string) {
	t := &e.t
	if !builtinBase(t.Base) || checkUser(t.User) != "" {
		return
	}
	user, group, _ := strings.Cut(t.User, ":")
	if isID(user) && (group == "" || isID(group)) {
		return
	}
	var msg string
	if t.Base == "scratch" {
		msg = fmt.Sprintf("user %q names a user or group, but the base is scratch (from %s), which has no /etc/passwd or /etc/group to look names up in; "+
			"write numeric ids, e.g. user: %q, or use base: static, which has %s", t.User, baseFrom, numericUser(user, group), strings.Join(staticbase.Names(), ", "))
	} else {
		msg = unknownStaticName(user, group, baseFrom)
		if msg == "" {
			return
		}
	}
	r.fileErr(joinPath(r.from(e.field, "user"), "user"), msg)
}

// unknownStaticName reports a user or group name the static base lacks, or
// "" when it has both.
func unknownStaticName(user, group, baseFrom string) string {
	names := strings.Join(staticbase.Names(), ", ")
	for _, n := range []struct{ kind, name string }{{"user", user}, {"group", group}} {
		if n.name == "" || isID(n.name) {
			continue
		}
		if _, ok := staticbase.Lookup(n.name); !ok {
			return fmt.Sprintf("%s %q is not in the static base (from %s), whose %ss are %s; "+
				"write numeric ids, e.g. user: %q, or use a base image that has it", n.kind, n.name, baseFrom, n.kind, names, numericUser(user, group))
		}
	}
	return ""
}

// numericUser suggests user:group as ids: the static base's ids for the
// names it knows, 1000 for the rest.
func numericUser(user, group string) string {
	id := func(s string) string {
		if isID(s) {
			return s
		}
		if a, ok := staticbase.Lookup(s); ok {
			return strconv.Itoa(a.ID)
		}
		return "1000"
	}
	if group == "" {
		group = user // a name alone means its primary group too
	}
	return id(user) + ":" + id(group)
}

// isID reports whether s is written as a number; whether it is in range is
// checked where ids are parsed.
func isID(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
