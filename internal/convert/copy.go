package convert

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// copyCmd sorts what a COPY in the final stage brings in: a binary a
// builder compiled, CA certificates, the time zone database, or files from
// the build context.
func (c *conv) copyCmd(fs *finalState, cmd *instructions.CopyCommand) {
	l := line(cmd)
	st := fs.st
	if fs.singleStage && cmd.From == "" {
		return // the source tree, compiled in this stage
	}
	if len(cmd.ExcludePatterns) > 0 || cmd.Parents {
		c.warn(l, "COPY --exclude/--parents: packager's files: copies whole files and directories; list them one by one")
	}
	dst := c.vals.fill(c.literal(st, l, cmd.DestPath))
	for _, raw := range cmd.SourcePaths {
		src := c.vals.fill(c.literal(st, l, raw))
		to := copyDest(st.workdir, dst, src, len(cmd.SourcePaths) > 1)
		if cmd.From != "" {
			c.copyFromStage(fs, l, cmd.From, src, dst, to)
			continue
		}
		if b := c.buildWriting(join("/", src)); b != nil {
			c.warn(l, "COPY %s without --from copies from the build context, not from the builder; taken as the binary go build writes there (%s); check it", src, c.ref(b.line))
			fs.copied = append(fs.copied, copiedBinary{build: b, path: to, line: l})
			continue
		}
		c.contextFile(l, cmd.Chmod, cmd.Chown, src, to)
	}
	for _, s := range cmd.SourceContents {
		c.warn(l, "COPY of heredoc %s: write its content to a file and list it under files:", s.Path)
	}
}

// copyDest is where src lands for COPY src... dst: into dst when dst is a
// directory (ends in / or there are several sources), else dst itself.
func copyDest(workdir, dst, src string, several bool) string {
	to := join(workdir, dst)
	if strings.HasSuffix(src, "/") || path.Base(src) == "." {
		return to // a directory's contents go into dst
	}
	if strings.HasSuffix(dst, "/") || several {
		return path.Join(to, path.Base(path.Clean("/"+src)))
	}
	return to
}

func (c *conv) copyFromStage(fs *finalState, l int, from, src, dst, to string) {
	from = c.vals.fill(c.literal(fs.st, l, from))
	stg := c.stageByName(from)
	if stg == nil {
		c.warn(l, "COPY --from=%s %s: packager cannot copy out of another image; add the file to the build context and list it under files:", from, src)
		return
	}
	abs := join("/", src)
	switch {
	case isCACerts(abs):
		c.caCertsFromStage(l)
		return
	case isZoneinfo(abs):
		c.img.tzdata = true
		c.img.notes.add("tzdata", fmt.Sprintf("COPY --from=%s %s (%s): packager adds Go's zoneinfo.zip and sets ZONEINFO", from, src, c.ref(l)))
		return
	case abs == "/etc/passwd" || abs == "/etc/group":
		c.warn(l, "COPY --from=%s %s: packager cannot copy a builder's %s; the static base has root, nobody and nonroot (65532); write USER as a numeric uid:gid", from, src, abs)
		return
	}
	if b := c.buildWriting(abs); b != nil {
		fs.copied = append(fs.copied, copiedBinary{build: b, path: to, line: l})
		return
	}
	// A directory holding several binaries: COPY --from=build /out/ /usr/local/bin/
	found := false
	for _, b := range c.allBuilds() {
		if rel, ok := under(b.binaryPath(), abs); ok {
			fs.copied = append(fs.copied, copiedBinary{build: b, path: join(join(fs.st.workdir, dst), rel), line: l})
			found = true
		}
	}
	if !found {
		c.warn(l, "COPY --from=%s %s: no go build in the Dockerfile writes this path, and packager adds only the binaries it builds, CA certificates, tzdata and files from the context", from, src)
	}
}

// caCertsFromStage: copying a builder's CA bundle is what the static base
// already has (Mozilla's roots), so scratch becomes static.
func (c *conv) caCertsFromStage(l int) {
	img := c.img
	note := fmt.Sprintf("COPY of the builder's CA certificates (%s): packager's static base has Mozilla's roots in /etc/ssl/certs/ca-certificates.crt", c.ref(l))
	if img.base == "scratch" {
		img.base = "static"
		note += "; scratch became static for them (it also sets PATH and SSL_CERT_FILE)"
	}
	img.notes.add("base", note)
}

// contextFile is COPY or ADD of a path in the build context.
func (c *conv) contextFile(l int, chmod, chown, src, to string) {
	if strings.ContainsAny(src, "*?[") {
		c.warn(l, "COPY %s: packager.yaml takes no wildcards in files:; list each file", src)
		return
	}
	rel := strings.TrimPrefix(path.Clean("/"+src), "/")
	if rel == "" {
		rel = "."
	}
	if isCAFile(rel, to) {
		c.img.caCerts = append(c.img.caCerts, rel)
		c.img.notes.add("ca_certs", fmt.Sprintf("COPY %s (%s): packager adds it to the base's CA bundle", src, c.ref(l)))
		return
	}
	fe := fileEntry{src: rel, dst: to}
	if strings.HasSuffix(src, "/") && rel != "." {
		fe.src += "/"
	}
	if chmod != "" {
		if _, err := strconv.ParseUint(chmod, 8, 32); err != nil {
			c.warn(l, "COPY --chmod=%s: packager.yaml takes an octal mode; write mode: 0644 by hand", chmod)
		} else {
			fe.mode = "0" + strings.TrimLeft(chmod, "0")
		}
	}
	if chown != "" {
		c.chown(l, chown, &fe)
	}
	c.img.files = append(c.img.files, fe)
	c.img.notes.add("files", fmt.Sprintf("COPY %s (%s)", src, c.ref(l)))
}

func (c *conv) chown(l int, chown string, fe *fileEntry) {
	user, group, hasGroup := strings.Cut(chown, ":")
	id := func(s string) (*int, bool) {
		if s == "root" {
			s = "0"
		}
		n, err := strconv.Atoi(s)
		return &n, err == nil && n >= 0
	}
	uid, ok := id(user)
	if !ok {
		c.warn(l, "COPY --chown=%s: packager.yaml takes numeric uid and gid for files; write uid:/gid: by hand", chown)
		return
	}
	fe.uid, fe.gid = uid, uid
	if hasGroup {
		gid, ok := id(group)
		if !ok {
			c.warn(l, "COPY --chown=%s: packager.yaml takes a numeric gid for files; write gid: by hand", chown)
			return
		}
		fe.gid = gid
	}
}

// addCmd: ADD of a local, non-archive file is COPY; URLs, git sources and
// archives (which ADD unpacks) are not something packager does.
func (c *conv) addCmd(fs *finalState, cmd *instructions.AddCommand) {
	l := line(cmd)
	st := fs.st
	dst := c.vals.fill(c.literal(st, l, cmd.DestPath))
	for _, raw := range cmd.SourcePaths {
		src := c.vals.fill(c.literal(st, l, raw))
		switch {
		case strings.Contains(src, "://") || strings.HasPrefix(src, "git@"):
			c.warn(l, "ADD %s: packager fetches nothing at build time; download it beforehand and list it under files:", src)
		case isArchive(src):
			c.warn(l, "ADD %s: ADD unpacks archives, packager's files: does not; unpack it into a directory and list that", src)
		default:
			c.contextFile(l, cmd.Chmod, cmd.Chown, src, copyDest(st.workdir, dst, src, len(cmd.SourcePaths) > 1))
		}
	}
}

func isArchive(p string) bool {
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"} {
		if strings.HasSuffix(strings.ToLower(p), ext) {
			return true
		}
	}
	return false
}

func isCACerts(abs string) bool {
	return abs == "/etc/ssl/certs" || abs == "/etc/ssl/certs/ca-certificates.crt" ||
		abs == "/etc/ssl/cert.pem" || abs == "/etc/pki/tls/certs/ca-bundle.crt" || abs == "/etc/ssl"
}

func isZoneinfo(abs string) bool {
	return abs == "/usr/share/zoneinfo" || strings.HasSuffix(abs, "/lib/time/zoneinfo.zip")
}

// isCAFile: a PEM from the context copied to where CA certificates go.
func isCAFile(rel, to string) bool {
	ext := path.Ext(rel)
	return (ext == ".crt" || ext == ".pem") &&
		(strings.HasPrefix(to, "/usr/local/share/ca-certificates/") || strings.HasPrefix(to, "/etc/ssl/certs/"))
}

// under reports whether p is inside dir, and its path relative to dir.
func under(p, dir string) (string, bool) {
	if !strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/") {
		return "", false
	}
	return strings.TrimPrefix(p, strings.TrimSuffix(dir, "/")+"/"), true
}

// buildWriting is the go build whose binary is at abs, or nil.
func (c *conv) buildWriting(abs string) *goBuild {
	for _, b := range c.allBuilds() {
		if b.binaryPath() == abs {
			return b
		}
	}
	return nil
}

// allBuilds lists every go build of every stage once.
func (c *conv) allBuilds() []*goBuild {
	seen := map[*goBuild]bool{}
	var out []*goBuild
	for _, s := range c.stages {
		for _, b := range s.builds {
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		}
	}
	return out
}
