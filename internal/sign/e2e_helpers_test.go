package sign_test

import (
	"context"
	"encoding/json"
	"io"
	"runtime/debug"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/packager-dev/packager/internal/provenance"
	"github.com/packager-dev/packager/internal/sbom"
	"github.com/packager-dev/packager/internal/sign"
	"github.com/packager-dev/packager/internal/testenv"
	"github.com/packager-dev/packager/oci"
)

var amd64 = v1.Platform{OS: "linux", Architecture: "amd64"}

// built is an image of a real program with a real dependency, with its
// attestations made the way the pipeline makes them.
type built struct {
	repo    string
	img     v1.Image
	digest  v1.Hash
	dep     testenv.DepModule
	spdx    sbom.Document
	cdx     sbom.Document
	prov    []byte
	sbomAtt []byte // the SPDX SBOM as an in-toto statement
}

// buildImage builds testenv.BuildDepProgram's binary onto the static base
// and makes its SBOMs and provenance.
func buildImage(t *testing.T, repo string) *built {
	t.Helper()
	ctx := context.Background()
	bin, dep := testenv.BuildDepProgram(t)
	base := must(oci.StaticBase(amd64))
	img := must(oci.Build(ctx, oci.Spec{Base: base, Platform: amd64, User: "65532",
		Binaries: []oci.Binary{{Source: bin, Path: "/usr/local/bin/syncdemo"}}}))
	b := &built{repo: repo, img: img, digest: must(img.Digest()), dep: dep}

	binary := must(sbom.ReadBinary(bin, "/usr/local/bin/syncdemo"))
	self := packagerBuildInfo(t)
	in := sbom.Input{Name: repo, Digest: b.digest.String(), Platform: "linux/amd64",
		Binaries: []sbom.Binary{binary}, Base: must(sbom.StaticBase(self)), Created: time.Unix(0, 0)}
	b.spdx = must(sbom.Generate(sbom.FormatSPDX, in))
	b.cdx = must(sbom.Generate(sbom.FormatCycloneDX, in))
	subjects := []provenance.Subject{{Name: repo, Digest: b.digest.String()}}
	b.prov = must(provenance.Statement(provenance.Input{
		Subjects: subjects, Packages: []string{"./"}, Platforms: []string{"linux/amd64"},
		GoVersion: binary.Info.GoVersion, Started: time.Unix(1, 0), Finished: time.Unix(2, 0),
	}))
	b.sbomAtt = must(provenance.Wrap(subjects, b.spdx.PredicateType, b.spdx.Data))
	return b
}

// attachments are the referrers (SBOMs, provenance) and, with a signer,
// cosign's signature and attestation images.
func (b *built) attachments(t *testing.T, s sign.Signer) oci.Attachments {
	t.Helper()
	ctx := context.Background()
	subject := must(oci.Descriptor(b.img))
	var atts oci.Attachments
	for _, d := range []struct {
		mt   string
		data []byte
	}{{b.spdx.MediaType, b.spdx.Data}, {b.cdx.MediaType, b.cdx.Data}, {provenance.MediaType, b.prov}} {
		atts.Referrers = append(atts.Referrers, must(oci.NewReferrer(subject, d.mt, d.data, nil)))
	}
	if s != nil {
		atts.Tagged = append(atts.Tagged,
			oci.Tagged{Tag: sign.SignatureTag(b.digest), Image: must(sign.SignatureImage(ctx, s, b.repo, b.digest))},
			oci.Tagged{Tag: sign.AttestationTag(b.digest), Image: must(sign.AttestationImage(ctx, s, b.prov, b.sbomAtt))},
		)
	}
	return atts
}

// push pushes the image under tag and its attachments.
func (b *built) push(t *testing.T, tag string, s sign.Signer) {
	t.Helper()
	ctx := context.Background()
	out := must(oci.ParseOutput("registry"))
	if _, err := out.Write(ctx, []oci.Artifact{{Repository: b.repo, Tags: []string{tag}, Image: b.img}}); err != nil {
		t.Fatal(err)
	}
	if _, err := oci.PushAttachments(ctx, b.repo, b.attachments(t, s)); err != nil {
		t.Fatal(err)
	}
}

// firstLayer returns the bytes of the only layer of a registry manifest.
func firstLayer(t *testing.T, ref string) []byte {
	t.Helper()
	img := must(remote.Image(must(name.ParseReference(ref))))
	layers := must(img.Layers())
	if len(layers) != 1 {
		t.Fatalf("%s has %d layers, want 1", ref, len(layers))
	}
	rc := must(layers[0].Compressed())
	defer rc.Close()
	return must(io.ReadAll(rc))
}

// fallbackIndex reads the referrers index under the fallback tag.
func fallbackIndex(t *testing.T, repo string, digest v1.Hash) *v1.IndexManifest {
	t.Helper()
	idx := must(remote.Index(must(name.ParseReference(repo + ":" + oci.FallbackTag(digest)))))
	return must(idx.IndexManifest())
}

type spdxPackage = spdx.Package

// packagerBuildInfo stands in for debug.ReadBuildInfo in the packager
// binary: a test binary records no dependencies, so the CA bundle module
// comes from `go list -m`.
func packagerBuildInfo(t *testing.T) *debug.BuildInfo {
	t.Helper()
	out := testenv.Run(t, "", testenv.RequireTool(t, "go"), "list", "-m", "-json", "golang.org/x/crypto/x509roots/fallback")
	var m debug.Module
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	return &debug.BuildInfo{Deps: []*debug.Module{&m}}
}
