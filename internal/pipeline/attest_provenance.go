package pipeline

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/render"
	"github.com/packager-dev/packager/internal/sbom"
)

// provenance is the SLSA provenance statement of one artifact, whose
// digest is top and whose platform images' binaries are bins: what was
// asked for (the target's packages and platforms, packager.yaml by digest)
// and what was used (the commit, the Go toolchain, go.sum, the modules
// linked in, the bases by digest).
func (a *assembler) provenance(t config.Target, repo string, top v1.Hash, images []platformImage, bins [][]sbom.Binary, prep prepared, started time.Time) ([]byte, error) {
	in := provenance.Input{
		Subjects:       []provenance.Subject{{Name: repo, Digest: top.String()}},
		BuilderVersion: a.r.Attest.Version,
		Config:         a.r.Attest.Config,
		Flags:          a.r.Attest.Flags,
		Started:        started.UTC(),
		Finished:       time.Now().UTC(),
	}
	in.GoVersion, in.Modules = linked(bins)
	for _, b := range t.Binaries {
		if !slices.Contains(in.Packages, b.Main) {
			in.Packages = append(in.Packages, b.Main)
		}
	}
	for _, p := range t.Platforms {
		in.Platforms = append(in.Platforms, p.String())
	}
	in.Environment = a.r.buildEnvironment(t)
	var err error
	if a.r.Attest.ConfigFile != "" {
		if in.ConfigDigest, err = fileDigest(a.r.Attest.ConfigFile); err != nil {
			return nil, err
		}
	}
	if g := prep.git; g != nil {
		in.Git = &provenance.Git{Repository: g.Source, Commit: g.Commit}
	}
	if sum := goSum(t.Dir); sum != "" {
		if in.GoSum, err = fileDigest(sum); err != nil {
			return nil, err
		}
	}
	in.Bases, err = provenanceBases(t.Base, images, prep)
	if err != nil {
		return nil, err
	}
	return provenance.Statement(in)
}

// linked is what the binaries were built with: the Go version (of the
// first; one build uses one toolchain) and every module linked in, as
// built: a replaced module is its replacement, whose hash go.sum holds.
func linked(bins [][]sbom.Binary) (goVersion string, mods []provenance.Module) {
	for _, bs := range bins {
		for _, b := range bs {
			if goVersion == "" {
				goVersion, _, _ = strings.Cut(b.Info.GoVersion, " ")
			}
			for _, d := range b.Info.Deps {
				if d.Replace != nil {
					d = d.Replace
				}
				mods = append(mods, provenance.Module{Path: d.Path, Version: d.Version, Sum: d.Sum})
			}
		}
	}
	return goVersion, mods
}

// provenanceBases names the bases an artifact was built on by digest: a
// registry base by the digest its reference resolved to, a layout base by
// each platform's image. The built-in bases are part of packager.
func provenanceBases(ref string, images []platformImage, prep prepared) ([]provenance.Base, error) {
	switch {
	case ref == "static" || ref == "scratch":
		return nil, nil
	case prep.baseDigest != "":
		return []provenance.Base{{Ref: prep.baseName, Digest: prep.baseDigest}}, nil
	}
	var out []provenance.Base
	for _, pi := range images {
		d, err := pi.base.Digest()
		if err != nil {
			return nil, fmt.Errorf("base %s: %w", ref, err)
		}
		b := provenance.Base{Ref: ref, Digest: d.String()}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}

// goSum is the go.sum of the module dir is in, "" when there is none.
func goSum(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			sum := filepath.Join(dir, "go.sum")
			if _, err := os.Stat(sum); errors.Is(err, fs.ErrNotExist) {
				return ""
			}
			return sum
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// fileDigest is "sha256:<hex>" of a file's bytes.
func fileDigest(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("provenance: %w", err)
	}
	return fmt.Sprintf("sha256:%x", sha256.Sum256(data)), nil
}

// buildEnvironment is what t's image read from the environment: the
// variables its templates in ldflags, env and labels name (tags do not
// change the image), and SOURCE_DATE_EPOCH; nil for one that was unset.
// With them, `packager verify --rebuild` repeats the build exactly.
func (r *Request) buildEnvironment(t config.Target) map[string]*string {
	env := map[string]*string{"SOURCE_DATE_EPOCH": nil}
	if r.Epoch {
		epoch := strconv.FormatInt(r.Created.Unix(), 10)
		env["SOURCE_DATE_EPOCH"] = &epoch
	}
	seen := templateEnv(r.Environ, r.TemplateEnv)
	for _, text := range slices.Concat(t.Ldflags, t.Env, slices.Collect(maps.Values(t.Labels))) {
		for _, name := range render.EnvNames(text) {
			env[name] = nil
			if v, ok := seen[name]; ok {
				env[name] = &v
			}
		}
	}
	return env
}
