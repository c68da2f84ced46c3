package oci

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Runtimes resolve a user name against the container's /etc/passwd when the
// container starts, and fail then if it is missing. Resolving names at build
// time instead turns that into a build error, and a numeric user lets
// Kubernetes' runAsNonRoot check the image without starting it.

// splitUser splits "user[:group]" and checks its form, not whether the
// names exist.
func splitUser(u string) (user, group string, err error) {
	user, group, hasGroup := strings.Cut(u, ":")
	switch {
	case user == "":
		return "", "", fmt.Errorf("user %q: name the user, e.g. nonroot, 65532 or 65532:65532", u)
	case hasGroup && group == "":
		return "", "", fmt.Errorf("user %q: the group after ':' is empty; write %q or name the group", u, user)
	case strings.Contains(group, ":"):
		return "", "", fmt.Errorf("user %q: write user or user:group, with one ':'", u)
	}
	for _, part := range []string{user, group} {
		if isNumber(part) {
			if _, err := strconv.ParseUint(part, 10, 31); err != nil {
				return "", "", fmt.Errorf("user %q: id %s is out of range (0 to 2147483647)", u, part)
			}
		}
	}
	return user, group, nil
}

// userNeedsBase reports whether u names a user or group by name, so that
// the base image's /etc/passwd or /etc/group must be read.
func userNeedsBase(u string) bool {
	if u == "" {
		return false
	}
	user, group, _ := strings.Cut(u, ":")
	return !isNumber(user) || (group != "" && !isNumber(group))
}

// resolveUser turns names in u into numeric ids using the base image's
// /etc/passwd and /etc/group (nil when the base has none). Numbers are kept
// as written; a user name alone also gets the user's primary group, since a
// runtime given a bare uid would otherwise run with gid 0.
func resolveUser(u string, passwd, group []byte) (string, error) {
	if !userNeedsBase(u) {
		return u, nil
	}
	userPart, groupPart, err := splitUser(u)
	if err != nil {
		return "", err
	}
	uid, gid := userPart, groupPart
	if !isNumber(userPart) {
		if passwd == nil {
			return "", fmt.Errorf("user %q: the base image has no /etc/passwd to look the name up in; write a numeric uid:gid such as 1000:1000", userPart)
		}
		users := parseIDFile(passwd, 2)
		entry, ok := users[userPart]
		if !ok {
			return "", fmt.Errorf("user %q is not in the base image's /etc/passwd (users there: %s); add it to the base or write a numeric uid:gid such as 1000:1000",
				userPart, names(users))
		}
		uid = entry[0]
		if groupPart == "" {
			gid = entry[1]
		}
	}
	if groupPart != "" && !isNumber(groupPart) {
		if group == nil {
			return "", fmt.Errorf("group %q: the base image has no /etc/group to look the name up in; write a numeric gid, e.g. %s:1000", groupPart, userPart)
		}
		groups := parseIDFile(group, 1)
		entry, ok := groups[groupPart]
		if !ok {
			return "", fmt.Errorf("group %q is not in the base image's /etc/group (groups there: %s); add it to the base or write a numeric gid, e.g. %s:1000",
				groupPart, names(groups), userPart)
		}
		gid = entry[0]
	}
	return uid + ":" + gid, nil
}

// parseIDFile reads /etc/passwd (n = 2: uid and gid) or /etc/group (n = 1:
// gid) into name → numeric fields after the password field. Comments and
// lines that do not fit are skipped, as libc does; the first line for a
// name wins, also as libc does.
func parseIDFile(data []byte, n int) map[string][]string {
	out := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) < 2+n || f[0] == "" {
			continue
		}
		ids := f[2 : 2+n]
		if !slices.ContainsFunc(ids, func(s string) bool { return !isNumber(s) }) {
			if _, dup := out[f[0]]; !dup {
				out[f[0]] = ids
			}
		}
	}
	return out
}

func names(m map[string][]string) string {
	if len(m) == 0 {
		return "none"
	}
	return strings.Join(slices.Sorted(maps.Keys(m)), ", ")
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
