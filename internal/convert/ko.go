package convert

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// koConfig is the part of ko's .ko.yaml packager understands.
type koConfig struct {
	DefaultBaseImage   string            `yaml:"defaultBaseImage"`
	BaseImageOverrides map[string]string `yaml:"baseImageOverrides"`
	DefaultPlatforms   []string          `yaml:"defaultPlatforms"`
	DefaultEnv         []string          `yaml:"defaultEnv"`
	DefaultFlags       []string          `yaml:"defaultFlags"`
	DefaultLdflags     []string          `yaml:"defaultLdflags"`
	Builds             []koBuild         `yaml:"builds"`
}

type koBuild struct {
	ID      string   `yaml:"id"`
	Dir     string   `yaml:"dir"`
	Main    string   `yaml:"main"`
	Env     []string `yaml:"env"`
	Flags   []string `yaml:"flags"`
	Ldflags []string `yaml:"ldflags"`
}

// KoOptions are ko's environment variables, read by the caller.
type KoOptions struct {
	DockerRepo       string // KO_DOCKER_REPO
	DefaultBaseImage string // KO_DEFAULTBASEIMAGE, wins over defaultBaseImage
	DefaultPlatforms string // KO_DEFAULTPLATFORMS, comma-separated
}

// Ko converts a .ko.yaml into packager.yaml text. name is the file's name in
// warnings. Each build becomes an image; ko's defaults become defaults:.
func Ko(name string, data []byte, opts KoOptions) (*Result, error) {
	var kc koConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&kc); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c := &conv{name: name}
	kc.unknownKeys(c, data)
	c.out.header = []string{fmt.Sprintf("Converted from %s by `packager convert --from-ko`.", name)}
	c.out.repo = opts.DockerRepo
	c.koPlatforms(kc, opts)
	defBase := kc.DefaultBaseImage
	if opts.DefaultBaseImage != "" {
		defBase = opts.DefaultBaseImage
	}
	c.koDefaultBase(defBase)
	c.out.defaults = c.koSettings(&image{}, "defaults", kc.DefaultEnv, kc.DefaultFlags, kc.DefaultLdflags)
	used := map[string]bool{}
	for _, b := range kc.Builds {
		img := c.koImage(b)
		c.koBase(img, kc.BaseImageOverrides, used)
		c.out.images = append(c.out.images, img)
	}
	for _, imp := range sortedKeys(kc.BaseImageOverrides) {
		if !used[imp] {
			img := &image{main: imp}
			c.koBase(img, kc.BaseImageOverrides, used)
			c.out.images = append(c.out.images, img)
		}
	}
	if len(c.out.images) == 0 {
		c.warn(0, "no builds: and no baseImageOverrides; ko builds the import paths given on its command line, so list them with packager build ./cmd/app or add images: by hand")
		c.out.images = append(c.out.images, &image{main: "."})
	}
	text, err := c.out.render()
	if err != nil {
		return nil, err
	}
	return &Result{YAML: text, Warnings: c.warns}, nil
}

func (kc koConfig) unknownKeys(c *conv, data []byte) {
	var raw map[string]any
	if yaml.Unmarshal(data, &raw) != nil {
		return
	}
	known := []string{"defaultBaseImage", "baseImageOverrides", "defaultPlatforms", "defaultEnv", "defaultFlags", "defaultLdflags", "builds"}
	for _, k := range sortedKeys(raw) {
		if !slices.Contains(known, k) {
			c.warn(0, "%s: not converted (see docs/migrating.md)", k)
		}
	}
	builds, _ := raw["builds"].([]any)
	knownBuild := []string{"id", "dir", "main", "env", "flags", "ldflags"}
	for i, b := range builds {
		m, _ := b.(map[string]any)
		for _, k := range sortedKeys(m) {
			if !slices.Contains(knownBuild, k) {
				c.warn(0, "builds[%d].%s: not converted (see docs/migrating.md)", i, k)
			}
		}
	}
}

func (c *conv) koPlatforms(kc koConfig, opts KoOptions) {
	ps := kc.DefaultPlatforms
	if opts.DefaultPlatforms != "" {
		ps = strings.Split(opts.DefaultPlatforms, ",")
	}
	for _, p := range ps {
		p = strings.TrimSpace(p)
		if p == "all" {
			c.out.platforms = []string{"all"}
			return
		}
		if os, _, _ := strings.Cut(p, "/"); os != "linux" {
			c.warn(0, "platform %s: packager builds Linux images only", p)
			continue
		}
		c.out.platforms = append(c.out.platforms, p)
	}
}

func (c *conv) koImage(b koBuild) *image {
	img := &image{main: b.Main, dir: b.Dir}
	if img.main == "" {
		img.main = "."
	}
	if b.ID != "" {
		img.name = imageName(b.ID)
		img.notes.add("name", "ko build id "+b.ID)
	}
	if img.name == "" && (img.main == "." || strings.HasPrefix(img.main, "./")) && img.dir == "" {
		img.name = imageName(pkgName(img.main, "app"))
	}
	c.koSettings(img, "build "+b.ID, b.Env, b.Flags, b.Ldflags)
	return img
}

// koSettings maps env, flags and ldflags (ko's or its defaults') onto img.
func (c *conv) koSettings(img *image, where string, env, flags, ldflags []string) *image {
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		v = c.koTemplate(where, v)
		switch {
		case k == "CGO_ENABLED" && v == "1":
			t := true
			img.cgo = &t
		case k == "CGO_ENABLED" && v == "0":
		case k == "GOOS" || k == "GOARCH":
			c.warn(0, "%s: %s=%s: ko sets it per platform; use platforms:", where, k, v)
		default:
			img.buildEnv.set(k, v)
		}
	}
	for _, f := range flags {
		if f == "-trimpath" || f == "-v" {
			img.notes.add("flags", f+" dropped: packager always builds with -trimpath")
			continue
		}
		img.flags = append(img.flags, c.koTemplate(where, f))
	}
	for _, l := range ldflags {
		keep, dropped := splitLdflags(l)
		for _, k := range keep {
			img.ldflags = append(img.ldflags, c.koTemplate(where, k))
		}
		if len(dropped) > 0 {
			img.notes.add("ldflags", strings.Join(dropped, " ")+" dropped: packager always links with -s -w")
		}
	}
	return img
}

// koFields maps ko's template fields to packager's; ko's .Git fields
// follow GoReleaser's names.
var koFields = map[string]string{
	".Git.Tag": ".Git.Tag", ".Git.ShortCommit": ".Git.ShortCommit", ".Git.FullCommit": ".Git.Commit",
	".Git.Commit": ".Git.Commit", ".Git.IsDirty": ".Git.Dirty", ".Git.Branch": ".Git.Branch",
	".Git.CommitDate": ".Git.CommitDate", ".Date": ".Date", ".Version": ".Version",
}

var koField = regexp.MustCompile(`\.[A-Z][A-Za-z]*(\.[A-Za-z_][A-Za-z0-9_]*)?`)

// koTemplate translates the fields of ko's templates in s.
func (c *conv) koTemplate(where, s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return regexp.MustCompile(`\{\{.*?\}\}`).ReplaceAllStringFunc(s, func(t string) string {
		return koField.ReplaceAllStringFunc(t, func(f string) string {
			if strings.HasPrefix(f, ".Env.") {
				return f
			}
			if to, ok := koFields[f]; ok {
				return to
			}
			env := koEnvName(f)
			c.warn(0, "%s: %s in %s has no packager template field (known: .Git.Tag, .Git.ShortCommit, .Git.Commit, .Git.Dirty, .Git.Branch, .Git.CommitDate, .Version, .Date, .Env.NAME); it became .Env.%s: set %s when building", where, f, t, env, env)
			return ".Env." + env
		})
	})
}

// koEnvName is the environment variable a ko field without a packager
// equivalent becomes: .Git.TreeState gives GIT_TREE_STATE.
func koEnvName(field string) string {
	var b strings.Builder
	for i, r := range strings.TrimPrefix(field, ".") {
		switch {
		case r == '.':
			b.WriteByte('_')
		case r >= 'A' && r <= 'Z' && i > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
			b.WriteRune(r)
		default:
			b.WriteRune(r - ('a'-'A')*boolInt(r >= 'a' && r <= 'z'))
		}
	}
	return b.String()
}

func boolInt(b bool) rune {
	if b {
		return 1
	}
	return 0
}

// koDefaultBase maps defaultBaseImage to the top-level base.
func (c *conv) koDefaultBase(ref string) {
	switch kind := baseKind(ref); {
	case ref == "":
		c.out.notes.add("base", "ko's default base is cgr.dev/chainguard/static; packager's default, static, is the same idea")
	case kind == "static" || kind == "static-nonroot":
		c.out.base = "static"
		c.out.notes.add("base", ref+": packager's built-in static base is the same idea, built without the network")
	default:
		c.out.base = ref
	}
}

// koBase sets an image's base from its baseImageOverrides entry (keyed by
// import path, matched here by the path's end).
func (c *conv) koBase(img *image, overrides map[string]string, used map[string]bool) {
	for _, imp := range sortedKeys(overrides) {
		if img.main == imp || (img.main != "." && strings.HasSuffix(imp, "/"+strings.TrimPrefix(path.Clean(img.main), "./"))) {
			used[imp] = true
			ref := overrides[imp]
			img.base = ref
			img.notes.add("base", "baseImageOverrides["+imp+"]")
			if k := baseKind(ref); k == "static" || k == "static-nonroot" {
				img.base = "static"
				img.notes.add("base", ref+": packager's built-in static base is the same idea, built without the network")
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
