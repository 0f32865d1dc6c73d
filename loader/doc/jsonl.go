package doc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// maxLine bounds one JSON line: the text limit plus room for the other fields.
const maxLine = DefaultMaxBytes + 64<<10

type jsonArticle struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Source    string `json:"source"`
	Text      string `json:"text"`
	HTML      string `json:"html"` // a news page instead of text (see ParseHTML)
}

// ParseJSON decodes one JSON Lines record; origin names it in errors ("file:12").
// Unknown fields are ignored; a published date that cannot be read is an error.
func ParseJSON(origin string, line []byte) (Document, error) {
	if !utf8.Valid(line) { // encoding/json would silently turn bad bytes into U+FFFD
		return Document{Origin: origin}, fmt.Errorf("%s: %w: line is not valid UTF-8 (at offset %d of the line)", origin, ErrInvalid, firstInvalid(string(line)))
	}
	if t := bytes.TrimSpace(line); len(t) == 0 || t[0] != '{' {
		// json.Unmarshal takes null into a struct without a word, and says "Go value"
		// of the other kinds.
		return Document{Origin: origin}, fmt.Errorf("%s: %w: %s, want a JSON object {\"id\": ..., \"text\": ...}", origin, ErrInvalid, notObject(t))
	}
	var a jsonArticle
	if err := json.Unmarshal(line, &a); err != nil {
		return Document{Origin: origin}, fmt.Errorf("%s: %w: %s", origin, ErrInvalid, jsonProblem(err))
	}
	d := Document{
		ID: strings.TrimSpace(a.ID), URL: a.URL, Title: strings.TrimSpace(a.Title),
		Source: a.Source, Text: NormalizeSpace(a.Text), Origin: origin,
	}
	if a.HTML != "" {
		if a.Text != "" {
			return d, fmt.Errorf("%s: %w: fields text and html are both given, want one of them", origin, ErrInvalid)
		}
		// the page's text, title, date and site; the record's own fields win
		page, err := ParseHTML(origin, a.URL, []byte(a.HTML))
		if err != nil {
			return d, fmt.Errorf("%w (field html)", err)
		}
		d.Text = page.Text
		if d.Title == "" {
			d.Title = page.Title
		}
		if d.Source == "" {
			d.Source = page.Source
		}
		if strings.TrimSpace(a.Published) == "" {
			d.Published = page.Published
		}
	}
	if p := strings.TrimSpace(a.Published); p != "" {
		t, ok := ParseDate(p)
		if !ok {
			return d, fmt.Errorf("%s: %w: field published: %q is not a date (want e.g. 2016-09-28 or RFC 3339)", origin, ErrInvalid, p)
		}
		d.Published = t
	}
	return d, nil
}

// notObject says what a line that is not a JSON object holds, for messages.
func notObject(t []byte) string {
	kind := ""
	switch {
	case string(t) == "null":
		kind = "null"
	case string(t) == "true" || string(t) == "false":
		kind = "a JSON boolean"
	case t[0] == '[':
		kind = "a JSON array"
	case t[0] == '"':
		kind = "a JSON string"
	case t[0] == '-' || '0' <= t[0] && t[0] <= '9':
		kind = "a JSON number"
	}
	if kind != "" && json.Valid(t) {
		return "line is " + kind + ", not a JSON object"
	}
	show := t
	if len(show) > 20 {
		show = show[:20]
		for len(show) > 0 && !utf8.RuneStart(t[len(show)]) {
			show = show[:len(show)-1]
		}
	}
	return fmt.Sprintf("malformed JSON: the line starts %q", show)
}

// jsonProblem says what encoding/json found wrong with a record, in the terms of the
// record (fields and byte offsets of the line) rather than of Go types.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON near offset %d of the line: %v", se.Offset, err)
	case errors.As(err, &te) && te.Field != "":
		return fmt.Sprintf("field %s is a JSON %s, want a string", te.Field, te.Value)
	}
	return fmt.Sprintf("malformed JSON: %v", err)
}

// readers are ReadJSONL's 1 MiB read buffers, reused: a folder of many small files
// would otherwise allocate one per file.
var readers sync.Pool

// ReadJSONL reads JSON Lines from r, handing each record to fn as an Item; name is used
// in origins ("name:line"). Blank lines and a byte order mark at the start are
// skipped. It stops when fn returns an error, ctx is done, or r fails.
func ReadJSONL(ctx context.Context, r io.Reader, name string, maxBytes int, fn func(Item) error) error {
	br, _ := readers.Get().(*bufio.Reader)
	if br == nil {
		br = bufio.NewReaderSize(r, 1<<20)
	} else {
		br.Reset(r)
	}
	defer func() {
		br.Reset(nil) // keep no reference to r
		readers.Put(br)
	}()
	limit := maxLine
	if maxBytes > DefaultMaxBytes {
		limit = maxBytes + 64<<10
	}
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := readLine(br, limit)
		if len(line) == 0 && err == io.EOF {
			return nil
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s:%d: read: %w", name, n, err)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte(bom))
		}
		origin := fmt.Sprintf("%s:%d", name, n)
		var it Item
		switch {
		case tooLong:
			it.Doc.Origin = origin
			it.Err = fmt.Errorf("%s: %w: line is longer than %d bytes", origin, ErrInvalid, limit)
		case len(bytes.TrimSpace(line)) == 0:
			if err == io.EOF {
				return nil
			}
			continue
		default:
			it.Doc, it.Err = ParseJSON(origin, line)
			if it.Err == nil {
				it.Err = Validate(it.Doc, maxBytes)
			}
		}
		if ferr := fn(it); ferr != nil {
			return ferr
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine reads one line without its newline. When the line is longer than limit it
// is consumed and discarded, and tooLong is set.
func readLine(br *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if !tooLong {
			buf = append(buf, chunk...)
			if len(buf) > limit {
				tooLong, buf = true, nil
			}
		}
		if err != nil {
			return buf, tooLong, err
		}
		if !isPrefix {
			return buf, tooLong, nil
		}
	}
}
