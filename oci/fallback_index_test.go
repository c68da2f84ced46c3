package oci

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/packager-dev/packager/internal/testenv"
)

// pushWithReferrers pushes a new image to host/repo and returns its
// descriptor and n referrers of it (not pushed).
func pushWithReferrers(t *testing.T, host, repo string, n int) (v1.Descriptor, Attachments) {
	t.Helper()
	img := testImage(t, linuxAmd64, "subject of "+t.Name())
	ref := mustRef(t, host+"/"+repo+":v1")
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	sub, err := Descriptor(img)
	if err != nil {
		t.Fatal(err)
	}
	var atts Attachments
	for i := range n {
		r, err := NewReferrer(sub, fmt.Sprintf("application/x.test%d+json", i), fmt.Appendf(nil, `{"n":%d}`, i), nil)
		if err != nil {
			t.Fatal(err)
		}
		atts.Referrers = append(atts.Referrers, r)
	}
	return sub, atts
}

// fallbackDigests returns the digests the fallback index of subject lists.
func fallbackDigests(t *testing.T, host, repo string, subject v1.Hash) []v1.Hash {
	t.Helper()
	tag, err := name.NewTag(host + "/" + repo + ":" + FallbackTag(subject))
	if err != nil {
		t.Fatal(err)
	}
	im, err := readFallbackIndex(context.Background(), makeOptions([]Option{anonymous}), tag)
	if err != nil {
		t.Fatal(err)
	}
	var ds []v1.Hash
	for _, d := range im.Manifests {
		ds = append(ds, d.Digest)
		if d.ArtifactType == "" {
			t.Errorf("fallback index lists %s without its artifactType", d.Digest)
		}
	}
	return ds
}

// TestFallbackIndexOnDockerRegistry: Debian's docker-registry has no
// referrers API, so every referrer ends up in its subject's fallback
// index, written once for all of them; pushing them again adds nothing;
// a later referrer is added beside the earlier ones. It also pins the
// error text of ggcr that isNoReferrersAPI matches: if ggcr changes it,
// the first push here fails.
func TestFallbackIndexOnDockerRegistry(t *testing.T) {
	reg := testenv.StartRegistry(t)
	sub, atts := pushWithReferrers(t, reg.Host, "fallback/app", 3)
	first := Attachments{Referrers: atts.Referrers[:2]}
	refs, err := PushAttachments(context.Background(), reg.Host+"/fallback/app", first, anonymous)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 2 {
		t.Fatalf("refs %v, want 2", refs)
	}
	want := []v1.Hash{mustDigest(t, atts.Referrers[0]), mustDigest(t, atts.Referrers[1])}
	checkListed := func(want []v1.Hash) {
		t.Helper()
		got := fallbackDigests(t, reg.Host, "fallback/app", sub.Digest)
		slices.SortFunc(want, func(a, b v1.Hash) int { return strings.Compare(a.String(), b.String()) })
		if !slices.Equal(got, want) {
			t.Errorf("fallback index lists %v, want %v (sorted)", got, want)
		}
	}
	checkListed(want)

	if _, err := PushAttachments(context.Background(), reg.Host+"/fallback/app", first, anonymous); err != nil {
		t.Fatal(err)
	}
	checkListed(want)

	if _, err := PushAttachments(context.Background(), reg.Host+"/fallback/app", atts, anonymous); err != nil {
		t.Fatal(err)
	}
	checkListed(append(want, mustDigest(t, atts.Referrers[2])))
}

// TestReferrersAPIWritesNoFallbackTag: a registry with the referrers API
// lists the referrers itself; no fallback tag is written.
func TestReferrersAPIWritesNoFallbackTag(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0)), registry.WithReferrersSupport(true)))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	sub, atts := pushWithReferrers(t, host, "api/app", 2)
	if _, err := PushAttachments(context.Background(), host+"/api/app", atts, anonymous); err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Referrers(mustRef(t, host+"/api/app@"+sub.Digest.String()).(name.Digest), remote.WithReferrersTagFallback(false))
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 2 {
		t.Errorf("referrers API lists %d, want 2", len(im.Manifests))
	}
	tags, err := remote.List(mustRef(t, host+"/api/app:v1").Context())
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(tags, FallbackTag(sub.Digest)) {
		t.Errorf("tags %v: a fallback tag on a registry with the referrers API", tags)
	}
}

// ReferrersOf lists each distinct subject once, however often it is
// asked for, and a subject the registry has never seen has none.
func TestReferrersOfDistinctSubjects(t *testing.T) {
	host := startRegistry(t)
	sub, atts := pushWithReferrers(t, host, "list/app", 2)
	if _, err := PushAttachments(context.Background(), host+"/list/app", atts, anonymous); err != nil {
		t.Fatal(err)
	}
	unknown := "sha256:" + strings.Repeat("0", 64)
	s := sub.Digest.String()
	got, err := ReferrersOf(context.Background(), host+"/list/app", []string{s, unknown, s, s}, anonymous, WithJobs(4))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[s]) != 2 || len(got[unknown]) != 0 {
		t.Errorf("ReferrersOf = %v, want 2 referrers of %s and none of %s", got, s, unknown)
	}
}
