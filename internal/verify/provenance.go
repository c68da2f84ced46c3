package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/oci"
)

// Provenance is what a packager provenance statement records, the inputs a
// rebuild must hold equal (see docs/attestations.md, "Build type v1").
type Provenance struct {
	Subject     string // the digest it is about: the image, or the index
	SubjectName string // where it was pushed, "ghcr.io/acme/api" (no tag)

	Packages     []string // the image's main packages, as written
	Platforms    []string // "linux/amd64"
	Config       string   // packager.yaml's path as given; "" when none was used
	ConfigDigest string   // "sha256:..." of its bytes
	// Environment is what the build read from the environment (template
	// variables, SOURCE_DATE_EPOCH); nil for one that was unset. Empty in
	// provenance from packagers before it was recorded.
	Environment map[string]*string
	// Flags are what packager build's flags laid over packager.yaml
	// (--base, --image-user, --ldflags, --image-label, --image-annotation);
	// zero when none did, and in provenance from packagers before they
	// were recorded.
	Flags provenance.Flags

	Repository string   // the git remote; "" when none
	Commit     string   // the commit built; "" outside git
	GoVersion  string   // "go1.26.8"
	GoSum      string   // "sha256:..." of go.sum; "" when the module has none
	Modules    []Module // the modules linked into the binaries; none in provenance from older packagers
	Bases      []Base   // registry and layout bases by digest

	BuilderVersion    string // packager's version
	Started, Finished time.Time
}

// Base is one base image the build used.
type Base struct{ Ref, Digest string }

// Module is one Go module linked into the binaries: its package URL
// ("pkg:golang/PATH@VERSION") and its go.sum hash as a digest
// ("dirHash:HEX").
type Module struct{ URI, Digest string }

// statement is the part of an in-toto statement with a SLSA v1 predicate
// that Parse reads.
type statement struct {
	Subject []struct {
		Name   string            `json:"name"`
		Digest map[string]string `json:"digest"`
	} `json:"subject"`
	PredicateType string `json:"predicateType"`
	Predicate     struct {
		BuildDefinition struct {
			BuildType          string `json:"buildType"`
			ExternalParameters struct {
				Packages  []string `json:"packages"`
				Platforms []string `json:"platforms"`
				Config    *struct {
					Path   string `json:"path"`
					Digest string `json:"digest"`
				} `json:"config"`
				Environment map[string]*string `json:"environment"`
				Flags       *struct {
					Base        string            `json:"base"`
					User        string            `json:"user"`
					Ldflags     []string          `json:"ldflags"`
					Labels      map[string]string `json:"labels"`
					Annotations map[string]string `json:"annotations"`
				} `json:"flags"`
			} `json:"externalParameters"`
			ResolvedDependencies []struct {
				Name        string            `json:"name"`
				URI         string            `json:"uri"`
				Digest      map[string]string `json:"digest"`
				MediaType   string            `json:"mediaType"`
				Annotations map[string]string `json:"annotations"`
			} `json:"resolvedDependencies"`
		} `json:"buildDefinition"`
		RunDetails struct {
			Builder struct {
				Version map[string]string `json:"version"`
			} `json:"builder"`
			Metadata struct {
				StartedOn  time.Time `json:"startedOn"`
				FinishedOn time.Time `json:"finishedOn"`
			} `json:"metadata"`
		} `json:"runDetails"`
	} `json:"predicate"`
}

// Parse reads a provenance statement packager wrote. A statement of
// another predicate or build type is an error: its parameters mean
// something else.
func Parse(data []byte) (Provenance, error) {
	var st statement
	if err := json.Unmarshal(data, &st); err != nil {
		return Provenance{}, fmt.Errorf("provenance: %w", err)
	}
	bd := st.Predicate.BuildDefinition
	switch {
	case st.PredicateType != provenance.PredicateType:
		return Provenance{}, fmt.Errorf("provenance: predicate type %q, want %q", st.PredicateType, provenance.PredicateType)
	case bd.BuildType != provenance.BuildType:
		return Provenance{}, fmt.Errorf("provenance: build type %q is not packager's (%s): it cannot be rebuilt here", bd.BuildType, provenance.BuildType)
	case len(st.Subject) != 1:
		return Provenance{}, fmt.Errorf("provenance: %d subjects, want one", len(st.Subject))
	}
	p := Provenance{
		Subject:        joinDigest(st.Subject[0].Digest),
		SubjectName:    st.Subject[0].Name,
		Packages:       bd.ExternalParameters.Packages,
		Platforms:      bd.ExternalParameters.Platforms,
		Environment:    bd.ExternalParameters.Environment,
		BuilderVersion: st.Predicate.RunDetails.Builder.Version["packager"],
		Started:        st.Predicate.RunDetails.Metadata.StartedOn,
		Finished:       st.Predicate.RunDetails.Metadata.FinishedOn,
	}
	if f := bd.ExternalParameters.Flags; f != nil {
		p.Flags = provenance.Flags{Base: f.Base, User: f.User, Ldflags: f.Ldflags, Labels: f.Labels, Annotations: f.Annotations}
	}
	if c := bd.ExternalParameters.Config; c != nil {
		p.Config, p.ConfigDigest = c.Path, c.Digest
		if p.Config == "" {
			p.Config = "packager.yaml"
		}
	}
	// The kinds of dependency are told apart as provenance.resolved writes
	// them: the commit by its gitCommit digest, Go by name, go.sum by its
	// media type, a module by its pkg:golang URI, and every other entry is
	// a base.
	for _, d := range bd.ResolvedDependencies {
		switch {
		case d.Digest["gitCommit"] != "":
			p.Commit, p.Repository = d.Digest["gitCommit"], strings.TrimPrefix(d.URI, "git+")
		case d.Name == "go":
			p.GoVersion = d.Annotations["version"]
		case d.MediaType == "text/plain":
			p.GoSum = joinDigest(d.Digest)
		case strings.HasPrefix(d.URI, "pkg:golang/"):
			p.Modules = append(p.Modules, Module{URI: d.URI, Digest: provenance.DirHash + ":" + d.Digest[provenance.DirHash]})
		default:
			p.Bases = append(p.Bases, Base{Ref: d.Name, Digest: joinDigest(d.Digest)})
		}
	}
	if len(p.Packages) == 0 || len(p.Platforms) == 0 {
		return Provenance{}, errors.New("provenance: no packages or platforms recorded")
	}
	return p, nil
}

// joinDigest turns in-toto's {"sha256": "HEX"} into "sha256:HEX".
func joinDigest(d map[string]string) string {
	for _, alg := range []string{"sha256", "sha512"} {
		if hex := d[alg]; hex != "" {
			return alg + ":" + hex
		}
	}
	return ""
}

// ErrNoProvenance is returned by Fetch when ref has no packager provenance
// attached: there is nothing to rebuild from.
var ErrNoProvenance = errors.New("no packager provenance attached")

// Fetch reads ref (a registry reference or oci:DIR[:TAG]) and the
// provenance attached to the digest it resolves to: the index's for an
// index, the image's for an image. When several are attached (the same
// image built twice), the one that finished last is returned.
func Fetch(ctx context.Context, ref string, opts ...oci.Option) (Provenance, *oci.Description, error) {
	d, err := oci.Inspect(ctx, ref, opts...)
	if err != nil {
		return Provenance{}, nil, err
	}
	att := d.Attached
	if att == nil && len(d.Images) == 1 {
		att = &d.Images[0].Attached
	}
	var found []Provenance
	var errs []error
	for _, r := range att.Referrers {
		if r.ArtifactType != provenance.MediaType {
			continue
		}
		data, err := oci.AttachedDocument(ctx, ref, r.Digest, opts...)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := Parse(data)
		if err != nil {
			errs = append(errs, fmt.Errorf("referrer %s: %w", r.Digest, err))
			continue
		}
		if p.Subject == d.Digest {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		err := fmt.Errorf("%s (%s): %w: build it with packager build --provenance (the default when pushing)", ref, d.Digest, ErrNoProvenance)
		return Provenance{}, d, errors.Join(append([]error{err}, errs...)...)
	}
	return slices.MaxFunc(found, func(a, b Provenance) int { return a.Finished.Compare(b.Finished) }), d, nil
}
