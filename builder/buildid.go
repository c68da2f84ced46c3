package builder

import (
	"bytes"
	"debug/elf"
	"strings"
)

// BuildID returns the Go build ID stamped into the binary at path (the
// .note.go.buildid ELF note, kept by -s -w), or "" when it has none or it
// is not in the form go writes ("actionID/contentID" parts, four for a
// linked program; -ldflags=-buildid=X replaces it). The last part is a hash
// of the binary's contents, so equal build IDs mean equal bytes: callers can
// use it to recognise an unchanged binary without hashing it.
func BuildID(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil {
		return ""
	}
	data, err := s.Data()
	if err != nil || len(data) < 16 {
		return ""
	}
	// An ELF note: namesz, descsz, type (4 bytes each, in the file's byte
	// order), then the name "Go\x00\x00" and the description, the ID.
	namesz := f.ByteOrder.Uint32(data[0:4])
	descsz := f.ByteOrder.Uint32(data[4:8])
	if namesz != 4 || !bytes.Equal(data[12:16], []byte("Go\x00\x00")) || uint64(16)+uint64(descsz) > uint64(len(data)) {
		return ""
	}
	id := string(data[16 : 16+descsz])
	parts := strings.Split(id, "/")
	if len(parts) != 4 {
		return ""
	}
	for _, p := range parts {
		if len(p) < 16 {
			return ""
		}
	}
	return id
}
