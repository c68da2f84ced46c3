package gocache

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// bodyReader streams the inside of the JSON string that follows a put
// request (base64, so it holds no escapes) without holding it in memory:
// a linked binary can be tens of megabytes.
type bodyReader struct {
	br   *bufio.Reader
	done bool
}

// newBodyReader consumes the blank space and the opening quote.
func newBodyReader(br *bufio.Reader) (*bodyReader, error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("body missing: %w", err)
		}
		switch c {
		case '\n', '\r', ' ', '\t':
			continue
		case '"':
			return &bodyReader{br: br}, nil
		default:
			return nil, fmt.Errorf("body starts with %q, want a JSON string", c)
		}
	}
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	if b.br.Buffered() == 0 {
		if _, err := b.br.Peek(1); err != nil {
			return 0, io.ErrUnexpectedEOF
		}
	}
	buf, _ := b.br.Peek(min(len(p), b.br.Buffered()))
	n := len(buf)
	if i := bytes.IndexByte(buf, '"'); i >= 0 {
		n, b.done = i, true
	}
	copy(p, buf[:n])
	_, _ = b.br.Discard(n)
	if b.done {
		_, _ = b.br.Discard(1) // the closing quote
	}
	return n, nil
}

// finish reads the rest of the body, so the stream is at the next request
// even when the cache stopped reading early.
func (b *bodyReader) finish() error {
	_, err := io.Copy(io.Discard, b)
	return err
}
