package resolve

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// span is the text of one reference scalar in the input: data[start:end]
// is the scalar's content (inside the quotes for a quoted scalar).
type span struct {
	start, end int
	ref        string
	line, col  int
}

var bom = []byte("\xef\xbb\xbf")

// lineStarts returns the byte offset at which each line begins, counting
// line breaks the way yaml.v3 does (CRLF, CR, LF, NEL, LS, PS); yaml.v3
// skips a UTF-8 byte order mark without counting it as a column.
func lineStarts(data []byte) []int {
	first := 0
	if bytes.HasPrefix(data, bom) {
		first = len(bom)
	}
	starts := []int{first}
	for i := first; i < len(data); {
		if n := breakLen(data[i:]); n > 0 {
			i += n
			starts = append(starts, i)
			continue
		}
		i++
	}
	return starts
}

// breakLen is the length of the line break at the start of b, or 0.
func breakLen(b []byte) int {
	switch {
	case len(b) == 0:
		return 0
	case b[0] == '\r' && len(b) > 1 && b[1] == '\n':
		return 2
	case b[0] == '\r' || b[0] == '\n':
		return 1
	case bytes.HasPrefix(b, []byte("\xc2\x85")):
		return 2
	case bytes.HasPrefix(b, []byte("\xe2\x80\xa8")), bytes.HasPrefix(b, []byte("\xe2\x80\xa9")):
		return 3
	}
	return 0
}

// offset turns yaml.v3's 1-based line and column (counted in characters)
// into a byte offset.
func offset(data []byte, lines []int, line, col int) (int, bool) {
	if line < 1 || line > len(lines) || col < 1 {
		return 0, false
	}
	p := lines[line-1]
	for range col - 1 {
		if p >= len(data) || breakLen(data[p:]) > 0 {
			return 0, false
		}
		_, w := utf8.DecodeRune(data[p:])
		p += w
	}
	return p, true
}

// locate finds the text of reference scalar n in data.
func locate(data []byte, lines []int, n *yaml.Node) (span, error) {
	s := span{ref: n.Value, line: n.Line, col: n.Column}
	at := fmt.Sprintf("line %d, column %d", n.Line, n.Column)
	p, ok := offset(data, lines, n.Line, n.Column)
	if !ok {
		return s, fmt.Errorf("%s: %s: cannot find the reference in the text", at, n.Value)
	}
	p = skipProperties(data, p)
	var err error
	switch n.Style &^ (yaml.TaggedStyle | yaml.FlowStyle) {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return s, fmt.Errorf("%s: %s is in a block scalar (| or >); write it as a plain or quoted value", at, strings.TrimSpace(n.Value))
	case yaml.DoubleQuotedStyle:
		s.start, s.end, err = quoted(data, p, '"', n.Value)
	case yaml.SingleQuotedStyle:
		s.start, s.end, err = quoted(data, p, '\'', n.Value)
	default:
		s.start, s.end, err = plain(data, p, n.Value)
	}
	if err != nil {
		return s, fmt.Errorf("%s: %s: %w", at, n.Value, err)
	}
	return s, nil
}

// skipProperties skips what yaml.v3 counts as the start of a node before
// its text: an anchor (&a), a tag (!!str, !<...>), and the spaces, line
// breaks and comments between them and the scalar.
func skipProperties(data []byte, p int) int {
	for p < len(data) {
		switch c := data[p]; {
		case c == '&' || c == '!':
			for p < len(data) && !isSpace(data[p]) && breakLen(data[p:]) == 0 {
				p++
			}
		case isSpace(c):
			p++
		case breakLen(data[p:]) > 0:
			p += breakLen(data[p:])
		case c == '#' && p > 0 && (isSpace(data[p-1]) || breakLen(data[p-1:]) > 0):
			for p < len(data) && breakLen(data[p:]) == 0 {
				p++
			}
		default:
			return p
		}
	}
	return p
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// plain checks that a plain scalar with value v starts at p and ends
// there too (a folded multi-line plain scalar does not match its value).
func plain(data []byte, p int, v string) (int, int, error) {
	end := p + len(v)
	if end > len(data) || string(data[p:end]) != v {
		return 0, 0, fmt.Errorf("the text there is not the value (a plain value split over lines?); write it on one line")
	}
	if end < len(data) && !endsPlain(data[end:]) {
		return 0, 0, fmt.Errorf("the plain value does not end where expected")
	}
	return p, end, nil
}

// endsPlain reports whether rest can follow the end of a plain scalar.
func endsPlain(rest []byte) bool {
	switch rest[0] {
	case ' ', '\t', ',', ']', '}':
		return true
	}
	return breakLen(rest) > 0
}

// quoted finds the content of the scalar quoted with q that starts at p.
// When the content has no escapes and no line breaks it must equal v.
func quoted(data []byte, p int, q byte, v string) (int, int, error) {
	if p >= len(data) || data[p] != q {
		return 0, 0, fmt.Errorf("no %c quote where the value starts", q)
	}
	start := p + 1
	for i := start; i < len(data); i++ {
		switch {
		case q == '"' && data[i] == '\\':
			i++ // the escaped character
		case data[i] == q && q == '\'' && i+1 < len(data) && data[i+1] == '\'':
			i++ // '' is one quote
		case breakLen(data[i:]) > 0:
			return 0, 0, fmt.Errorf("the quoted value is split over lines; write it on one line")
		case data[i] == q:
			raw := data[start:i]
			if plainText(raw, q) && string(raw) != v {
				return 0, 0, fmt.Errorf("the quoted text there is not the value")
			}
			return start, i, nil
		}
	}
	return 0, 0, fmt.Errorf("no closing %c quote", q)
}

// plainText reports whether quoted content (on one line) means exactly
// its bytes.
func plainText(raw []byte, q byte) bool {
	if q == '"' {
		return bytes.IndexByte(raw, '\\') < 0
	}
	return !bytes.Contains(raw, []byte("''"))
}
