package oci

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// zoneinfoDir is where the time zone database goes: the path glibc, musl,
// Go's time package and most other runtimes search without being told,
// and the one a Dockerfile copies (COPY --from=... /usr/share/zoneinfo).
const zoneinfoDir = "/usr/share/zoneinfo"

// maxTZData bounds what tzdataEntries reads into memory. Go's zoneinfo.zip
// holds about 350 KB; anything near this limit is not a time zone database.
const maxTZData = 64 << 20

// tzdataEntries unpacks Go's zoneinfo.zip (an uncompressed zip of TZif
// files named like "Europe/Paris") into layer entries under
// /usr/share/zoneinfo: files 0644, directories 0755, uid/gid 0, sorted by
// path. The mtime is the layer's, so the same zip always gives the same
// bytes whatever the zip's own timestamps say.
func tzdataEntries(zipPath string) ([]Entry, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, fmt.Errorf("tzdata: read %s: %w; point it at $(go env GOROOT)/lib/time/zoneinfo.zip", zipPath, err)
	}
	defer zr.Close()
	var entries []Entry
	dirs := map[string]bool{zoneinfoDir: true}
	total := int64(0)
	for _, f := range zr.File {
		name := strings.TrimSuffix(f.Name, "/")
		if name == "" || path.IsAbs(name) || path.Clean(name) != name || hasDotDot("/"+name) {
			return nil, fmt.Errorf("tzdata: %s holds %q, which is not a zone name; use Go's own zoneinfo.zip", zipPath, f.Name)
		}
		p := path.Join(zoneinfoDir, name)
		if f.FileInfo().IsDir() {
			dirs[p] = true
			continue
		}
		if f.UncompressedSize64 > maxTZData-uint64(total) {
			return nil, fmt.Errorf("tzdata: %s unpacks to more than %d MiB; use Go's own zoneinfo.zip", zipPath, maxTZData>>20)
		}
		data, err := readZipFile(f)
		if err != nil {
			return nil, fmt.Errorf("tzdata: %s: %s: %w", zipPath, f.Name, err)
		}
		total += int64(len(data))
		entries = append(entries, Entry{Path: p, Mode: 0o644, Data: data})
		for d := path.Dir(p); d != zoneinfoDir; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("tzdata: %s holds no zones; use Go's own zoneinfo.zip", zipPath)
	}
	for d := range dirs {
		entries = append(entries, Entry{Path: d, Mode: fs.ModeDir | 0o755})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	return entries, nil
}

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The header's size is checked against maxTZData by the caller; the
	// limit here guards against a header that understates it (archive/zip
	// also fails a file whose size or checksum differs from its header).
	data, err := io.ReadAll(io.LimitReader(rc, maxTZData+1))
	if err != nil {
		return nil, err
	}
	if uint64(len(data)) != f.UncompressedSize64 {
		return nil, fmt.Errorf("size %d does not match its header (%d)", len(data), f.UncompressedSize64)
	}
	return data, nil
}
