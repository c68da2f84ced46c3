package gocache

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Cache is what Serve needs from a cache: [Disk] and [Tiered] are two.
// IDs are lowercase hex. Put must read body to its end.
type Cache interface {
	Get(ctx context.Context, actionID string) (Entry, bool, error)
	Put(ctx context.Context, actionID, outputID string, size int64, body io.Reader) (Entry, error)
	Close(ctx context.Context) error
}

// request and response mirror cmd/go/internal/cacheprog's Request and
// Response (that package is internal to cmd/go, so it cannot be imported).
type request struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

type response struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

// maxParallelGets bounds the gets in flight: each may download a blob.
const maxParallelGets = 16

// Serve answers the go command's requests read from in, writing responses to
// out, until a "close" request (after which it closes c) or the end of in.
// Gets run concurrently, since the go command asks for many at once and a
// get may download from the registry; puts run in order, because their
// bodies follow them in the stream.
func Serve(ctx context.Context, in io.Reader, out io.Writer, c Cache) error {
	w := &responder{bw: bufio.NewWriter(out)}
	w.enc = json.NewEncoder(w.bw)
	if err := w.send(response{KnownCommands: []string{"get", "put", "close"}}); err != nil {
		return fmt.Errorf("GOCACHEPROG: write capabilities: %w", err)
	}
	br := bufio.NewReaderSize(in, 64<<10)
	sem := make(chan struct{}, maxParallelGets)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		req, err := readRequest(br)
		if errors.Is(err, io.EOF) {
			wg.Wait()
			return c.Close(ctx)
		}
		if err != nil {
			return fmt.Errorf("GOCACHEPROG: read request: %w", err)
		}
		switch req.Command {
		case "get":
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				w.sendOrLog(get(ctx, c, req))
			}()
		case "put":
			resp, err := put(ctx, c, req, br)
			if err != nil {
				return fmt.Errorf("GOCACHEPROG: read body of put %d: %w", req.ID, err)
			}
			if err := w.send(resp); err != nil {
				return err
			}
		case "close":
			wg.Wait()
			resp := response{ID: req.ID}
			if err := c.Close(ctx); err != nil {
				resp.Err = err.Error()
			}
			return w.send(resp)
		default:
			if err := w.send(response{ID: req.ID, Err: fmt.Sprintf("unknown command %q", req.Command)}); err != nil {
				return err
			}
		}
	}
}

// readRequest reads the next JSON request line, skipping the blank lines
// the go command writes between messages.
func readRequest(br *bufio.Reader) (request, error) {
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var req request
			if jerr := json.Unmarshal(line, &req); jerr != nil {
				return request{}, fmt.Errorf("bad request %q: %w", line, jerr)
			}
			return req, nil
		}
		if err != nil {
			return request{}, err
		}
	}
}

func get(ctx context.Context, c Cache, req request) response {
	aid, err := idHex("ActionID", req.ActionID)
	if err != nil {
		return response{ID: req.ID, Err: err.Error()}
	}
	e, ok, err := c.Get(ctx, aid)
	if err != nil {
		return response{ID: req.ID, Err: err.Error()}
	}
	if !ok {
		return response{ID: req.ID, Miss: true}
	}
	oid, _ := hex.DecodeString(e.OutputID)
	t := e.Time
	return response{ID: req.ID, OutputID: oid, Size: e.Size, Time: &t, DiskPath: e.DiskPath}
}

// put stores one output. The error is for a broken stream, after which
// nothing more can be read; a failed store is reported in the response.
func put(ctx context.Context, c Cache, req request, br *bufio.Reader) (response, error) {
	body := io.Reader(bytes.NewReader(nil))
	var raw *bodyReader
	if req.BodySize > 0 {
		var err error
		if raw, err = newBodyReader(br); err != nil {
			return response{}, err
		}
		body = base64.NewDecoder(base64.StdEncoding, raw)
	}
	resp := response{ID: req.ID}
	aid, err1 := idHex("ActionID", req.ActionID)
	oid, err2 := idHex("OutputID", req.OutputID)
	if err := errors.Join(err1, err2); err != nil {
		resp.Err = err.Error()
	} else if e, err := c.Put(ctx, aid, oid, req.BodySize, body); err != nil {
		resp.Err = err.Error()
	} else {
		resp.DiskPath = e.DiskPath
	}
	if raw != nil {
		if err := raw.finish(); err != nil {
			return response{}, err
		}
	}
	return resp, nil
}

// responder writes responses one at a time: gets answer from goroutines.
type responder struct {
	mu  sync.Mutex
	bw  *bufio.Writer
	enc *json.Encoder
}

func (w *responder) send(r response) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.enc.Encode(r); err != nil {
		return fmt.Errorf("GOCACHEPROG: write response: %w", err)
	}
	return w.bw.Flush()
}

// sendOrLog is send for goroutines: a broken pipe means the go command is
// gone, and the read loop will see that too.
func (w *responder) sendOrLog(r response) { _ = w.send(r) }
