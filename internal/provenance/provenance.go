package provenance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"
)

const (
	// PredicateType is SLSA Provenance v1 (cosign's --type slsaprovenance1).
	PredicateType = "https://slsa.dev/provenance/v1"
	// MediaType is the media type of an in-toto statement, the artifactType
	// of its referrer manifest.
	MediaType = "application/vnd.in-toto+json"
	// BuildType names what external parameters mean for a packager build.
	BuildType = "https://github.com/packager-dev/packager/blob/main/docs/attestations.md#build-type-v1"
	// DirHash is the in-toto digest algorithm of a Go module's go.sum
	// hash: the "h1:" dirhash in hex instead of base64.
	DirHash = "dirHash"
	// DefaultBuilderID is used when Input.BuilderID is empty: a build run by
	// packager on a machine that says nothing more about itself.
	DefaultBuilderID = "https://github.com/packager-dev/packager"
)

// Input is what one provenance statement records.
type Input struct {
	Subjects []Subject // what was built: images and indexes, by digest

	BuilderID      string // who ran the build (a CI system's URI), DefaultBuilderID if empty
	BuilderVersion string // packager's version

	// External parameters: what the user asked for.
	Packages     []string // Go packages built, e.g. "./cmd/api"
	Platforms    []string // "linux/amd64"
	Config       string   // packager.yaml path as given, when one was used
	ConfigDigest string   // "sha256:..." of packager.yaml's bytes
	// Environment is what the build read from the environment: the
	// variables packager.yaml's templates in ldflags, env and labels name,
	// and SOURCE_DATE_EPOCH; nil for one that was unset.
	Environment map[string]*string
	// Flags are the command-line settings that changed the images beyond
	// packager.yaml; zero when none did.
	Flags Flags

	// Resolved dependencies: what the build actually used.
	Git       *Git   // the source checkout, when in one
	GoVersion string // "go1.26.8"
	Bases     []Base // base images by digest
	GoSum     string // "sha256:..." of go.sum: the module graph, pinned
	GoSumPath string // go.sum's path relative to the repository, e.g. "go.sum"
	// Modules are the modules linked into the binaries, as their build
	// information records them (a replaced module as its replacement).
	Modules []Module

	InvocationID      string // e.g. a CI run URL; optional
	Started, Finished time.Time
}

// Flags are what packager build's flags laid over packager.yaml for every
// image: --base, --image-user, --ldflags, --image-label and
// --image-annotation. Recorded as externalParameters.flags, so that a
// rebuild can apply them too.
type Flags struct {
	Base        string
	User        string
	Ldflags     []string
	Labels      map[string]string
	Annotations map[string]string
}

// IsZero reports whether no flag changed anything.
func (f Flags) IsZero() bool {
	return f.Base == "" && f.User == "" && len(f.Ldflags) == 0 && len(f.Labels) == 0 && len(f.Annotations) == 0
}

// external is f as a Struct value: only what is set, in JSON's types.
func (f Flags) external() map[string]any {
	m := map[string]any{}
	if f.Base != "" {
		m["base"] = f.Base
	}
	if f.User != "" {
		m["user"] = f.User
	}
	if len(f.Ldflags) > 0 {
		l := make([]any, len(f.Ldflags))
		for i, v := range f.Ldflags {
			l[i] = v
		}
		m["ldflags"] = l
	}
	for key, kv := range map[string]map[string]string{"labels": f.Labels, "annotations": f.Annotations} {
		if len(kv) > 0 {
			o := map[string]any{}
			for k, v := range kv {
				o[k] = v
			}
			m[key] = o
		}
	}
	return m
}

// Subject is one artifact the statement is about.
type Subject struct {
	Name   string // "ghcr.io/acme/api" (tags are not part of identity)
	Digest string // "sha256:..."
}

// Git is the source repository and commit a build came from.
type Git struct {
	Repository string // e.g. "https://github.com/acme/api" or a remote URL
	Commit     string // full hex commit id
}

// Module is a Go module at a version, with its go.sum hash ("h1:...").
type Module struct {
	Path, Version, Sum string
}

// Base is a base image as resolved for one platform.
type Base struct {
	Ref    string // as configured, e.g. "cgr.dev/chainguard/static:latest"
	Digest string // "sha256:..."
}

// Statement returns the in-toto Statement v1 JSON for in.
func Statement(in Input) ([]byte, error) {
	subjects, err := subjectsOf(in.Subjects)
	if err != nil {
		return nil, err
	}
	pred, err := predicate(in)
	if err != nil {
		return nil, err
	}
	st := &intoto.Statement{
		Type:          intoto.StatementTypeUri,
		Subject:       subjects,
		PredicateType: PredicateType,
		Predicate:     pred,
	}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("provenance statement: %w", err)
	}
	raw, err := protojson.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("encode provenance statement: %w", err)
	}
	return canonical(raw)
}

func subjectsOf(in []Subject) ([]*intoto.ResourceDescriptor, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("provenance needs at least one subject (an image digest)")
	}
	var out []*intoto.ResourceDescriptor
	for _, s := range in {
		d, err := digestMap(s.Digest)
		if err != nil {
			return nil, fmt.Errorf("subject %s: %w", s.Name, err)
		}
		out = append(out, &intoto.ResourceDescriptor{Name: s.Name, Digest: d})
	}
	return out, nil
}

// digestMap turns "sha256:HEX" into in-toto's {"sha256": "HEX"}.
func digestMap(d string) (map[string]string, error) {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok || alg == "" || hex == "" {
		return nil, fmt.Errorf("digest %q is not ALGORITHM:HEX", d)
	}
	return map[string]string{alg: hex}, nil
}

// canonical re-encodes JSON with sorted keys and two-space indents.
// protojson varies its whitespace between runs on purpose.
func canonical(raw []byte) ([]byte, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t.UTC())
}

func sortedCopy(s []string) []any {
	c := append([]string(nil), s...)
	sort.Strings(c)
	out := make([]any, len(c))
	for i, v := range c {
		out[i] = v
	}
	return out
}
