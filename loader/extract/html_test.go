package extract

import (
	"context"
	"sort"
	"testing"

	"github.com/newsgraph/newsgraph/loader/doc"
)

// TestHTMLPageGivesTheTextGraph extracts the example article from its text file and
// from a news page that wraps it in navigation, share buttons, related links and a
// footer (loader/doc/testdata/html): the page must give the statements the text
// gives, and none that come from the page's furniture.
func TestHTMLPageGivesTheTextGraph(t *testing.T) {
	x := newTestExtractor(t)
	read := func(path string) map[string]bool {
		var d doc.Document
		err := doc.Reader{}.Walk(context.Background(), []string{path}, func(it doc.Item) error {
			if it.Err != nil {
				t.Fatal(it.Err)
			}
			d = it.Doc
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := x.Extract(d)
		if err != nil {
			t.Fatal(err)
		}
		set := map[string]bool{}
		for _, s := range a.Statements {
			set[s.Subject.Name+" --"+s.Predicate+"--> "+s.Object.Name] = true
		}
		return set
	}
	txt := read("../../examples/articles/2016-09-28-us-threatens-to-end-syria-talks.txt")
	page := read("../doc/testdata/html/2016-09-28-us-threatens-to-end-syria-talks.html")
	var missing, extra []string
	for s := range txt {
		if !page[s] {
			missing = append(missing, s)
		}
	}
	for s := range page {
		if !txt[s] {
			extra = append(extra, s)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	t.Logf("text: %d statements, page: %d", len(txt), len(page))
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("the page's graph differs from the text's:\nmissing %q\nextra %q", missing, extra)
	}
}
