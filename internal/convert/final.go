package convert

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// finalStage turns the last stage, the image docker build produces, into
// one image of packager.yaml.
func (c *conv) finalStage(st *stage) error {
	img := c.img
	c.out.images = append(c.out.images, img)
	c.setBase(st)
	// FROM golang as the last stage: a single-stage build, compiled where
	// it runs. COPY of the context is then the source, not files.
	fs := &finalState{st: st, singleStage: isGoImage(st.inst.BaseName) && c.stageByName(st.inst.BaseName) == nil}
	for _, cmd := range st.inst.Commands {
		if c.setupCommand(st, cmd) {
			c.finalSetup(fs, cmd)
			continue
		}
		c.finalCommand(fs, cmd)
	}
	c.binaries(fs)
	c.entrypoint(fs)
	return nil
}

// finalState is what the final stage has said so far.
type finalState struct {
	st          *stage
	singleStage bool
	copied      []copiedBinary
	entrypoint  []string
	entryLine   int
	entryShell  bool
	cmd         []string
	cmdLine     int
	cmdShell    bool
	hasEntry    bool
	hasCmd      bool
}

type copiedBinary struct {
	build *goBuild
	path  string
	line  int
}

// finalSetup records in the image what ENV and WORKDIR set (ARG only
// declares).
func (c *conv) finalSetup(fs *finalState, cmd instructions.Command) {
	l := line(cmd)
	switch cmd := cmd.(type) {
	case *instructions.EnvCommand:
		for _, kv := range cmd.Env {
			c.img.env.set(kv.Key, c.vals.fill(fs.st.env[kv.Key]))
			c.img.notes.add("env", fmt.Sprintf("ENV %s (%s)", kv.Key, c.ref(l)))
		}
	case *instructions.WorkdirCommand:
		c.img.workdir = fs.st.workdir
		c.img.notes.add("workdir", "WORKDIR ("+c.ref(l)+")")
	}
}

func (c *conv) finalCommand(fs *finalState, cmd instructions.Command) {
	l := line(cmd)
	img, st := c.img, fs.st
	switch cmd := cmd.(type) {
	case *instructions.CopyCommand:
		c.copyCmd(fs, cmd)
	case *instructions.AddCommand:
		c.addCmd(fs, cmd)
	case *instructions.RunCommand:
		if fs.singleStage {
			c.run(st, cmd)
			return
		}
		c.warn(l, "RUN in the final stage (%s): packager runs no commands in the image; put what it installs into files: or choose a base that has it", cmd.String())
	case *instructions.UserCommand:
		u := c.vals.fill(c.literal(st, l, cmd.User))
		if img.base == "scratch" && !numericUser(u) {
			// packager checks user names against the base, and scratch has
			// none: writing it would give a file that does not validate.
			c.warn(l, "USER %s: not converted: scratch has no /etc/passwd to look the name up in; add user: \"UID:GID\" with its numbers (until then it runs as root, as with no USER)", u)
			return
		}
		img.user = &u
		img.notes["user"] = []string{"USER (" + c.ref(l) + ")"}
	case *instructions.ExposeCommand:
		for _, p := range cmd.Ports {
			c.expose(st, l, p)
		}
	case *instructions.LabelCommand:
		for _, kv := range cmd.Labels {
			img.labels.set(c.vals.fill(c.literal(st, l, kv.Key)), c.vals.fill(c.word(st, l, kv.Value)))
		}
		img.notes.add("labels", "LABEL ("+c.ref(l)+")")
	case *instructions.VolumeCommand:
		for _, v := range cmd.Volumes {
			v = c.vals.fill(c.literal(st, l, v))
			if !strings.HasPrefix(v, "/") {
				c.warn(l, "VOLUME %s: docker keeps a relative volume as written; packager.yaml needs an absolute path, written as %s", v, join(st.workdir, v))
			}
			img.volumes = append(img.volumes, join(st.workdir, v))
		}
		img.notes.add("volumes", "VOLUME ("+c.ref(l)+")")
	case *instructions.StopSignalCommand:
		img.stopsig = c.vals.fill(c.literal(st, l, cmd.Signal))
		img.notes.add("stopsignal", "STOPSIGNAL ("+c.ref(l)+")")
	case *instructions.HealthCheckCommand:
		c.healthcheck(l, cmd)
	case *instructions.EntrypointCommand:
		fs.entrypoint, fs.entryLine, fs.entryShell, fs.hasEntry = cmd.CmdLine, l, cmd.PrependShell, true
		// ENTRYPOINT resets a CMD set before it, as docker build does.
		fs.cmd, fs.hasCmd = nil, false
	case *instructions.CmdCommand:
		fs.cmd, fs.cmdLine, fs.cmdShell, fs.hasCmd = cmd.CmdLine, l, cmd.PrependShell, true
	case *instructions.MaintainerCommand:
		img.labels.set("org.opencontainers.image.authors", cmd.Maintainer)
		img.notes.add("labels", fmt.Sprintf("MAINTAINER (%s) is deprecated; its value is the label org.opencontainers.image.authors", c.ref(l)))
		c.warn(l, "MAINTAINER sets the image's author field, which packager does not write; it became the label org.opencontainers.image.authors")
	case *instructions.OnbuildCommand:
		c.warn(l, "ONBUILD %s: packager images carry no build triggers; drop it", cmd.Expression)
	case *instructions.ShellCommand:
		c.warn(l, "SHELL: packager runs no shell; it only changes shell-form CMD, ENTRYPOINT and HEALTHCHECK, which are converted to exec form")
	default:
		c.warn(l, "%s: not converted", strings.ToUpper(cmd.Name()))
	}
}

func (c *conv) expose(st *stage, l int, p string) {
	p = strings.ToLower(c.vals.fill(c.literal(st, l, p)))
	if strings.Contains(p, "{{") {
		c.warn(l, "EXPOSE %s: a port cannot be a template in packager.yaml; write the number", p)
		return
	}
	if num, _, _ := strings.Cut(p, "/"); strings.Contains(num, "-") {
		c.warn(l, "EXPOSE %s: packager.yaml lists ports one by one; write each port of the range", p)
		return
	}
	c.img.ports = append(c.img.ports, p)
	c.img.notes.add("ports", "EXPOSE ("+c.ref(l)+")")
}

func (c *conv) healthcheck(l int, cmd *instructions.HealthCheckCommand) {
	h := cmd.Health
	hc := &health{test: h.Test}
	if h.Interval > 0 {
		hc.interval = h.Interval.String()
	}
	if h.Timeout > 0 {
		hc.timeout = h.Timeout.String()
	}
	if h.StartPeriod > 0 {
		hc.startPeriod = h.StartPeriod.String()
	}
	if h.Retries > 0 {
		r := h.Retries
		hc.retries = &r
	}
	if h.StartInterval > 0 {
		c.warn(l, "HEALTHCHECK --start-interval has no packager equivalent; the runtime's default applies")
	}
	c.img.health = hc
	c.img.notes["healthcheck"] = []string{"HEALTHCHECK (" + c.ref(l) + ")"}
	if len(h.Test) > 0 && h.Test[0] == "CMD-SHELL" && (c.img.base == "scratch" || c.img.base == "static") {
		c.warn(l, "HEALTHCHECK in shell form needs /bin/sh, which the %s base does not have; write it in exec form: HEALTHCHECK CMD [\"/path/to/binary\", \"-healthcheck\"]", c.img.base)
	}
}

func numericUser(u string) bool {
	user, group, _ := strings.Cut(u, ":")
	isNum := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return isNum(user) && (group == "" || isNum(group))
}
