// Package doc reads news articles into Documents: plain-text files laid out like
// examples/articles, JSON Lines ({"id","url","title","published","text"}, unknown fields
// ignored), whole folders and standard input.
//
// A reader never stops at one bad article: each article read is handed over as an Item
// holding either the Document or the reason it was rejected, naming its origin (file and
// line). Only a source that cannot be read at all (a missing path) stops a walk.
package doc

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultMaxBytes is the largest article text accepted by default (4 MiB).
const DefaultMaxBytes = 4 << 20

// MaxTitleBytes is the longest title accepted (4 KiB; headlines are rarely over 300
// bytes). A plain-text file whose first line is longer has no title: that line is part
// of its story.
const MaxTitleBytes = 4 << 10

// MaxFuture is how far past the clock a publication date may lie (time zones ahead of
// UTC); a later date is a mistake and the article is rejected.
const MaxFuture = 36 * time.Hour

// ErrInvalid is wrapped by every rejection of an article: empty, too large, binary or
// invalid UTF-8 text, malformed JSON, a missing id, a title over MaxTitleBytes, a
// publication date in the future, a file inside a folder that cannot be read.
var ErrInvalid = errors.New("invalid article")

// Document is one article as read, before extraction.
type Document struct {
	ID        string    // stable id: the JSON Lines id, or the file name without extension
	Title     string    // headline
	URL       string    // URL, or the path the article was read from
	Source    string    // outlet or feed, when known
	Published time.Time // publication date (zero when unknown)
	Text      string    // the story: captions, bylines, "2 min read" and date lines removed
	Origin    string    // where it was read: "path", "path:line" or "stdin:line"
}

// Item is one article read from a source, or why it could not be used.
type Item struct {
	Doc Document
	Err error // non-nil: the article is rejected; the message names Origin
}

// Validate checks a Document's id, text, title and publication date against the limits
// and returns an error wrapping ErrInvalid that names the origin and what was wrong.
// Byte offsets in its messages count from the start of the text; the readers of files
// check the raw bytes first and report offsets in the file (see Reader).
func Validate(d Document, maxBytes int) error {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	where := d.Origin
	if where == "" {
		where = d.ID
	}
	switch {
	case d.ID == "":
		return fmt.Errorf("%s: %w: id is empty", where, ErrInvalid)
	case len(d.Text) == 0:
		return fmt.Errorf("%s: %w: text is empty", where, ErrInvalid)
	case len(d.Text) > maxBytes:
		return fmt.Errorf("%s: %w: text is %d bytes, want at most %d", where, ErrInvalid, len(d.Text), maxBytes)
	case !utf8.ValidString(d.Text):
		return fmt.Errorf("%s: %w: text is not valid UTF-8 (at offset %d of the text)", where, ErrInvalid, firstInvalid(d.Text))
	}
	if i, ok := binaryAt(d.Text); ok {
		return fmt.Errorf("%s: %w: text looks binary (control byte %#x at offset %d of the text)", where, ErrInvalid, d.Text[i], i)
	}
	if strings.TrimSpace(d.Text) == "" {
		return fmt.Errorf("%s: %w: text is only white space (%d bytes)", where, ErrInvalid, len(d.Text))
	}
	switch {
	case len(d.Title) > MaxTitleBytes:
		return fmt.Errorf("%s: %w: title is %d bytes, want at most %d", where, ErrInvalid, len(d.Title), MaxTitleBytes)
	case !utf8.ValidString(d.Title):
		return fmt.Errorf("%s: %w: title is not valid UTF-8 (at offset %d of the title)", where, ErrInvalid, firstInvalid(d.Title))
	}
	if i, ok := binaryAt(d.Title); ok {
		return fmt.Errorf("%s: %w: title holds control byte %#x at offset %d", where, ErrInvalid, d.Title[i], i)
	}
	if now := time.Now(); d.Published.After(now.Add(MaxFuture)) {
		return fmt.Errorf("%s: %w: published %s is in the future (today is %s)", where, ErrInvalid,
			d.Published.UTC().Format("2006-01-02"), now.UTC().Format("2006-01-02"))
	}
	return nil
}

// firstInvalid returns the offset of the first byte of s that is not part of a valid
// UTF-8 sequence, or -1.
func firstInvalid(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// firstInvalidBytes is firstInvalid of a byte slice.
func firstInvalidBytes(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// binaryAt reports the first NUL or other C0 control byte that never occurs in text
// (tab, newline, carriage return and form feed are allowed).
func binaryAt[S string | []byte](s S) (int, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return i, true
		}
	}
	return 0, false
}
