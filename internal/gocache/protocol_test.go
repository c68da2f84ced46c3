package gocache

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"testing"
	"time"
)

// goClient writes requests framed as cmd/go's ProgCache does: the JSON
// object, a newline, an empty line, then for a put the base64 body as a
// JSON string on its own line.
type goClient struct {
	t   *testing.T
	w   io.Writer
	dec *json.Decoder
	id  int64
}

func (c *goClient) send(req request, body []byte) response {
	c.t.Helper()
	c.id++
	req.ID = c.id
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(req); err != nil {
		c.t.Fatal(err)
	}
	buf.WriteByte('\n')
	if len(body) > 0 {
		buf.WriteString(`"` + base64.StdEncoding.EncodeToString(body) + "\"\n")
	}
	if _, err := c.w.Write(buf.Bytes()); err != nil {
		c.t.Fatal(err)
	}
	var resp response
	if err := c.dec.Decode(&resp); err != nil {
		c.t.Fatal(err)
	}
	if resp.ID != req.ID {
		c.t.Fatalf("response ID %d, want %d", resp.ID, req.ID)
	}
	return resp
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestServeSpeaksTheGoProtocol(t *testing.T) {
	disk, err := OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	served := make(chan error, 1)
	go func() { served <- Serve(context.Background(), inR, outW, disk); outW.Close() }()
	c := &goClient{t: t, w: inW, dec: json.NewDecoder(bufio.NewReader(outR))}

	var hello response
	if err := c.dec.Decode(&hello); err != nil || len(hello.KnownCommands) != 3 {
		t.Fatalf("capabilities = %+v, %v; want get, put, close", hello, err)
	}
	body, oid := output("p")
	aid := actionID("p")
	if r := c.send(request{Command: "get", ActionID: unhex(t, aid)}, nil); !r.Miss {
		t.Errorf("get before put = %+v, want a miss", r)
	}
	put := c.send(request{Command: "put", ActionID: unhex(t, aid), OutputID: unhex(t, oid), BodySize: int64(len(body))}, body)
	if put.Err != "" || put.DiskPath == "" {
		t.Fatalf("put = %+v", put)
	}
	got := c.send(request{Command: "get", ActionID: unhex(t, aid)}, nil)
	if got.Miss || got.Size != int64(len(body)) || hex.EncodeToString(got.OutputID) != oid || got.Time == nil || time.Since(*got.Time) > time.Minute {
		t.Errorf("get after put = %+v", got)
	}
	if data, err := os.ReadFile(got.DiskPath); err != nil || !bytes.Equal(data, body) {
		t.Errorf("DiskPath holds %q, %v; want the body", data, err)
	}
	// An empty output has no body line.
	const emptyOID = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" // sha256("")
	if r := c.send(request{Command: "put", ActionID: unhex(t, actionID("empty")), OutputID: unhex(t, emptyOID)}, nil); r.Err != "" {
		t.Errorf("empty put: %s", r.Err)
	}
	// A body that does not match its OutputID is refused, and the stream goes on.
	if r := c.send(request{Command: "put", ActionID: unhex(t, actionID("liar")), OutputID: unhex(t, oid), BodySize: 3}, []byte("abc")); r.Err == "" {
		t.Error("put with a wrong OutputID succeeded")
	}
	if r := c.send(request{Command: "get", ActionID: unhex(t, actionID("liar"))}, nil); !r.Miss {
		t.Error("the refused put hit")
	}
	if r := c.send(request{Command: "close"}, nil); r.Err != "" {
		t.Errorf("close: %s", r.Err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestTrim(t *testing.T) {
	ctx := context.Background()
	disk, err := OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"old", "mid", "new"} {
		body, oid := output(n)
		if _, err := disk.Put(ctx, actionID(n), oid, int64(len(body)), bytes.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	age := func(n string, d time.Duration) {
		_, oid := output(n)
		for _, p := range []string{disk.outPath(oid), disk.actionDir() + "/" + actionID(n)} {
			if err := os.Chtimes(p, now.Add(-d), now.Add(-d)); err != nil {
				t.Fatal(err)
			}
		}
	}
	age("old", 10*24*time.Hour)
	age("mid", 2*time.Hour)
	hit := func(n string) bool { _, ok, _ := disk.Get(ctx, actionID(n)); return ok }

	if _, err := disk.Trim(Policy{MaxAge: 7 * 24 * time.Hour}, now); err != nil {
		t.Fatal(err)
	}
	if hit("old") || !hit("mid") || !hit("new") {
		t.Errorf("age trim: old=%v mid=%v new=%v, want only old gone", hit("old"), hit("mid"), hit("new"))
	}
	// hit("mid") refreshed its mtime (older than touchAfter), so it is now
	// as new as "new": age it again so size trimming has an order to follow.
	age("mid", 2*time.Hour)
	newBody, _ := output("new")
	if _, err := disk.Trim(Policy{MaxSize: int64(len(newBody))}, now); err != nil {
		t.Fatal(err)
	}
	if hit("mid") || !hit("new") {
		t.Errorf("size trim: mid=%v new=%v, want the least recently used gone", hit("mid"), hit("new"))
	}
}
