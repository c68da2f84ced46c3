package provenance

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	slsa "github.com/in-toto/attestation/go/predicates/provenance/v1"
	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/packager-dev/packager/internal/gomod"
)

// predicate builds the SLSA Provenance v1 predicate as a Struct, the form
// the Statement type carries it in.
func predicate(in Input) (*structpb.Struct, error) {
	ext := map[string]any{
		"packages":  sortedCopy(in.Packages),
		"platforms": sortedCopy(in.Platforms),
	}
	if in.ConfigDigest != "" {
		cfg := map[string]any{"digest": in.ConfigDigest}
		if in.Config != "" {
			cfg["path"] = in.Config
		}
		ext["config"] = cfg
	}
	if len(in.Environment) > 0 {
		env := map[string]any{}
		for k, v := range in.Environment {
			env[k] = nil
			if v != nil {
				env[k] = *v
			}
		}
		ext["environment"] = env
	}
	if !in.Flags.IsZero() {
		ext["flags"] = in.Flags.external()
	}
	extStruct, err := structpb.NewStruct(ext)
	if err != nil {
		return nil, err
	}
	deps, err := resolved(in)
	if err != nil {
		return nil, err
	}
	builderID := in.BuilderID
	if builderID == "" {
		builderID = DefaultBuilderID
	}
	p := &slsa.Provenance{
		BuildDefinition: &slsa.BuildDefinition{
			BuildType:            BuildType,
			ExternalParameters:   extStruct,
			ResolvedDependencies: deps,
		},
		RunDetails: &slsa.RunDetails{
			Builder: &slsa.Builder{Id: builderID},
			Metadata: &slsa.BuildMetadata{
				InvocationId: in.InvocationID,
				StartedOn:    timestamp(in.Started),
				FinishedOn:   timestamp(in.Finished),
			},
		},
	}
	if in.BuilderVersion != "" {
		p.RunDetails.Builder.Version = map[string]string{"packager": in.BuilderVersion}
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("SLSA provenance: %w", err)
	}
	raw, err := protojson.Marshal(p)
	if err != nil {
		return nil, err
	}
	var s structpb.Struct
	if err := protojson.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// resolved lists what the build used, each by digest: the git commit, the
// Go toolchain, go.sum (the whole module graph), each module linked into
// the binaries and every base image.
func resolved(in Input) ([]*intoto.ResourceDescriptor, error) {
	var deps []*intoto.ResourceDescriptor
	if in.Git != nil && in.Git.Commit != "" {
		uri := in.Git.Repository
		if uri != "" && !strings.HasPrefix(uri, "git+") {
			uri = "git+" + uri
		}
		deps = append(deps, &intoto.ResourceDescriptor{
			Uri: uri, Digest: map[string]string{"gitCommit": in.Git.Commit},
		})
	}
	if in.GoVersion != "" {
		deps = append(deps, &intoto.ResourceDescriptor{
			Name: "go", Uri: gomod.PackageURL("stdlib", strings.TrimPrefix(in.GoVersion, "go")),
			Annotations: mustStruct(map[string]any{"version": in.GoVersion}),
		})
	}
	if in.GoSum != "" {
		d, err := digestMap(in.GoSum)
		if err != nil {
			return nil, fmt.Errorf("go.sum: %w", err)
		}
		name := in.GoSumPath
		if name == "" {
			name = "go.sum"
		}
		deps = append(deps, &intoto.ResourceDescriptor{Name: name, Digest: d, MediaType: "text/plain"})
	}
	deps = append(deps, modules(in.Modules)...)
	for _, b := range in.Bases {
		d, err := digestMap(b.Digest)
		if err != nil {
			return nil, fmt.Errorf("base %s: %w", b.Ref, err)
		}
		deps = append(deps, &intoto.ResourceDescriptor{Name: b.Ref, Uri: ociURI(b.Ref), Digest: d})
	}
	return deps, nil
}

// modules names each module once, sorted, by package URL and by its go.sum
// hash as in-toto's "dirHash" digest (the h1: hash in hex: what go.sum
// and the checksum database pin). A module with no such hash (one
// replaced by a local directory) has no version to name and is left out:
// its source is the build's own, or nothing a digest here could pin.
func modules(ms []Module) []*intoto.ResourceDescriptor {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, func(a, b Module) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Version, b.Version))
	})
	ms = slices.Compact(ms)
	var out []*intoto.ResourceDescriptor
	for _, m := range ms {
		h, ok := gomod.H1Hex(m.Sum)
		if !ok || m.Version == "" {
			continue
		}
		out = append(out, &intoto.ResourceDescriptor{
			Name: m.Path, Uri: gomod.PackageURL(m.Path, m.Version), Digest: map[string]string{DirHash: h},
		})
	}
	return out
}

// ociURI names a registry image as a package URL-free URI ("oci://REF").
func ociURI(ref string) string {
	if strings.HasPrefix(ref, "oci:") {
		return "" // a local layout has no useful URI; its digest identifies it
	}
	return "oci://" + ref
}

func mustStruct(m map[string]any) *structpb.Struct {
	s, err := structpb.NewStruct(m)
	if err != nil {
		panic(err) // only called with string values
	}
	return s
}
