package oci

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func TestStaticBaseFiles(t *testing.T) {
	img, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, img)
	_, files := readLayer(t, lastLayer(t, img))

	tests := []struct {
		name     string
		typeflag byte
		mode     int64
		uid, gid int
		contains string
	}{
		{"etc/", '5', 0o755, 0, 0, ""},
		{"etc/passwd", '0', 0o644, 0, 0, "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"},
		{"etc/group", '0', 0o644, 0, 0, "nonroot:x:65532:\n"},
		{"etc/nsswitch.conf", '0', 0o644, 0, 0, "hosts: files dns\n"},
		{"etc/ssl/", '5', 0o755, 0, 0, ""},
		{"etc/ssl/certs/", '5', 0o755, 0, 0, ""},
		{"etc/ssl/certs/ca-certificates.crt", '0', 0o644, 0, 0, "-----BEGIN CERTIFICATE-----"},
		{"home/", '5', 0o755, 0, 0, ""},
		{"home/nonroot/", '5', 0o700, 65532, 65532, ""},
		{"root/", '5', 0o700, 0, 0, ""},
		{"tmp/", '5', 0o1777, 0, 0, ""},
	}
	if len(files) != len(tests) {
		t.Errorf("layer has %d entries, want %d", len(files), len(tests))
	}
	for _, tt := range tests {
		f, ok := files[tt.name]
		if !ok {
			t.Errorf("%s missing", tt.name)
			continue
		}
		h := f.hdr
		if h.Typeflag != tt.typeflag || h.Mode != tt.mode || h.Uid != tt.uid || h.Gid != tt.gid {
			t.Errorf("%s: type %c mode %o uid %d gid %d, want %c %o %d %d", tt.name, h.Typeflag, h.Mode, h.Uid, h.Gid, tt.typeflag, tt.mode, tt.uid, tt.gid)
		}
		if h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(time.Unix(0, 0)) || !h.AccessTime.IsZero() || !h.ChangeTime.IsZero() {
			t.Errorf("%s: header not reproducible: %+v", tt.name, h)
		}
		if !strings.Contains(string(f.data), tt.contains) {
			t.Errorf("%s does not contain %q", tt.name, tt.contains)
		}
	}
	passwd := string(files["etc/passwd"].data)
	for _, line := range []string{
		"root:x:0:0:root:/root:/sbin/nologin\n",
		"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n",
	} {
		if !strings.Contains(passwd, line) {
			t.Errorf("passwd lacks %q", line)
		}
	}
	if g := string(files["etc/group"].data); g != "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n" {
		t.Errorf("group = %q", g)
	}
}

func TestStaticBaseCertificates(t *testing.T) {
	pemData := caBundlePEM()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		t.Fatal("bundle does not parse as PEM certificates")
	}
	blocks := 0
	for rest := pemData; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			t.Errorf("certificate %d: %v", blocks, err)
		}
		blocks++
	}
	if blocks < 100 {
		t.Errorf("bundle has %d certificates, want > 100", blocks)
	}
	if !bytes.Equal(pemData, caBundlePEM()) {
		t.Error("bundle differs between calls")
	}
}

func TestStaticBaseDeterministic(t *testing.T) {
	a, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	b, err := StaticBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	arm, err := StaticBase(linuxArmV7)
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, arm)
	if mustDigest(t, a) != mustDigest(t, b) {
		t.Error("two calls give different image digests")
	}
	if mustDigest(t, a) == mustDigest(t, arm) {
		t.Error("amd64 and arm/v7 images have the same digest; the config should differ")
	}
	if mustDigest(t, lastLayer(t, a)) != mustDigest(t, lastLayer(t, arm)) {
		t.Error("layer digest depends on the platform")
	}
	// A fresh layer (not the cached one) must have the same digest too.
	fresh, err := NewLayer(staticEntries(), types.OCILayer, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if mustDigest(t, fresh) != mustDigest(t, lastLayer(t, a)) {
		t.Error("rebuilding the static layer gives a different digest")
	}
}

func TestStaticBaseConfig(t *testing.T) {
	img, err := StaticBase(linuxArmV7)
	if err != nil {
		t.Fatal(err)
	}
	if mt, _ := img.MediaType(); mt != types.OCIManifestSchema1 {
		t.Errorf("manifest media type %s", mt)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.MediaType != types.OCIConfigJSON || len(m.Layers) != 1 || m.Layers[0].MediaType != types.OCILayer {
		t.Errorf("manifest media types: config %s, layers %+v", m.Config.MediaType, m.Layers)
	}
	cf := mustConfig(t, img)
	if cf.OS != "linux" || cf.Architecture != "arm" || cf.Variant != "v7" {
		t.Errorf("platform %s/%s/%s", cf.OS, cf.Architecture, cf.Variant)
	}
	if !cf.Created.Equal(time.Unix(0, 0)) {
		t.Errorf("created %v", cf.Created)
	}
	if strings.Join(cf.Config.Env, " ") != strings.Join(staticEnv, " ") {
		t.Errorf("env %q", cf.Config.Env)
	}
	if len(cf.History) != 1 || cf.History[0].CreatedBy != "packager static base" {
		t.Errorf("history %+v", cf.History)
	}
}

func TestScratchBase(t *testing.T) {
	img, err := ScratchBase(linuxArm64)
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, img)
	if mt, _ := img.MediaType(); mt != types.OCIManifestSchema1 {
		t.Errorf("manifest media type %s", mt)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.MediaType != types.OCIConfigJSON || len(m.Layers) != 0 {
		t.Errorf("manifest: %+v", m)
	}
	if cf := mustConfig(t, img); cf.OS != "linux" || cf.Architecture != "arm64" {
		t.Errorf("platform %s/%s", cf.OS, cf.Architecture)
	}
	if _, err := ScratchBase(linuxArm64); err != nil {
		t.Fatal(err)
	}
	if _, err := StaticBase(v1.Platform{OS: "linux"}); err == nil {
		t.Error("a platform without architecture was accepted")
	}
}
