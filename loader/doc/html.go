package doc

import (
	"bytes"
	"fmt"
	nurl "net/url"
	"path/filepath"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html/charset"
)

// MaxHTMLFactor bounds a page's raw bytes: an HTML file or an "html" field may be this
// many times the text limit (markup, scripts and styles outweigh the story); its main
// text must still fit the text limit.
const MaxHTMLFactor = 4

// ParseHTML reads a news page: its main text by readability (codeberg.org/readeck/
// go-readability, the Mozilla Readability algorithm: navigation, menus, share buttons,
// related links, footers, scripts and styles left out), paragraph breaks kept as
// blank lines; the title from the page's metadata (og:title, <title>, with a trailing
// " - Site" / " | Site" that names the site cut); the publication date from its
// metadata (article:published_time, JSON-LD datePublished and the like). The
// declared charset (<meta charset>, e.g. windows-1252) is honoured. pageURL, when not
// empty, is the page's address (else origin is). The id is the file name without
// extension, as for text files. The Document is not validated (see Validate); an
// error says why no article could be read from the page.
func ParseHTML(origin, pageURL string, data []byte) (Document, error) {
	d := fileDocument(origin)
	if pageURL != "" {
		d.URL = pageURL
	}
	in, err := charset.NewReader(bytes.NewReader(data), "text/html")
	if err != nil {
		return d, fmt.Errorf("%s: %w: html: %v", origin, ErrInvalid, err)
	}
	u, _ := nurl.Parse(d.URL)
	if u == nil {
		u = &nurl.URL{Path: origin}
	}
	p := readability.NewParser()
	art, err := p.Parse(in, u)
	if err != nil {
		return d, fmt.Errorf("%s: %w: html: %v", origin, ErrInvalid, err)
	}
	if art.Node == nil {
		return d, fmt.Errorf("%s: %w: html: the page has no main text (only navigation or markup)", origin, ErrInvalid)
	}
	var text strings.Builder
	if err := art.RenderText(&text); err != nil {
		return d, fmt.Errorf("%s: %w: html: %v", origin, ErrInvalid, err)
	}
	var paras []string
	for _, l := range strings.Split(NormalizeSpace(text.String()), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			paras = append(paras, l)
		}
	}
	d.Text = strings.Join(paras, "\n\n")
	if n := len(strings.Fields(d.Text)); n < minHTMLWords {
		return d, fmt.Errorf("%s: %w: html: the page has no main text (%d words outside the markup, want at least %d: navigation only?)", origin, ErrInvalid, n, minHTMLWords)
	}
	d.Title = pageTitle(art.Title(), art.SiteName())
	d.Source = art.SiteName()
	if t, err := art.PublishedTime(); err == nil {
		d.Published = t
	}
	return d, nil
}

// minHTMLWords is the fewest words a page's main text must have: fewer is a page of
// navigation, an index or an error page, not an article.
const minHTMLWords = 12

// pageTitle cuts the site's name off a page title: "Syria talks end - BBC News".
func pageTitle(title, site string) string {
	title = strings.TrimSpace(NormalizeSpace(title))
	for _, sep := range []string{" | ", " - ", " — ", " – "} {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		tail := strings.TrimSpace(title[i+len(sep):])
		if site != "" && strings.EqualFold(tail, site) {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}

// isHTMLFile reports whether path is read as an HTML page (.html, .htm).
func isHTMLFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		return true
	}
	return false
}
