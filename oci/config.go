package oci

import (
	"errors"
	"fmt"
	"maps"
	"path"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/packager-dev/packager/vocab"
)

// checkConfig checks the image config fields of s.
func checkConfig(s Spec) error {
	var errs []error
	for _, p := range s.Ports {
		if _, err := vocab.ParsePort(p); err != nil {
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
	if s.StopSignal != "" {
		if err := vocab.CheckSignal(s.StopSignal); err != nil {
			errs = append(errs, err)
		}
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
			k, _ := vocab.ParsePort(p) // checked in Spec.check
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
