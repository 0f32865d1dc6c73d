package doc

import (
	"bufio"
	"io"
)

// peekReader looks at the first non-space byte of a stream without consuming it.
type peekReader struct{ *bufio.Reader }

func newPeekReader(r io.Reader) peekReader { return peekReader{bufio.NewReaderSize(r, 1<<16)} }

// bom is the UTF-8 byte order mark some editors write at the start of a file.
const bom = "\ufeff"

// firstNonSpace returns the first byte that is not ASCII white space, after a byte
// order mark if the stream starts with one; 0 for an empty stream (or one that starts
// with 64 KiB of white space).
func (p peekReader) firstNonSpace() (byte, error) {
	start := 0
	if b, _ := p.Peek(len(bom)); string(b) == bom {
		start = len(bom)
	}
	for n := start + 1; ; n++ {
		b, err := p.Peek(n)
		if len(b) < n {
			if err == io.EOF {
				return 0, nil
			}
			return 0, err
		}
		if c := b[n-1]; !isASCIISpace(c) {
			return c, nil
		}
		if n >= 1<<16 {
			return 0, nil
		}
	}
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
