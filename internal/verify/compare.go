package verify

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/packager-dev/packager/oci"
)

// Report is the result of comparing a rebuilt image with the published one.
type Report struct {
	Published, Rebuilt string // top digests: the index, or the image
	Platforms          []PlatformReport
	// CreatedHint is set when the created times differ: provenance from
	// before the environment was recorded does not say whether the build
	// set SOURCE_DATE_EPOCH, so it suggests the value that would give the
	// published time.
	CreatedHint string
}

// PlatformReport compares one platform's image.
type PlatformReport struct {
	Platform           string
	Published, Rebuilt string // digests; "" when that side has no image for the platform
	Config             []FieldDiff
	Layers             []LayerDiff
}

// FieldDiff is one image config field that differs.
type FieldDiff struct {
	Field              string // "Env", "Labels[org.opencontainers.image.created]", ...
	Published, Rebuilt string
}

// LayerDiff is one layer that differs, by its position in the manifest.
type LayerDiff struct {
	Index              int
	Published, Rebuilt string // layer digests; "" when that side has no such layer
}

// Match reports whether the rebuild gave the published digest.
func (r Report) Match() bool { return r.Published == r.Rebuilt }

// Compare compares the rebuilt image or index with the published one,
// platform by platform: digests, then, where they differ, the config
// fields that say how the image runs and the layers.
func Compare(published, rebuilt *oci.Description) Report {
	r := Report{Published: published.Digest, Rebuilt: rebuilt.Digest}
	byPlatform := map[string]*PlatformReport{}
	var order []string
	get := func(p string) *PlatformReport {
		if byPlatform[p] == nil {
			byPlatform[p] = &PlatformReport{Platform: p}
			order = append(order, p)
		}
		return byPlatform[p]
	}
	pub, reb := map[string]oci.ImageDoc{}, map[string]oci.ImageDoc{}
	for _, img := range published.Images {
		get(img.Platform).Published, pub[img.Platform] = img.Digest, img
	}
	for _, img := range rebuilt.Images {
		get(img.Platform).Rebuilt, reb[img.Platform] = img.Digest, img
	}
	for _, p := range order {
		pr := byPlatform[p]
		if pr.Published != "" && pr.Rebuilt != "" && pr.Published != pr.Rebuilt {
			pr.Config = configDiff(pub[p].Config, reb[p].Config)
			pr.Layers = layerDiff(pub[p].Layers, reb[p].Layers)
			if r.CreatedHint == "" {
				r.CreatedHint = createdHint(pub[p].Config.Created, reb[p].Config.Created)
			}
		}
		r.Platforms = append(r.Platforms, *pr)
	}
	return r
}

func configDiff(a, b oci.ConfigSummary) []FieldDiff {
	var out []FieldDiff
	add := func(field, x, y string) {
		if x != y {
			out = append(out, FieldDiff{Field: field, Published: x, Rebuilt: y})
		}
	}
	add("Created", a.Created, b.Created)
	add("Entrypoint", quoteList(a.Entrypoint), quoteList(b.Entrypoint))
	add("Cmd", quoteList(a.Cmd), quoteList(b.Cmd))
	add("Env", quoteList(a.Env), quoteList(b.Env))
	add("User", a.User, b.User)
	add("WorkingDir", a.WorkingDir, b.WorkingDir)
	add("ExposedPorts", quoteList(a.Ports), quoteList(b.Ports))
	keys := slices.Sorted(maps.Keys(a.Labels))
	for k := range b.Labels {
		if _, ok := a.Labels[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		x, okA := a.Labels[k]
		y, okB := b.Labels[k]
		if okA != okB || x != y {
			out = append(out, FieldDiff{Field: "Labels[" + k + "]", Published: orAbsent(x, okA), Rebuilt: orAbsent(y, okB)})
		}
	}
	return out
}

func layerDiff(a, b []oci.LayerDoc) []LayerDiff {
	var out []LayerDiff
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i].Digest
		}
		if i < len(b) {
			y = b[i].Digest
		}
		if x != y {
			out = append(out, LayerDiff{Index: i, Published: x, Rebuilt: y})
		}
	}
	return out
}

// createdHint says which SOURCE_DATE_EPOCH would give the published
// created time, when the times differ.
func createdHint(published, rebuilt string) string {
	if published == rebuilt {
		return ""
	}
	t, err := time.Parse(time.RFC3339, published)
	if err != nil {
		return "the created times differ; set SOURCE_DATE_EPOCH as the original build did"
	}
	return fmt.Sprintf("the created times differ: the original build may have set SOURCE_DATE_EPOCH "+
		"(provenance from before packager recorded the environment does not say); the published time is SOURCE_DATE_EPOCH=%d", t.Unix())
}

// String is the report as `packager verify` prints it.
func (r Report) String() string {
	var b strings.Builder
	if r.Match() {
		fmt.Fprintf(&b, "match %s\n", r.Published)
		return b.String()
	}
	fmt.Fprintf(&b, "mismatch: published %s, rebuilt %s\n", r.Published, r.Rebuilt)
	for _, p := range r.Platforms {
		name := cmp.Or(p.Platform, "image")
		switch {
		case p.Published == p.Rebuilt:
			fmt.Fprintf(&b, "%s: match %s\n", name, p.Published)
			continue
		case p.Published == "":
			fmt.Fprintf(&b, "%s: only in the rebuild (%s)\n", name, p.Rebuilt)
			continue
		case p.Rebuilt == "":
			fmt.Fprintf(&b, "%s: not rebuilt (published %s)\n", name, p.Published)
			continue
		}
		fmt.Fprintf(&b, "%s: published %s, rebuilt %s\n", name, p.Published, p.Rebuilt)
		for _, f := range p.Config {
			fmt.Fprintf(&b, "  config %s: published %s, rebuilt %s\n", f.Field, f.Published, f.Rebuilt)
		}
		for _, l := range p.Layers {
			fmt.Fprintf(&b, "  layer %d: published %s, rebuilt %s\n", l.Index, orNone(l.Published), orNone(l.Rebuilt))
		}
		if len(p.Config) == 0 && len(p.Layers) == 0 {
			b.WriteString("  config summary and layers are equal: another config field or the manifest's annotations differ\n")
		}
	}
	if allMatch(r.Platforms) {
		b.WriteString("every platform image matches: the index differs (its annotations or the order of its platforms)\n")
	}
	if r.CreatedHint != "" {
		fmt.Fprintf(&b, "hint: %s\n", r.CreatedHint)
	}
	return b.String()
}

func quoteList(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, " ") + "]"
}

func orAbsent(v string, ok bool) string {
	if !ok {
		return "(absent)"
	}
	return fmt.Sprintf("%q", v)
}

func orNone(s string) string { return cmp.Or(s, "(none)") }

func allMatch(ps []PlatformReport) bool {
	for _, p := range ps {
		if p.Published != p.Rebuilt {
			return false
		}
	}
	return len(ps) > 0
}
