package gocache

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Policy says what a trim or prune keeps: entries used within MaxAge, and
// (when MaxSize > 0) at most MaxSize bytes of outputs, the most recently
// used first. A zero MaxAge keeps any age.
type Policy struct {
	MaxAge  time.Duration
	MaxSize int64
}

// TrimStats says what a trim did.
type TrimStats struct {
	Removed, Kept           int   // output files
	FreedBytes, KeptBytes   int64 // their sizes
	RemovedEntries, Entries int   // ActionID entries
}

type fileInfo struct {
	path  string
	size  int64
	mtime time.Time
}

// Trim removes outputs and entries by p. A hit refreshes mtimes (at most
// hourly), so age means time since last use. A build running meanwhile
// may lose an output it is about to reuse; it then rebuilds it.
func (d *Disk) Trim(p Policy, now time.Time) (TrimStats, error) {
	var st TrimStats
	outs, err := listFiles(d.outDir())
	if err != nil {
		return st, err
	}
	sort.Slice(outs, func(i, j int) bool { return outs[i].mtime.After(outs[j].mtime) })
	var total int64
	for _, f := range outs {
		old := p.MaxAge > 0 && now.Sub(f.mtime) > p.MaxAge
		if old || p.MaxSize > 0 && total+f.size > p.MaxSize {
			if err := os.Remove(f.path); err == nil {
				st.Removed++
				st.FreedBytes += f.size
			}
			continue
		}
		total += f.size
		st.Kept++
		st.KeptBytes += f.size
	}
	ents, err := listFiles(d.actionDir())
	if err != nil {
		return st, err
	}
	for _, f := range ents {
		if p.MaxAge > 0 && now.Sub(f.mtime) > p.MaxAge && os.Remove(f.path) == nil {
			st.RemovedEntries++
			continue
		}
		st.Entries++
	}
	return st, nil
}

// TrimIfDue runs Trim when the last one is more than every ago, so that
// every build may call it and the cache stops growing without a cron job.
func (d *Disk) TrimIfDue(p Policy, now time.Time, every time.Duration) (TrimStats, bool, error) {
	stamp := filepath.Join(d.dir, "trim.txt")
	if data, err := os.ReadFile(stamp); err == nil {
		if t, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64); err == nil && now.Sub(time.Unix(t, 0)) < every {
			return TrimStats{}, false, nil
		}
	}
	// Stamp first: two processes racing here both trim, which is harmless.
	if err := writeFileAtomic(stamp, []byte(strconv.FormatInt(now.Unix(), 10)+"\n")); err != nil {
		return TrimStats{}, false, err
	}
	st, err := d.Trim(p, now)
	return st, true, err
}

// listFiles returns the finished files of dir (not the ".tmp" ones of
// writes in progress).
func listFiles(dir string) ([]fileInfo, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read go cache directory: %w", err)
	}
	out := make([]fileInfo, 0, len(ents))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			out = append(out, fileInfo{filepath.Join(dir, e.Name()), fi.Size(), fi.ModTime()})
		}
	}
	return out, nil
}
