package vocab

import (
	"fmt"
	"strconv"
	"strings"
)

// ParsePort normalises an exposed port, "8080" or "8080/tcp" (also udp and
// sctp), to the image config's ExposedPorts key, "8080/tcp".
func ParsePort(s string) (string, error) {
	num, proto, hasProto := strings.Cut(s, "/")
	if !hasProto {
		proto = "tcp"
	}
	n, err := strconv.Atoi(num)
	switch {
	case num == "" || strings.Trim(num, "0123456789") != "":
		return "", fmt.Errorf("invalid port %q; write PORT or PORT/PROTO, e.g. 8080/tcp or 53/udp", s)
	case err != nil || n < 1 || n > 65535:
		return "", fmt.Errorf("port %s is out of range; use 1-65535, e.g. 8080/tcp", num)
	case proto != "tcp" && proto != "udp" && proto != "sctp":
		return "", fmt.Errorf("unknown protocol %q in port %q; use tcp, udp or sctp, e.g. 53/udp", proto, s)
	}
	return strconv.Itoa(n) + "/" + proto, nil
}
