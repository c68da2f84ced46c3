package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/packager-dev/packager/internal/atomicfile"
)

// published is what one output published: one reference per image and,
// per image, its attachments (nil when none).
type published struct {
	refs     []string
	attached [][]Attachment
}

// imageRef is one image in the JSON form of --image-refs.
type imageRef struct {
	Ref         string       `json:"ref"`
	Attachments []Attachment `json:"attachments"`
}

// writeImageRefs writes the references every output published to file,
// atomically. As ko's --image-refs, the file has one image reference per
// line (the lines packager prints), so `xargs` and ko's users read it
// unchanged; a file named *.json instead gets a JSON array with each
// image's attachments (SBOMs, provenance, signatures) and their references.
func writeImageRefs(file string, pubs []published) error {
	var buf bytes.Buffer
	if strings.HasSuffix(file, ".json") {
		list := []imageRef{}
		for _, p := range pubs {
			for i, ref := range p.refs {
				r := imageRef{Ref: ref, Attachments: []Attachment{}}
				if i < len(p.attached) && p.attached[i] != nil {
					r.Attachments = p.attached[i]
				}
				list = append(list, r)
			}
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(list); err != nil {
			return err
		}
	} else {
		for _, p := range pubs {
			for _, ref := range p.refs {
				fmt.Fprintln(&buf, ref)
			}
		}
	}
	if err := atomicfile.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--image-refs: %w", err)
	}
	return nil
}

// digestAfter is the "sha256:..." of a printed reference (after its last '@').
func digestAfter(ref string) string {
	if i := strings.LastIndex(ref, "@"); i >= 0 {
		return ref[i+1:]
	}
	return ""
}
