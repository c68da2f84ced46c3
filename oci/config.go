package oci

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// checkConfig checks the image config fields of s.
func checkConfig(s Spec) error {
	var errs []error
	for _, p := range s.Ports {
		if _, err := portKey(p); err != nil {
			errs = append(errs, err)
		}
	}
	for _, v := range s.Volumes {
		if !path.IsAbs(v) || path.Clean(v) != v {
			errs = append(errs, fmt.Errorf("volume %q must be an absolute, clean path such as /data", v))
		}
	}
	if w := s.WorkingDir; w != "" && (!path.IsAbs(w) || path.Clean(w) != w) {
		errs = append(errs, fmt.Errorf("working directory %q must be an absolute, clean path such as /app", w))
	}
	if s.StopSignal != "" && !validSignal(s.StopSignal) {
		errs = append(errs, fmt.Errorf("stop signal %q: write a signal name such as SIGTERM or SIGINT, or its number, e.g. 15", s.StopSignal))
	}
	if s.Healthcheck != nil {
		if err := checkHealthcheck(s.Healthcheck); err != nil {
			errs = append(errs, err)
		}
	}
	for k := range s.Labels {
		if k == "" {
			errs = append(errs, errors.New("labels: a label has an empty key"))
		}
	}
	for k := range s.Annotations {
		if k == "" {
			errs = append(errs, errors.New("annotations: an annotation has an empty key"))
		}
	}
	return errors.Join(errs...)
}

// portKey turns "8080", "8080/tcp", "53/udp" or "9000/sctp" into the
// ExposedPorts key ("8080/tcp").
func portKey(p string) (string, error) {
	num, proto, hasProto := strings.Cut(p, "/")
	if !hasProto {
		proto = "tcp"
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != num {
		return "", fmt.Errorf("port %q: the port must be a number from 1 to 65535, e.g. 8080/tcp", p)
	}
	switch proto {
	case "tcp", "udp", "sctp":
		return num + "/" + proto, nil
	}
	return "", fmt.Errorf("port %q: protocol %q must be tcp, udp or sctp", p, proto)
}

// signalName matches Linux signal names as Docker and the OCI runtime accept
// them in StopSignal, including real-time ones such as SIGRTMIN+3.
var signalName = regexp.MustCompile(`^SIG(HUP|INT|QUIT|ILL|TRAP|ABRT|IOT|BUS|FPE|KILL|USR1|SEGV|USR2|PIPE|ALRM|TERM|STKFLT|CHLD|CONT|STOP|TSTP|TTIN|TTOU|URG|XCPU|XFSZ|VTALRM|PROF|WINCH|IO|POLL|PWR|SYS|RTMIN|RTMAX|RTMIN\+[0-9]+|RTMAX-[0-9]+)$`)

func validSignal(s string) bool {
	if n, err := strconv.Atoi(s); err == nil {
		return n >= 1 && n <= 64 && strconv.Itoa(n) == s
	}
	return signalName.MatchString(s)
}

func checkHealthcheck(h *v1.HealthConfig) error {
	if len(h.Test) == 0 {
		return errors.New(`healthcheck: test is empty; write ["CMD", "/app", "health"], ["CMD-SHELL", "curl -f localhost"] or ["NONE"]`)
	}
	switch h.Test[0] {
	case "NONE":
		if len(h.Test) != 1 {
			return errors.New(`healthcheck: ["NONE"] takes no arguments`)
		}
	case "CMD":
		if len(h.Test) < 2 {
			return errors.New(`healthcheck: ["CMD"] needs a command, e.g. ["CMD", "/app", "health"]`)
		}
	case "CMD-SHELL":
		if len(h.Test) != 2 {
			return errors.New(`healthcheck: ["CMD-SHELL", ...] takes one shell command string`)
		}
	default:
		return fmt.Errorf(`healthcheck: test starts with %q; it must start with CMD, CMD-SHELL or NONE`, h.Test[0])
	}
	if h.Interval < 0 || h.Timeout < 0 || h.StartPeriod < 0 || h.Retries < 0 {
		return errors.New("healthcheck: interval, timeout, start period and retries must not be negative")
	}
	return nil
}

// applyImageConfig sets the Dockerfile-style fields of s on c. Ports,
// volumes and labels add to the base's, as EXPOSE, VOLUME and LABEL do;
// the other fields replace the base's only when set.
func applyImageConfig(c *v1.Config, s Spec) {
	if len(s.Ports) > 0 {
		ports := maps.Clone(c.ExposedPorts)
		if ports == nil {
			ports = map[string]struct{}{}
		}
		for _, p := range s.Ports {
			k, _ := portKey(p) // checked in Spec.check
			ports[k] = struct{}{}
		}
		c.ExposedPorts = ports
	}
	if len(s.Volumes) > 0 {
		vols := maps.Clone(c.Volumes)
		if vols == nil {
			vols = map[string]struct{}{}
		}
		for _, v := range s.Volumes {
			vols[v] = struct{}{}
		}
		c.Volumes = vols
	}
	if len(s.Labels) > 0 {
		labels := maps.Clone(c.Labels)
		if labels == nil {
			labels = map[string]string{}
		}
		maps.Copy(labels, s.Labels)
		c.Labels = labels
	}
	if s.WorkingDir != "" {
		c.WorkingDir = s.WorkingDir
	}
	if s.StopSignal != "" {
		c.StopSignal = s.StopSignal
	}
	if s.Healthcheck != nil {
		h := *s.Healthcheck
		h.Test = append([]string(nil), h.Test...)
		c.Healthcheck = &h
	}
}
