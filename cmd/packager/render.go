package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
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

// gitFacts is GitInfo's result for one directory.
type gitFacts struct {
	git *render.Git
	err error
}

// renderTargets renders the templates in tags, ldflags, env and labels of
// every target, and adds the standard OCI labels and annotations that git
// and SOURCE_DATE_EPOCH tell. git runs once per directory. Every problem is
// reported at once, each with the position of its value.
func (r buildRequest) renderTargets(ctx context.Context, targets []config.Target, created time.Time) error {
	envMap := map[string]string{}
	for _, kv := range r.env.vars {
		if k, v, ok := strings.Cut(kv, "="); ok {
			envMap[k] = v
		}
	}
	facts := map[string]gitFacts{}
	var errs []error
	for i := range targets {
		t := &targets[i]
		f, ok := facts[t.Dir]
		if !ok {
			f.git, f.err = render.GitInfo(ctx, t.Dir, r.env.vars)
			facts[t.Dir] = f
		}
		d := render.Data{Git: f.git, GitErr: f.err, Env: envMap, Date: created}
		errs = append(errs, renderTarget(t, d)...)
		addStandardLabels(t, f.git, r.env.sourceDateEpoch != "", created)
	}
	if err := errors.Join(errs...); err != nil {
		return usageError{err}
	}
	return nil
}

// renderTarget renders t's templated values in place.
func renderTarget(t *config.Target, d render.Data) []error {
	// Targets may share backing arrays with defaults: render into copies.
	t.Tags, t.Ldflags, t.Env = slices.Clone(t.Tags), slices.Clone(t.Ldflags), slices.Clone(t.Env)
	t.Labels, t.Annotations = maps.Clone(t.Labels), maps.Clone(t.Annotations)
	var errs []error
	do := func(field, text string) string {
		if !render.IsTemplate(text) {
			return text
		}
		out, err := render.Render(where(t, field), text, d)
		if err != nil {
			errs = append(errs, err)
		}
		return out
	}
	for i, tag := range t.Tags {
		field := fmt.Sprintf("tags[%d]", i)
		t.Tags[i] = do(field, tag)
		if tag != t.Tags[i] && !validTag.MatchString(t.Tags[i]) {
			errs = append(errs, fmt.Errorf("%s: %s renders to %q, which is not a valid tag (letters, digits, _ . - only, not starting with . or -, at most 128)",
				where(t, field), tag, t.Tags[i]))
		}
	}
	for i, f := range t.Ldflags {
		t.Ldflags[i] = do(fmt.Sprintf("ldflags[%d]", i), f)
	}
	for i, kv := range t.Env {
		k, v, _ := strings.Cut(kv, "=")
		t.Env[i] = k + "=" + do("env."+k, v)
	}
	for k, v := range t.Labels {
		t.Labels[k] = do("labels."+k, v)
	}
	return errs
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
// packager.yaml sets them. version is the tag at HEAD; created only comes
// from SOURCE_DATE_EPOCH, so builds without it keep the epoch and no label.
func addStandardLabels(t *config.Target, g *render.Git, haveEpoch bool, created time.Time) {
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
	if haveEpoch {
		std[annCreated] = created.UTC().Format(time.RFC3339)
	}
	if len(std) == 0 {
		return
	}
	if t.Labels == nil {
		t.Labels = map[string]string{}
	}
	if t.Annotations == nil {
		t.Annotations = map[string]string{}
	}
	for k, v := range std {
		if _, set := t.Labels[k]; !set {
			t.Labels[k] = v
		}
		if _, set := t.Annotations[k]; !set {
			t.Annotations[k] = v
		}
	}
}
