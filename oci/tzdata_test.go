package oci

import (
	"archive/zip"
	"context"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeZip writes a zip of name -> contents, each entry stamped modified,
// the way Go's lib/time/zoneinfo.zip is laid out (files only, stored).
func writeZip(t *testing.T, files map[string]string, modified ...time.Time) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "zoneinfo.zip")
	out, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		h := &zip.FileHeader{Name: name, Method: zip.Store}
		if len(modified) > 0 {
			h.Modified = modified[0]
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// goZoneinfo is the zoneinfo.zip of the Go that runs the tests.
func goZoneinfo(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "lib", "time", "zoneinfo.zip")
}

// TestTZDataUnpacked: tzdata: true puts Go's real zoneinfo.zip into the
// image as the /usr/share/zoneinfo tree a Dockerfile would copy: every zone
// a TZif file time can load, directories before their contents, fixed
// modes, owners and mtimes.
func TestTZDataUnpacked(t *testing.T) {
	zipPath := goZoneinfo(t)
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zones := len(zr.File)
	zr.Close()

	scratch, err := ScratchBase(linuxAmd64)
	if err != nil {
		t.Fatal(err)
	}
	s := testSpec(t, scratch)
	s.TZData = zipPath
	img, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, img)
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	names, files := readLayer(t, ls[0])
	if !slices.IsSorted(names) {
		t.Errorf("layer entries are not sorted")
	}
	nFiles := 0
	for _, name := range names {
		h := files[name].hdr
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(s.Created) {
			t.Errorf("%s: uid %d gid %d %q %q mtime %v", name, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime)
		}
		if strings.HasSuffix(name, "/") {
			if h.Mode != 0o755 {
				t.Errorf("%s: mode %o, want 0755", name, h.Mode)
			}
			continue
		}
		zone, ok := strings.CutPrefix(name, "usr/share/zoneinfo/")
		if !ok || h.Mode != 0o644 {
			t.Errorf("%s: mode %o, want 0644 under /usr/share/zoneinfo", name, h.Mode)
			continue
		}
		if _, err := time.LoadLocationFromTZData(zone, files[name].data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !slices.Contains(names, path.Dir(name)+"/") {
			t.Errorf("%s has no directory entry", name)
		}
		nFiles++
	}
	if nFiles != zones || files["usr/share/zoneinfo/Europe/Paris"].data == nil {
		t.Errorf("%d zone files, want the zip's %d (Europe/Paris among them)", nFiles, zones)
	}
}

// TestTZDataDeterministic: the zip's own timestamps do not reach the
// layer, so two Go installs with the same zones give the same digest.
func TestTZDataDeterministic(t *testing.T) {
	zones := map[string]string{"UTC": "TZif utc", "America/Argentina/Salta": "TZif salta"}
	var digests []string
	for _, mod := range []time.Time{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)} {
		entries, err := tzdataEntries(writeZip(t, zones, mod))
		if err != nil {
			t.Fatal(err)
		}
		l, err := NewLayer(entries, "application/vnd.oci.image.layer.v1.tar+gzip", time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, d.String())
	}
	if digests[0] != digests[1] {
		t.Errorf("digests differ with the zip's mtimes: %v", digests)
	}
}

func TestTZDataBadZip(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"not a zip", writeFile(t, "zoneinfo.zip", []byte("PK\x03\x04 pretend zip")), "tzdata: read"},
		{"empty", writeZip(t, map[string]string{}), "holds no zones"},
		{"escapes", writeZip(t, map[string]string{"../../etc/passwd": "root"}), "not a zone name"},
		{"absolute", writeZip(t, map[string]string{"/etc/passwd": "root"}), "not a zone name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tzdataEntries(tt.path)
			wantErrContains(t, err, tt.want)
		})
	}
}
