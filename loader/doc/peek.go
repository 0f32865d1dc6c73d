package doc

import (
	"bufio"
	"io"
	"unicode"
)

// peekReader looks at the first non-space byte of a stream without consuming it.
type peekReader struct{ *bufio.Reader }

func newPeekReader(r io.Reader) peekReader { return peekReader{bufio.NewReaderSize(r, 1<<16)} }

// firstNonSpace returns the first byte that is not white space, or 0 for an empty stream.
func (p peekReader) firstNonSpace() (byte, error) {
	for n := 1; ; n++ {
		b, err := p.Peek(n)
		if len(b) < n {
			if err == io.EOF {
				return 0, nil
			}
			return 0, err
		}
		if c := b[n-1]; !unicode.IsSpace(rune(c)) {
			return c, nil
		}
		if n >= 1<<16 {
			return 0, nil
		}
	}
}
