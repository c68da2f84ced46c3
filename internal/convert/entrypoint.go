package convert

import (
	"fmt"
	"slices"
	"strings"
)

// entrypoint maps ENTRYPOINT and CMD. packager's default entrypoint is the
// first binary, so it is written only when the Dockerfile's differs; a
// Dockerfile with CMD alone gets entrypoint: [] so CMD stays the whole
// command, as in the Dockerfile's image.
func (c *conv) entrypoint(fs *finalState) {
	img := c.img
	entry, cmd := fs.entrypoint, fs.cmd
	if fs.hasEntry && fs.entryShell {
		entry = c.execForm("ENTRYPOINT", fs.entryLine, entry)
	}
	if fs.hasCmd && fs.cmdShell {
		cmd = c.execForm("CMD", fs.cmdLine, cmd)
	}
	def := []string{img.path}
	if len(img.binaries) > 0 {
		def = []string{img.binaries[0].path}
	}
	switch {
	case fs.hasEntry:
		if !slices.Equal(entry, def) {
			img.entrypoint, img.hasEntry = entry, true
			img.notes.add("entrypoint", "ENTRYPOINT ("+c.ref(fs.entryLine)+")")
		}
	case fs.hasCmd:
		img.entrypoint, img.hasEntry = []string{}, true
		img.notes.add("entrypoint", fmt.Sprintf("none: the Dockerfile has CMD (%s) and no ENTRYPOINT, so CMD is the whole command", c.ref(fs.cmdLine)))
	default:
		img.notes.add("main", "the Dockerfile has no ENTRYPOINT or CMD; packager's image runs the binary")
	}
	if fs.hasCmd {
		img.args, img.hasArgs = cmd, true
		img.notes.add("args", "CMD ("+c.ref(fs.cmdLine)+")")
	}
	for _, w := range append(slices.Clone(img.entrypoint), img.args...) {
		if strings.Contains(w, "$") {
			c.warn(max(fs.cmdLine, fs.entryLine), "%q: exec form runs no shell, so $VARIABLES are not expanded", w)
			break
		}
	}
}

// execForm splits a shell-form command into words, as packager writes
// exec form only (its bases have no shell).
func (c *conv) execForm(what string, l int, cmdLine []string) []string {
	src := strings.Join(cmdLine, " ")
	words := quotedFields(src)
	if strings.ContainsAny(src, "|&;<>()$`*?") {
		c.warn(l, "%s %s: shell form needs /bin/sh; packager writes exec form, and this line uses shell features: check %v", what, src, words)
	} else {
		key := map[string]string{"ENTRYPOINT": "entrypoint", "CMD": "args"}[what]
		c.img.notes.add(key, fmt.Sprintf("%s %s (%s) was shell form, which needs /bin/sh; written here in exec form", what, src, c.ref(l)))
	}
	return words
}
