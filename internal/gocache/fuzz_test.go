package gocache

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// FuzzServe: whatever the go command (or anything posing as it) writes to
// `packager gocacheprog`, Serve neither panics nor hangs, and writes only
// inside its cache directory.
func FuzzServe(f *testing.F) {
	body, oid := output("p")
	b64 := func(h string) string {
		raw, _ := hex.DecodeString(h)
		return base64.StdEncoding.EncodeToString(raw)
	}
	put := `{"ID":1,"Command":"put","ActionID":"` + b64(actionID("p")) + `","OutputID":"` + b64(oid) +
		`","BodySize":` + strconv.Itoa(len(body)) + "}\n\n\"" + base64.StdEncoding.EncodeToString(body) + "\"\n" +
		`{"ID":2,"Command":"get","ActionID":"` + b64(actionID("p")) + `"}` + "\n"
	for _, s := range []string{
		put,
		`{"ID":1,"Command":"get","ActionID":"AAAA"}` + "\n",
		`{"ID":2,"Command":"put","BodySize":99999999999}` + "\n\"QUJD\"\n",
		`{"ID":3,"Command":"close"}` + "\n",
		`{"ID":4,"Command":"bogus"}` + "\n",
		"{\n",
		`{"ID":5,"Command":"put","ActionID":"Li4vLi4v","OutputID":"Li4vLi4v","BodySize":3}` + "\n\"../\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		root := t.TempDir()
		dir := filepath.Join(root, "cache")
		disk, err := OpenDisk(dir)
		if err != nil {
			t.Fatal(err)
		}
		_ = Serve(context.Background(), bytes.NewReader(in), io.Discard, disk)
		err = filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
			if err == nil && p != root && !strings.HasPrefix(p, dir) {
				t.Errorf("Serve wrote %s, outside its cache directory", p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzMergeSessions: the remote cache's session manifests come from a
// registry, which may send anything. What is merged into the index has an
// action ID and an output ID of 64 hex digits and is never a path.
func FuzzMergeSessions(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":2,"layers":[{"mediaType":"` + string(outputMediaType) + `","size":3,` +
		`"digest":"sha256:` + strings.Repeat("a", 64) + `","annotations":{"` + actionAnnotation + `":"` + strings.Repeat("b", 64) + `"}}]}`))
	f.Add([]byte(`{"layers":[{"digest":"sha256:../../etc","annotations":{"` + actionAnnotation + `":"../x"}}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := v1.ParseManifest(bytes.NewReader(raw))
		if err != nil {
			return
		}
		for aid, e := range mergeSessions([]session{{tag: "t", manifest: m}}) {
			if !validHex(aid) || !validHex(e.OutputID) || len(aid) != 64 || len(e.OutputID) != 64 {
				t.Errorf("merged %q → %q from %s", aid, e.OutputID, raw)
			}
		}
	})
}
