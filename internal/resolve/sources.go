package resolve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MaxBytes bounds the YAML read from all sources together: manifests are
// kilobytes, and a mistaken -f /dev/zero must not eat the machine.
const MaxBytes = 64 << 20

// Source is the YAML of one file (or of stdin, named "-").
type Source struct {
	Name string
	Data []byte
}

// Read reads what -f names: "-" is stdin; a directory is every *.yaml and
// *.yml file directly in it, sorted by name; anything else is a file.
// budget is what may still be read; it shrinks by what was read.
func Read(name string, stdin io.Reader, budget *int64) ([]Source, error) {
	if name == "-" {
		data, err := readLimited(stdin, budget)
		if err != nil {
			return nil, fmt.Errorf("read stdin: %w", err)
		}
		return []Source{{Name: "-", Data: data}}, nil
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		src, err := readFile(name, budget)
		return []Source{src}, err
	}
	entries, err := os.ReadDir(name)
	if err != nil {
		return nil, err
	}
	var out []Source
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || ext != ".yaml" && ext != ".yml" {
			continue
		}
		src, err := readFile(filepath.Join(name, e.Name()), budget)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no *.yaml or *.yml files in the directory", name)
	}
	return out, nil
}

func readFile(name string, budget *int64) (Source, error) {
	f, err := os.Open(name)
	if err != nil {
		return Source{}, err
	}
	defer f.Close()
	data, err := readLimited(f, budget)
	if err != nil {
		return Source{}, fmt.Errorf("read %s: %w", name, err)
	}
	return Source{Name: name, Data: data}, nil
}

var errTooBig = errors.New("more YAML than " + fmt.Sprint(MaxBytes>>20) + " MiB in all; split it over several runs")

func readLimited(r io.Reader, budget *int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, *budget+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > *budget {
		return nil, errTooBig
	}
	*budget -= int64(len(data))
	return data, nil
}

// Join makes one YAML stream of several, as kubectl and ko do for a
// directory: a "---" line between them (after a line break when one is
// missing). A single stream comes back unchanged.
func Join(streams [][]byte) []byte {
	var b bytes.Buffer
	for i, s := range streams {
		if i > 0 {
			if prev := streams[i-1]; len(prev) > 0 && !bytes.HasSuffix(prev, []byte("\n")) {
				b.WriteByte('\n')
			}
			b.WriteString("---\n")
		}
		b.Write(s)
	}
	return b.Bytes()
}
