package doc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadJSONL reads arbitrary bytes as JSON Lines: every record is accepted (and
// then valid) or rejected wrapping ErrInvalid with a message that starts with its
// origin "name:line", lines in increasing order; reading never fails.
//
//	go test ./loader/doc -run '^$' -fuzz '^FuzzReadJSONL$' -fuzztime 30s
func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"x"}` + "\n"))
	f.Add([]byte(`{"id":1}`))
	f.Add([]byte("\xff\n{}\n"))
	f.Add([]byte("null\n[1]\n\"s\"\n42\ntrue\n{\"id\":\"a\",\"title\":\"t\",\"published\":\"2999-01-01\",\"text\":\" \"}\n"))
	f.Add([]byte(`{"id":"a","text":"a\u0000b","published":"28 September, 2016"}` + "\r\n\r\n" + `{"id":"b","text":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		err := ReadJSONL(context.Background(), bytes.NewReader(data), "fuzz", 1<<10, func(it Item) error {
			n, ok := strings.CutPrefix(it.Doc.Origin, "fuzz:")
			line, err := strconv.Atoi(n)
			if !ok || err != nil || line <= last {
				t.Fatalf("origin %q after line %d", it.Doc.Origin, last)
			}
			last = line
			if it.Err == nil {
				if vErr := Validate(it.Doc, 1<<10); vErr != nil {
					t.Fatalf("accepted an invalid document: %v", vErr)
				}
				return nil
			}
			if !errors.Is(it.Err, ErrInvalid) || !strings.HasPrefix(it.Err.Error(), it.Doc.Origin+": ") {
				t.Fatalf("rejection %q does not wrap ErrInvalid after its origin %s", it.Err, it.Doc.Origin)
			}
			if !utf8.ValidString(it.Err.Error()) {
				t.Fatalf("rejection %q is not valid UTF-8", it.Err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("ReadJSONL: %v", err)
		}
	})
}

// FuzzParseText parses arbitrary bytes as a plain-text article: the id is the file's
// name, the title at most MaxTitleBytes, the text without blank lines at its ends,
// carriage returns before newlines or surrounding white space on its lines.
//
//	go test ./loader/doc -run '^$' -fuzz '^FuzzParseText$' -fuzztime 30s
func FuzzParseText(f *testing.F) {
	data, _ := os.ReadFile(example)
	f.Add(data)
	f.Add([]byte("x\n2 min read\n"))
	f.Add([]byte("\r\n  Title \r\n\r\nTitle\n28 September, 2016\nA caption [Getty]\n\n\n body \u00a0 \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := ParseText("fuzz.txt", data)
		if d.ID != "fuzz" || d.Origin != "fuzz.txt" {
			t.Fatalf("ID %q, Origin %q", d.ID, d.Origin)
		}
		if len(d.Title) > MaxTitleBytes {
			t.Fatalf("title of %d bytes", len(d.Title))
		}
		if strings.HasPrefix(d.Text, "\n") || strings.HasSuffix(d.Text, "\n") || strings.Contains(d.Text, "\n\n\n") {
			t.Fatalf("text %q has blank lines at its ends or runs of them", d.Text)
		}
		_ = Validate(d, 0)
	})
}

// fileOffset reads the position of a rejection of a plain-text file's bytes.
var fileOffset = regexp.MustCompile(`^stdin:(\d+): invalid article: .* at offset (\d+) of the file \(line (\d+), column (\d+)\)$`)

// FuzzReadStdin reads arbitrary bytes from standard input as Walk does ("-"): one
// plain-text article, or JSON Lines when the first byte that is not white space is
// '{'. A plain-text rejection for bytes that are not text names the line, offset and
// column of the bad byte in the input, and that byte is indeed invalid UTF-8 or a
// control byte; an accepted article is valid.
//
//	go test ./loader/doc -run '^$' -fuzz '^FuzzReadStdin$' -fuzztime 30s
func FuzzReadStdin(f *testing.F) {
	f.Add([]byte("Title\n\nKerry warned Lavrov.\n"))
	f.Add([]byte("Title\n\nGood line.\nBad \xe9t\xe9 here.\n"))
	f.Add([]byte("Title\r\n\r\nA NUL\x00 byte.\r\n"))
	f.Add([]byte("  {\"id\":\"a\",\"text\":\"x\"}\nnull\n"))
	f.Add([]byte(strings.Repeat("x", 1<<12+1)))
	f.Add([]byte("\ufeff{\"id\":\"a\",\"text\":\"x\"}\n"))
	f.Add([]byte("\x85{\"id\":\"a\",\"text\":\"x\"}\n"))
	const max = 1 << 12
	f.Fuzz(func(t *testing.T, data []byte) {
		var items []Item
		err := Reader{Stdin: bytes.NewReader(data), MaxBytes: max}.Walk(context.Background(), []string{"-"}, func(it Item) error {
			items = append(items, it)
			return nil
		})
		if err != nil {
			t.Fatalf("Walk: %v", err)
		}
		if t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte(bom)), " \t\r\n\v\f"); len(t) > 0 && t[0] == '{' {
			return // JSON Lines: FuzzReadJSONL
		}
		if len(items) != 1 {
			t.Fatalf("%d items from a plain-text input, want 1", len(items))
		}
		it := items[0]
		if it.Err == nil {
			if err := Validate(it.Doc, max); err != nil {
				t.Fatalf("accepted an invalid document: %v", err)
			}
			return
		}
		if !errors.Is(it.Err, ErrInvalid) || !strings.HasPrefix(it.Err.Error(), "stdin") {
			t.Fatalf("rejection %q does not wrap ErrInvalid after stdin", it.Err)
		}
		m := fileOffset.FindStringSubmatch(it.Err.Error())
		if m == nil {
			return
		}
		line, _ := strconv.Atoi(m[1])
		off, _ := strconv.Atoi(m[2])
		line2, _ := strconv.Atoi(m[3])
		col, _ := strconv.Atoi(m[4])
		if off >= len(data) || line != line2 || line != 1+bytes.Count(data[:off], []byte{'\n'}) || col != off-bytes.LastIndexByte(data[:off], '\n') {
			t.Fatalf("rejection %q: offset, line or column wrong", it.Err)
		}
		bad := data[off] < 0x20
		if r, n := utf8.DecodeRune(data[off:]); r == utf8.RuneError && n <= 1 {
			bad = true
		}
		if !bad {
			t.Fatalf("rejection %q: byte %#x at offset %d is text (%s)", it.Err, data[off], off, fmt.Sprintf("%.20q", data[off:]))
		}
	})
}

// FuzzParseHTML reads arbitrary bytes as a news page: it never panics; an accepted
// page has the file's id, valid UTF-8 text without blank lines at its ends, and a
// rejection wraps ErrInvalid and names the file.
//
//	go test ./loader/doc -run '^$' -fuzz '^FuzzParseHTML$' -fuzztime 30s
func FuzzParseHTML(f *testing.F) {
	for _, name := range []string{"2016-09-28-us-threatens-to-end-syria-talks.html", "cp1252-page.html", "navigation-only.html"} {
		data, _ := os.ReadFile(filepath.Join("testdata", "html", name))
		f.Add(data)
	}
	f.Add([]byte("<html><body><p>Kerry warned Lavrov on Wednesday that the United States would end the talks on Syria.</p></body></html>"))
	f.Add([]byte("<meta charset=\"windows-1252\"><p>\x93quoted\x94 text</p>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseHTML("fuzz.html", "", data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "fuzz.html") {
				t.Fatalf("error %v does not wrap ErrInvalid or name the file", err)
			}
			return
		}
		if d.ID != "fuzz" || d.Origin != "fuzz.html" {
			t.Fatalf("ID %q, Origin %q", d.ID, d.Origin)
		}
		if !utf8.ValidString(d.Text) || strings.HasPrefix(d.Text, "\n") || strings.HasSuffix(d.Text, "\n") {
			t.Fatalf("text %q", d.Text)
		}
		_ = Validate(d, 0)
	})
}
