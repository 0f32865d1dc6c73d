package doc

import (
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

var (
	// "2 min read", "5 mins read".
	readTimeLine = regexp.MustCompile(`(?i)^\d+\s*min(ute)?s?\s+read$`)
	// A photo caption ends with the credit in brackets: "... Sergei Lavrov [Getty]".
	captionLine = regexp.MustCompile(`\[[^\]]{1,40}\]$`)
	// Date lines such as "28 September, 2016", "September 28, 2016", "2016-09-28",
	// optionally led by a weekday.
	dateLayouts = []string{
		"2 January, 2006", "2 January 2006", "January 2, 2006", "January 2 2006",
		"2 Jan, 2006", "2 Jan 2006", "Jan 2, 2006", "2006-01-02",
		"Monday, 2 January, 2006", "Monday 2 January 2006", "Monday, January 2, 2006",
		"Mon 02 Jan 2006", "Mon 2 Jan 2006",
	}
)

// ParseDate reads a publication date written the ways news sites write it ("28
// September, 2016", "September 28, 2016", "2016-09-28", RFC 3339). ok is false when s
// is not a date.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ParseText reads a plain-text article laid out like examples/articles: the first
// non-blank line is the title (unless it is longer than MaxTitleBytes: then the
// article has no title and the line is its first paragraph); lines that are not the story (a repeated title, "2 min
// read", the publication date, photo captions ending in a bracketed credit) are dropped
// and the date line sets Published. The id is the file name without its extension.
func ParseText(path string, data []byte) Document {
	base := filepath.Base(path)
	d := Document{
		ID:     strings.TrimSuffix(base, filepath.Ext(base)),
		URL:    path,
		Origin: path,
	}
	text := NormalizeSpace(strings.ReplaceAll(string(data), "\r\n", "\n"))
	lines := strings.Split(text, "\n")
	var body []string
	first := true // the next non-blank line is the first
	for _, raw := range lines {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			body = append(body, "")
			continue
		case first:
			first = false
			if len(line) <= MaxTitleBytes {
				d.Title = line
				continue
			}
		case d.Title != "" && line == d.Title, readTimeLine.MatchString(line), captionLine.MatchString(line):
			continue
		}
		if t, ok := ParseDate(line); ok {
			if d.Published.IsZero() {
				d.Published = t
			}
			continue
		}
		body = append(body, line)
	}
	d.Text = joinParagraphs(body)
	return d
}

// joinParagraphs joins lines into paragraphs separated by one blank line each, without
// leading or trailing blank lines.
func joinParagraphs(lines []string) string {
	var b strings.Builder
	blank := false
	for _, l := range lines {
		if l == "" {
			blank = true
			continue
		}
		if b.Len() > 0 {
			if blank {
				b.WriteString("\n\n")
			} else {
				b.WriteString("\n")
			}
		}
		blank = false
		b.WriteString(l)
	}
	return b.String()
}

// spaceReplacer turns the Unicode spaces news sites paste into text (no-break, thin,
// figure, ideographic…) and zero-width characters into what extraction expects.
var spaceReplacer = strings.NewReplacer(
	"\u00a0", " ", "\u2007", " ", "\u202f", " ", "\u2009", " ", "\u200a", " ",
	"\u2002", " ", "\u2003", " ", "\u3000", " ", "\u200b", "", "\ufeff", "",
)

// NormalizeSpace replaces Unicode space characters with ASCII spaces and drops
// zero-width ones, so that offsets and tokens of the stored text are plain. Readers
// apply it to every Document.Text.
func NormalizeSpace(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xc2 { // only text with multi-byte runes can hold such characters
			return spaceReplacer.Replace(s)
		}
	}
	return s
}
