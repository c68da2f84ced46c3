package pipeline

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/render"
)

// OCI annotation keys packager fills in when it knows the value
// (https://github.com/opencontainers/image-spec/blob/main/annotations.md).
const (
	annSource     = "org.opencontainers.image.source"
	annRevision   = "org.opencontainers.image.revision"
	annVersion    = "org.opencontainers.image.version"
	annCreated    = "org.opencontainers.image.created"
	annBaseName   = "org.opencontainers.image.base.name"
	annBaseDigest = "org.opencontainers.image.base.digest"
)

// renderer renders the templates of targets. Git facts are collected once
// per directory, on first use: ldflags need them before compiling, the
// other fields only once the binaries are built, so git usually runs while
// go build does.
type renderer struct {
	env       []string
	envMap    map[string]string
	created   time.Time
	haveEpoch bool

	// status: some template needs `git status` (.Git.Dirty, .Version);
	// without one, git is asked only the cheap questions.
	status bool

	mu  sync.Mutex
	git map[string]func() (*render.Git, error)
}

func newRenderer(environ []string, overrides map[string]*string, created time.Time, epoch bool, targets []config.Target) *renderer {
	m := templateEnv(environ, overrides)
	status := false
	for _, t := range targets {
		for _, v := range slices.Concat(t.Tags, t.Ldflags, t.Env, slices.Collect(maps.Values(t.Labels))) {
			status = status || render.NeedsStatus(v)
		}
	}
	return &renderer{env: environ, envMap: m, created: created, haveEpoch: epoch,
		status: status, git: map[string]func() (*render.Git, error){}}
}

// data is what templates in dir may refer to.
func (r *renderer) data(ctx context.Context, dir string) render.Data {
	r.mu.Lock()
	get, ok := r.git[dir]
	if !ok {
		info := render.GitInfoClean
		if r.status {
			info = render.GitInfo
		}
		get = sync.OnceValues(func() (*render.Git, error) {
			g, err := info(ctx, dir, r.env)
			if g != nil && g.Branch == "" {
				// CI checks out a detached HEAD; its variables name the branch.
				g.Branch = render.CIBranch(r.envMap)
			}
			return g, err
		})
		r.git[dir] = get
	}
	r.mu.Unlock()
	g, err := get()
	date, _ := r.createdFor(g)
	return render.Data{Git: g, GitErr: err, Env: r.envMap, Date: date}
}

// ldflags renders t's linker flags in place (on a copy of the slice).
func (r *renderer) ldflags(ctx context.Context, t *config.Target) []error {
	if !slices.ContainsFunc(t.Ldflags, render.IsTemplate) {
		return nil
	}
	t.Ldflags = slices.Clone(t.Ldflags)
	var errs []error
	d := r.data(ctx, t.Dir)
	for i, f := range t.Ldflags {
		t.Ldflags[i] = renderField(t, fmt.Sprintf("ldflags[%d]", i), f, d, &errs)
	}
	return errs
}

// rendered is what an image publishes that templates and git decide.
type rendered struct {
	tags, env           []string
	labels, annotations map[string]string
}

// image renders t's tags, env and labels, and adds the standard OCI labels
// and annotations that git and SOURCE_DATE_EPOCH tell. t is not changed.
func (r *renderer) image(ctx context.Context, t *config.Target) (rendered, []error) {
	d := r.data(ctx, t.Dir)
	out := rendered{
		tags: slices.Clone(t.Tags), env: slices.Clone(t.Env),
		labels: maps.Clone(t.Labels), annotations: maps.Clone(t.Annotations),
	}
	var errs []error
	for i, tag := range out.tags {
		field := fmt.Sprintf("tags[%d]", i)
		out.tags[i] = renderField(t, field, tag, d, &errs)
		if tag != out.tags[i] && !validTag.MatchString(out.tags[i]) {
			errs = append(errs, fmt.Errorf("%s: %s renders to %q, which is not a valid tag (letters, digits, _ . - only, not starting with . or -, at most 128)",
				where(t, field), tag, out.tags[i]))
		}
	}
	for i, kv := range out.env {
		k, v, _ := strings.Cut(kv, "=")
		out.env[i] = k + "=" + renderField(t, "env."+k, v, d, &errs)
	}
	for k, v := range out.labels {
		out.labels[k] = renderField(t, "labels."+k, v, d, &errs)
	}
	r.addStandardLabels(&out, d.Git)
	return out, errs
}

// renderField renders one value, adding any error to errs.
func renderField(t *config.Target, field, text string, d render.Data, errs *[]error) string {
	if !render.IsTemplate(text) {
		return text
	}
	out, err := render.Render(where(t, field), text, d)
	if err != nil {
		*errs = append(*errs, err)
	}
	return out
}

var validTag = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// where names a field of t for errors: "packager.yaml:12:7: tags[1]", or
// the field alone when it came from a flag.
func where(t *config.Target, field string) string {
	if at := t.At[field]; at != "" {
		return at + ": " + field
	}
	return field
}

// addStandardLabels fills the OCI source, revision, version and created
// keys into the labels (what docker inspect and GitHub's package page show)
// and the manifest annotations (what the OCI spec defines them for), unless
// packager.yaml sets them. version is the tag at HEAD; created is set when
// SOURCE_DATE_EPOCH or git says it (see createdFor): the epoch says nothing.
func (r *renderer) addStandardLabels(out *rendered, g *render.Git) {
	std := map[string]string{}
	if g != nil {
		std[annRevision] = g.Commit
		if g.Source != "" {
			std[annSource] = g.Source
		}
		if g.Tag != "" {
			std[annVersion] = g.Tag
		}
	}
	if created, ok := r.createdFor(g); ok {
		std[annCreated] = created.UTC().Format(time.RFC3339)
	}
	if len(std) == 0 {
		return
	}
	if out.labels == nil {
		out.labels = map[string]string{}
	}
	if out.annotations == nil {
		out.annotations = map[string]string{}
	}
	for k, v := range std {
		if _, set := out.labels[k]; !set {
			out.labels[k] = v
		}
		if _, set := out.annotations[k]; !set {
			out.annotations[k] = v
		}
	}
}

// createdFor is the created time of an image built from the checkout g
// (nil outside git): SOURCE_DATE_EPOCH when set, else the committer time of
// HEAD, the same in every clone, else the Unix epoch. ok is false for the
// epoch, which says nothing about when the image was made.
func (r *renderer) createdFor(g *render.Git) (created time.Time, ok bool) {
	switch {
	case r.haveEpoch:
		return r.created, true
	case g != nil && !g.CommitDate.IsZero():
		return g.CommitDate.UTC(), true
	}
	return r.created, false
}

// templateEnv is what .Env.NAME reads: environ (the last value of a
// variable set twice, as for go), with overrides applied (nil: unset).
func templateEnv(environ []string, overrides map[string]*string) map[string]string {
	m := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	for k, v := range overrides {
		delete(m, k)
		if v != nil {
			m[k] = *v
		}
	}
	return m
}
