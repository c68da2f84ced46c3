package convert

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// builderStage follows the instructions of a stage before the last one:
// only what shapes a go build (WORKDIR, ENV, ARG, where the context is
// copied, the RUN lines) matters there.
func (c *conv) builderStage(st *stage) {
	for _, cmd := range st.inst.Commands {
		c.setupCommand(st, cmd)
		if run, ok := cmd.(*instructions.RunCommand); ok {
			c.run(st, run)
		}
	}
}

// setupCommand applies the instructions that change how later lines of a
// stage are read; it reports whether cmd was one of them.
func (c *conv) setupCommand(st *stage, cmd instructions.Command) bool {
	l := line(cmd)
	switch cmd := cmd.(type) {
	case *instructions.ArgCommand:
		for _, kv := range cmd.Args {
			def := kv.Value
			if def == nil {
				def = c.meta[kv.Key]
			}
			st.args[kv.Key] = def
		}
	case *instructions.EnvCommand:
		for _, kv := range cmd.Env {
			st.env[kv.Key] = c.word(st, l, kv.Value)
		}
	case *instructions.WorkdirCommand:
		st.workdir = join(st.workdir, c.vals.fill(c.literal(st, l, cmd.Path)))
	case *instructions.CopyCommand:
		if cmd.From == "" {
			c.noteContextCopy(st, l, cmd)
		}
		return false
	default:
		return false
	}
	return true
}

// noteContextCopy remembers where the build context lands in a builder
// (`COPY . .`, or the directory go.mod is copied to), so package paths can be
// made relative to it.
func (c *conv) noteContextCopy(st *stage, l int, cmd *instructions.CopyCommand) {
	dst := join(st.workdir, c.vals.fill(c.literal(st, l, cmd.DestPath)))
	for _, src := range cmd.SourcePaths {
		switch path.Clean(src) {
		case ".", "/":
			st.ctxRoot = dst
			return
		case "go.mod", "go.sum", "go.work":
			if st.ctxRoot == "" {
				st.ctxRoot = dst
			}
		}
	}
}

// run finds the go builds of a builder's RUN line. Commands that only
// prepare the toolchain are fine; anything else is a warning, since packager
// runs nothing but go build.
func (c *conv) run(st *stage, cmd *instructions.RunCommand) {
	l := line(cmd)
	src := strings.Join(cmd.CmdLine, " ")
	if !cmd.PrependShell {
		src = shellQuote(cmd.CmdLine)
	}
	for _, f := range cmd.Files {
		src += "\n" + f.Data
	}
	s, err := c.runScript(st, l, src)
	if err != nil {
		c.warn(l, "RUN: %v; its go build (if any) is not converted", err)
		return
	}
	st.builds = append(st.builds, s.builds...)
	for _, other := range s.other {
		if !preparesToolchain(other) {
			c.warn(l, "RUN %s: packager runs only go build; run this step before packager (for example in CI), or drop it", other)
		}
	}
}

// preparesToolchain reports whether a builder command only fetches
// dependencies, installs build tools or checks the code: packager's go build
// does the fetching itself and the rest does not change the binary.
func preparesToolchain(cmd string) bool {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return true
	}
	switch f[0] {
	case "apk", "apt-get", "apt", "yum", "dnf", "microdnf", "update-ca-certificates",
		"mkdir", "rm", "echo", "ls", "true", "adduser", "addgroup", "useradd", "groupadd", "git":
		return true
	case "go":
		return len(f) > 1 && (f[1] == "mod" || f[1] == "test" || f[1] == "vet" || f[1] == "version" || f[1] == "env" || f[1] == "list")
	}
	return false
}

func shellQuote(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
