package doc_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/loader/doc"
)

// TestReadHTML reads news pages made for the test (testdata/html): the main text
// only, paragraphs kept, title and date from the page's metadata, the charset it
// declares honoured; a page of navigation alone is rejected saying so.
func TestReadHTML(t *testing.T) {
	example, err := os.ReadFile("../../examples/articles/2016-09-28-us-threatens-to-end-syria-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	txt := doc.ParseText("example.txt", example)
	cases := []struct {
		file      string
		title     string
		published string
		want      []string // sentences the text must hold
		leak      []string // boilerplate it must not
		err       string
	}{
		{file: "2016-09-28-us-threatens-to-end-syria-talks.html", title: "US threatens to end Syria talks with Russia", published: "2016-09-28",
			want: strings.Split(txt.Text, "\n\n"),
			leak: []string{"cookies", "Subscribe", "Share on Facebook", "Related stories", "Football", "Copyright", "dataLayer", "font-family", "pageview"}},
		{file: "cp1252-page.html", title: "Café talks in Genève",
			want: []string{"Diplomats met in a café in Genève on Monday", "at least twelve people were killed"},
			leak: []string{"All rights reserved", "World"}},
		{file: "navigation-only.html", err: "no main text"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var items []doc.Item
			err := doc.Reader{}.Walk(context.Background(), []string{filepath.Join("testdata", "html", c.file)}, func(it doc.Item) error {
				items = append(items, it)
				return nil
			})
			if err != nil || len(items) != 1 {
				t.Fatalf("Walk: %d items, %v", len(items), err)
			}
			it := items[0]
			if c.err != "" {
				if it.Err == nil || !errors.Is(it.Err, doc.ErrInvalid) || !strings.Contains(it.Err.Error(), c.err) || !strings.Contains(it.Err.Error(), c.file) {
					t.Fatalf("error %v, want one naming %s and saying %q", it.Err, c.file, c.err)
				}
				return
			}
			if it.Err != nil {
				t.Fatal(it.Err)
			}
			d := it.Doc
			if d.ID != strings.TrimSuffix(c.file, ".html") || d.Title != c.title {
				t.Errorf("id %q title %q, want %q %q", d.ID, d.Title, strings.TrimSuffix(c.file, ".html"), c.title)
			}
			if c.published != "" && d.Published.UTC().Format(time.DateOnly) != c.published {
				t.Errorf("published %v, want %s", d.Published, c.published)
			}
			found := 0
			for _, w := range c.want {
				if strings.Contains(strings.Join(strings.Fields(d.Text), " "), strings.Join(strings.Fields(w), " ")) {
					found++
				} else {
					t.Logf("not in the text: %.80q", w)
				}
			}
			// the page's story has every paragraph of the text article; the caption
			// and the date line, which the text reader drops, may stay
			if found < len(c.want) {
				t.Errorf("%d of %d paragraphs recovered", found, len(c.want))
			}
			for _, l := range c.leak {
				if strings.Contains(d.Text, l) {
					t.Errorf("boilerplate %q in the text:\n%s", l, d.Text)
				}
			}
			if !strings.Contains(d.Text, "\n\n") {
				t.Errorf("no paragraph breaks kept:\n%s", d.Text)
			}
		})
	}
}

// TestReadHTMLInJSONL reads JSON Lines records with an html field: the record's own
// title wins over the page's, text and html together are rejected with file:line.
func TestReadHTMLInJSONL(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "html", "cp1252-page.html"))
	if err != nil {
		t.Fatal(err)
	}
	_ = page // a windows-1252 page cannot sit in a JSON string as it is: use UTF-8 HTML
	html := `<html><head><title>Talks end - Wire</title><meta property="og:site_name" content="Wire"><meta property="article:published_time" content="2017-04-05T08:00:00Z"></head><body><nav>Home News</nav><article><p>Diplomats met in Geneva on Monday to discuss the ceasefire in Syria, officials said, in a meeting that lasted four hours.</p><p>The envoy said the talks would resume next week and that aid convoys would reach the besieged towns before then.</p><p>Activists in Aleppo said the bombing of residential districts continued throughout the day.</p></article></body></html>`
	q := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) }
	in := strings.Join([]string{
		`{"id":"a1","html":"` + q(html) + `"}`,
		`{"id":"a2","title":"Own title","published":"2017-04-06","html":"` + q(html) + `"}`,
		`{"id":"a3","text":"Some text.","html":"` + q(html) + `"}`,
	}, "\n")
	var items []doc.Item
	if err := doc.ReadJSONL(context.Background(), strings.NewReader(in), "in.jsonl", 0, func(it doc.Item) error {
		items = append(items, it)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	if it := items[0]; it.Err != nil || it.Doc.ID != "a1" || it.Doc.Title != "Talks end" || it.Doc.Published.Format(time.DateOnly) != "2017-04-05" || !strings.Contains(it.Doc.Text, "Diplomats met in Geneva") || strings.Contains(it.Doc.Text, "Home News") {
		t.Errorf("record 1: %+v, %v", it.Doc, it.Err)
	}
	if it := items[1]; it.Err != nil || it.Doc.Title != "Own title" || it.Doc.Published.Format(time.DateOnly) != "2017-04-06" {
		t.Errorf("record 2: %+v, %v", it.Doc, it.Err)
	}
	if it := items[2]; it.Err == nil || !strings.Contains(it.Err.Error(), "in.jsonl:3") || !strings.Contains(it.Err.Error(), "text and html") {
		t.Errorf("record 3: error %v, want in.jsonl:3 saying text and html are both given", it.Err)
	}
}

// TestWalkHTMLAndText walks a folder holding a page and a text file: both are read.
func TestWalkHTMLAndText(t *testing.T) {
	dir := t.TempDir()
	page, _ := os.ReadFile(filepath.Join("testdata", "html", "2016-09-28-us-threatens-to-end-syria-talks.html"))
	text, _ := os.ReadFile("../../examples/articles/2016-09-28-us-threatens-to-end-syria-talks.txt")
	os.WriteFile(filepath.Join(dir, "page.html"), page, 0o644)
	os.WriteFile(filepath.Join(dir, "story.txt"), text, 0o644)
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("not an article"), 0o644)
	var ids []string
	if err := (doc.Reader{}).Walk(context.Background(), []string{dir}, func(it doc.Item) error {
		if it.Err != nil {
			t.Error(it.Err)
		}
		ids = append(ids, it.Doc.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "page,story" {
		t.Errorf("ids %v, want page, story", ids)
	}
}
