package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/ner"
)

func nerExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	t, err := ner.Default()
	if err != nil {
		tb.Fatal(err)
	}
	x, err := New(Config{Tagger: NERTagger{T: t}})
	if err != nil {
		tb.Fatal(err)
	}
	return x
}

func TestNERTaggerSpans(t *testing.T) {
	tg, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "Peter Salama of UNICEF met Abdul Rahman Qasim in Hodeidah on Monday. The French minister left."
	spans := NERTagger{T: tg}.Tag(text)
	if len(spans) == 0 {
		t.Fatalf("no spans in %q", text)
	}
	prev := 0
	for _, s := range spans {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) || !s.Type.Valid() {
			t.Errorf("bad span %+v (previous end %d)", s, prev)
		}
		if strings.Contains(text[s.Start:s.End], "French") {
			t.Errorf("MISC span %q should be dropped", text[s.Start:s.End])
		}
		prev = s.End
	}
	if got := (NERTagger{}).Tag(text); got != nil {
		t.Errorf("nil tagger: %v", got)
	}
}

// TestNERTaggerGold runs the reference-article gold test with the ner tagger wired in.
func TestNERTaggerGold(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	x := nerExtractor(t)
	for _, gf := range files {
		raw, err := os.ReadFile(gf)
		if err != nil {
			t.Fatal(err)
		}
		var g gold
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatal(err)
		}
		art := strings.TrimSuffix(gf, ".json") + ".txt"
		text, err := os.ReadFile(art)
		if err != nil {
			t.Fatal(err)
		}
		a, err := x.Extract(doc.ParseText(art, text))
		if err != nil {
			t.Fatal(err)
		}
		sc := scoreGold(t, a, g)
		t.Logf("with ner: entities %.0f%%, relations %.0f%%, must_not violations %d", 100*sc.entities, 100*sc.relations, len(sc.mustNot))
		if sc.entities < 0.95 || sc.relations < 0.90 || len(sc.mustNot) > 0 {
			t.Errorf("with ner: entities %.0f%% (want >= 95%%), relations %.0f%% (want >= 90%%), must_not %q", 100*sc.entities, 100*sc.relations, sc.mustNot)
		}
	}
}
