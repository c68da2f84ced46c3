package sbom

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/packager-dev/packager/internal/gomod"
)

// kind says what a component is; both formats map it to their own vocabulary.
type kind int

const (
	kindImage kind = iota
	kindBinary
	kindBase
	kindModule
	kindStdlib
)

// component is one node of the SBOM, format-neutral. Both writers walk the
// same list, so SPDX and CycloneDX always say the same thing.
type component struct {
	ref      string // unique within the document
	kind     kind
	name     string
	version  string
	purl     string
	sha256   string // hex, decoded from a go.sum "h1:" hash
	sum      string // the go.sum hash as written ("h1:...")
	comment  string
	settings [][2]string // Go build settings (key, value), binaries only
	sbom     *Ref        // the base image's own SBOM, the base only
	deps     []string    // refs this component depends on
}

// model flattens in into components: the image first, then binaries (by
// path), the base, and every module once (sorted by package URL).
func model(in Input) ([]component, error) {
	img := component{ref: "image", kind: kindImage, name: in.Name, version: in.Digest, purl: imagePURL(in)}
	comps := []component{}
	modules := map[string]component{}
	addModule := func(c component) string {
		modules[c.ref] = c
		return c.ref
	}
	bins := append([]Binary(nil), in.Binaries...)
	sort.Slice(bins, func(i, j int) bool { return bins[i].Path < bins[j].Path })
	for _, b := range bins {
		if b.Info == nil {
			return nil, fmt.Errorf("binary %s has no build information", b.Path)
		}
		bc := component{ref: "binary:" + b.Path, kind: kindBinary, name: b.Path, version: b.Info.Main.Version,
			comment: "Go binary built from " + b.Info.Path}
		for _, s := range b.Info.Settings {
			bc.settings = append(bc.settings, [2]string{s.Key, s.Value})
		}
		bc.deps = append(bc.deps, addModule(moduleComponent(moduleOf(&b.Info.Main), "main module")))
		if v := goVersion(b.Info.GoVersion); v != "" {
			bc.deps = append(bc.deps, addModule(stdlibComponent(v)))
		}
		for _, d := range b.Info.Deps {
			c := moduleComponent(moduleOf(d), "")
			if d.Replace != nil {
				c.comment = "replaced by " + d.Replace.Path
			}
			bc.deps = append(bc.deps, addModule(c))
		}
		img.deps = append(img.deps, bc.ref)
		comps = append(comps, bc)
	}
	base := component{ref: "base", kind: kindBase, name: in.Base.Ref, version: in.Base.Digest, purl: basePURL(in.Base), sbom: in.Base.SBOM}
	if in.Base.SBOM != nil {
		base.comment = fmt.Sprintf("its own SBOM (%s) is %s@%s", in.Base.SBOM.MediaType, in.Base.SBOM.Location, in.Base.SBOM.Digest)
	}
	for _, m := range in.Base.Modules {
		base.deps = append(base.deps, addModule(moduleComponent(m, "carried by the base image")))
	}
	if in.Base.Ref != "" {
		img.deps = append(img.deps, base.ref)
		comps = append(comps, base)
	}
	refs := make([]string, 0, len(modules))
	for r := range modules {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	for _, r := range refs {
		comps = append(comps, modules[r])
	}
	return append([]component{img}, comps...), nil
}

func moduleComponent(m Module, comment string) component {
	c := component{kind: kindModule, name: m.Path, version: m.Version, sum: m.Sum, comment: comment}
	c.purl = gomod.PackageURL(m.Path, m.Version)
	c.ref = c.purl
	if h, ok := gomod.H1Hex(m.Sum); ok {
		c.sha256 = h
	}
	return c
}

func stdlibComponent(goVersion string) component {
	purl := gomod.PackageURL("stdlib", strings.TrimPrefix(goVersion, "go"))
	return component{ref: purl, kind: kindStdlib, name: "stdlib", version: goVersion, purl: purl, comment: "Go standard library"}
}

// goVersion keeps "go1.26.8" of "go1.26.8 X:nodwarf5".
func goVersion(v string) string {
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return ""
}

// imagePURL is "pkg:oci/NAME@DIGEST?repository_url=REPO" when the digest is known.
func imagePURL(in Input) string {
	if in.Digest == "" || in.Name == "" {
		return ""
	}
	p := "pkg:oci/" + gomod.EscapePURL(path.Base(in.Name)) + "@" + gomod.EscapePURL(in.Digest)
	q := url.Values{}
	if strings.Contains(in.Name, "/") {
		q.Set("repository_url", in.Name)
	}
	if in.Platform != "" {
		q.Set("platform", in.Platform)
	}
	if enc := q.Encode(); enc != "" {
		p += "?" + enc
	}
	return p
}

// basePURL names a registry base by digest; built-in bases have none.
func basePURL(b Base) string {
	if b.Digest == "" {
		return ""
	}
	ref := strings.TrimPrefix(b.Ref, "oci:")
	if i := strings.LastIndex(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i] // a tag
	}
	return imagePURL(Input{Name: ref, Digest: b.Digest})
}

// documentID is a stable hash of everything the document says, used where
// the formats want a unique name (SPDX namespace, CycloneDX serial number).
func documentID(in Input, comps []component) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", in.Name, in.Digest, in.Platform, in.Created.UTC())
	for _, c := range comps {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%v\x00%v\x00", c.ref, c.name, c.version, c.sum, c.settings, c.deps)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// baseSBOMComment says what a pointer to the base's own SBOM points at.
func baseSBOMComment(r *Ref) string {
	return "the base image's own SBOM (" + r.MediaType + "), an OCI referrer of the base"
}
