package gocache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Entry is what the cache knows about one action's output.
type Entry struct {
	OutputID string    // hex SHA-256 of the output
	Size     int64     // bytes
	Time     time.Time // when it was stored
	DiskPath string    // absolute path of a local file holding the output
}

// ErrMismatch marks output bytes that do not hash to their OutputID.
var ErrMismatch = errors.New("output bytes do not match their OutputID")

// Disk is the local level, rooted at one directory:
//
//	DIR/o/<OutputID>   outputs, named by the SHA-256 of their bytes
//	DIR/a/<ActionID>   entries: "v1 <OutputID> <size> <unix nanoseconds>"
//
// Every file is written to a temporary name (starting with ".") and renamed
// into place, so any number of processes may share a directory and nothing
// reads a partial file.
type Disk struct{ dir string }

// touchAfter is how stale an output's mtime may get before a hit refreshes
// it; trimming by age reads mtimes, and touching on every hit would cost a
// syscall per action.
const touchAfter = time.Hour

// OpenDisk returns the local level in dir, creating it (mode 0700).
func OpenDisk(dir string) (*Disk, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("go cache directory %s: %w", dir, err)
	}
	d := &Disk{dir: abs}
	for _, sub := range []string{d.outDir(), d.actionDir()} {
		if err := os.MkdirAll(sub, 0o700); err != nil {
			return nil, fmt.Errorf("create go cache directory: %w; pass a directory you can write to", err)
		}
	}
	return d, nil
}

// Dir returns the absolute path of the cache directory.
func (d *Disk) Dir() string { return d.dir }

func (d *Disk) outDir() string                 { return filepath.Join(d.dir, "o") }
func (d *Disk) actionDir() string              { return filepath.Join(d.dir, "a") }
func (d *Disk) outPath(outputID string) string { return filepath.Join(d.outDir(), outputID) }

// Get returns the entry for actionID (hex) if both the entry and an output
// of the recorded size are on disk. Anything unreadable is a miss.
func (d *Disk) Get(_ context.Context, actionID string) (Entry, bool, error) {
	entryPath := filepath.Join(d.actionDir(), actionID)
	data, err := os.ReadFile(entryPath)
	if err != nil {
		return Entry{}, false, nil
	}
	e, ok := parseEntry(string(data))
	if !ok {
		return Entry{}, false, nil
	}
	e.DiskPath = d.outPath(e.OutputID)
	fi, err := os.Stat(e.DiskPath)
	if err != nil || fi.Size() != e.Size {
		return Entry{}, false, nil
	}
	if time.Since(fi.ModTime()) > touchAfter {
		now := time.Now()
		_ = os.Chtimes(e.DiskPath, now, now) // only trimming reads them
		_ = os.Chtimes(entryPath, now, now)
	}
	return e, true, nil
}

// Put stores body under actionID. It reads body to the end, refuses bytes
// that do not hash to outputID or are not size long (ErrMismatch), and
// writes the output before the entry that names it.
func (d *Disk) Put(_ context.Context, actionID, outputID string, size int64, body io.Reader) (Entry, error) {
	if !validHex(actionID) || !validHex(outputID) {
		return Entry{}, fmt.Errorf("put %q → %q: IDs must be 64 hex digits", actionID, outputID)
	}
	path := d.outPath(outputID)
	if fi, err := os.Stat(path); err == nil && fi.Size() == size {
		if _, err := io.Copy(io.Discard, body); err != nil { // the protocol stream must move on
			return Entry{}, err
		}
	} else if err := writeVerified(path, outputID, size, body); err != nil {
		return Entry{}, err
	}
	e := Entry{OutputID: outputID, Size: size, Time: time.Now().Truncate(time.Second), DiskPath: path}
	line := fmt.Sprintf("v1 %s %d %d\n", outputID, size, e.Time.UnixNano())
	if err := writeFileAtomic(filepath.Join(d.actionDir(), actionID), []byte(line)); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// writeVerified copies body to path through a temporary file, hashing it,
// and renames it into place only if the hash and size are right.
func writeVerified(path, outputID string, size int64, body io.Reader) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file in %s: %w", filepath.Dir(path), err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), body)
	if err == nil && (n != size || hex.EncodeToString(h.Sum(nil)) != outputID) {
		err = fmt.Errorf("%w: got %d bytes with sha256 %x, want %d bytes with sha256 %s", ErrMismatch, n, h.Sum(nil), size, outputID)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	return commit(tmp, path)
}

func parseEntry(s string) (Entry, bool) {
	f := strings.Fields(s)
	if len(f) != 4 || f[0] != "v1" || !validHex(f[1]) {
		return Entry{}, false
	}
	size, err1 := strconv.ParseInt(f[2], 10, 64)
	nanos, err2 := strconv.ParseInt(f[3], 10, 64)
	if err1 != nil || err2 != nil || size < 0 {
		return Entry{}, false
	}
	return Entry{OutputID: f[1], Size: size, Time: time.Unix(0, nanos)}, true
}

// Close does nothing: the disk level holds no open files.
func (d *Disk) Close(context.Context) error { return nil }
