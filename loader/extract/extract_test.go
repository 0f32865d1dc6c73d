package extract

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
)

var published = time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC) // a Wednesday

func newTestExtractor(t testing.TB) *Extractor {
	t.Helper()
	x, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func extractText(t testing.TB, x *Extractor, text string) *graph.Article {
	t.Helper()
	a, err := x.Extract(doc.Document{ID: "t", Text: text, Published: published})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// rel is an expected statement: "Subject predicate Object" by canonical names.
type rel struct {
	subj, pred, obj string
	mod             graph.Modality // "" = any
}

func findStmt(a *graph.Article, r rel) *graph.Statement {
	for i := range a.Statements {
		s := &a.Statements[i]
		if s.Subject.Name == r.subj && s.Predicate == r.pred && s.Object.Name == r.obj {
			return s
		}
	}
	return nil
}

func dump(a *graph.Article) string {
	var b strings.Builder
	for _, s := range a.Statements {
		b.WriteString("\n  " + s.Subject.Name + " --" + s.Predicate + "--> " + s.Object.Name + " [" + string(s.Modality) + "]")
	}
	for _, e := range a.Entities {
		b.WriteString("\n  entity " + string(e.Type) + " " + e.Name + " " + strings.Join(e.Aliases, "|"))
	}
	return b.String()
}

func TestRelations(t *testing.T) {
	x := newTestExtractor(t)
	cases := []struct {
		name string
		text string
		want []rel
		not  []rel
	}{
		{"active voice", "Russian warplanes bombed two hospitals in Aleppo on Monday.",
			[]rel{{"Russia", "bombed", "hospitals in Aleppo", graph.Asserted}}, nil},
		{"passive voice with by-agent", "Two hospitals in Aleppo were bombed on Monday by Russian warplanes.",
			[]rel{{"Russia", "bombed", "hospitals in Aleppo", graph.Asserted}},
			[]rel{{"hospitals in Aleppo", "bombed", "Russia", ""}}},
		{"passive voice hedged", "Two hospitals in Aleppo were bombed by suspected Russian war planes.",
			[]rel{{"Russia", "bombed", "hospitals in Aleppo", graph.Hedged}}, nil},
		{"agentless passive", "Two hospitals in Aleppo were bombed on Monday.", nil,
			[]rel{{"hospitals in Aleppo", "bombed", "Aleppo", ""}}},
		{"nominal event with possessor", "Moscow must end its bombing of Aleppo, the minister said.",
			[]rel{{"Russia", "bombed", "Aleppo", ""}}, nil},
		{"nominal event with demonym", "Syrian air strikes on Idlib killed 20 people.",
			[]rel{{"Syria", "bombed", "Idlib", ""}}, nil},
		{"nominal event with by-agent", "The bombardment of Homs by Russian jets went on for hours.",
			[]rel{{"Russia", "bombed", "Homs", ""}}, nil},
		{"coordinated subjects", "Syrian and Russian warplanes bombed Idlib.",
			[]rel{{"Syria", "bombed", "Idlib", ""}, {"Russia", "bombed", "Idlib", ""}}, nil},
		{"capitals as actors", "Moscow condemned Washington over the raid.",
			[]rel{{"Russia", "condemned", "United States", ""}}, nil},
		{"demonym actor", "Turkish troops attacked Kurdish positions near Manbij while French jets struck Mosul.",
			[]rel{{"France", "attacked", "Mosul", ""}}, nil},
		{"negation", "Russia did not bomb Aleppo, the ministry said.",
			[]rel{{"Russia", "bombed", "Aleppo", graph.Negated}}, nil},
		{"hedging", "Russian jets may have bombed Aleppo overnight.",
			[]rel{{"Russia", "bombed", "Aleppo", graph.Hedged}}, nil},
		{"reported speech", "The Syrian army said on Tuesday that it had captured the town of Palmyra.",
			[]rel{{"Syrian Army", "seized", "Palmyra", graph.Reported}}, nil},
		{"reported speech does not make the speaker the agent", "Observers said the rebels captured Palmyra.", nil,
			[]rel{{"Observers", "seized", "Palmyra", ""}}},
		{"pronoun", "John Kerry met Sergei Lavrov in Geneva on Friday. He warned Lavrov about Aleppo.",
			[]rel{{"John Kerry", "met", "Sergey Lavrov", ""}, {"John Kerry", "warned", "Sergey Lavrov", ""}},
			[]rel{{"Sergey Lavrov", "warned", "John Kerry", ""}}},
		{"role phrase", "US Secretary of State John Kerry spoke on Friday. Later the US secretary of state met Sergei Lavrov.",
			[]rel{{"John Kerry", "holds_role", "United States", ""}, {"John Kerry", "met", "Sergey Lavrov", ""}}, nil},
		{"counterpart", "US Secretary of State John Kerry phoned his Russian counterpart. The call lasted an hour, Russian Foreign Minister Sergei Lavrov said.",
			[]rel{{"John Kerry", "met", "Sergey Lavrov", ""}}, nil},
		{"seized with district", "Rebels said the Syrian army seized the district of Farafira.",
			[]rel{{"Syrian Army", "seized", "Farafira", ""}}, nil},
		{"located", "The district of Farafira, located north-west of Aleppo's historic citadel, fell.",
			[]rel{{"Farafira", "located_in", "Aleppo", ""}, {"Citadel of Aleppo", "located_in", "Aleppo", ""}}, nil},
		{"killed", "Islamic State militants killed Khaled al-Asaad in Palmyra.",
			[]rel{{"Islamic State", "killed", "Khaled al-Asaad", ""}}, nil},
		{"regime of a leader", "The Assad regime bombed Homs on Monday.",
			[]rel{{"Syria", "bombed", "Homs", ""}}, nil},
		{"warning with that-clause", "The United States warned that it would cut ties with Russia.",
			[]rel{{"United States", "warned", "Russia", ""}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := extractText(t, x, c.text)
			checkRels(t, a, c.want, c.not)
		})
	}
}

func TestEntities(t *testing.T) {
	x := newTestExtractor(t)
	a := extractText(t, x, "On Wednesday UN Secretary-General Ban Ki-moon met Syrian officials in Damascus. Moon later told the UN Security Council that Russian and British envoys had left. [Getty]")
	want := map[string]graph.EntityType{
		"Ban Ki-moon": graph.Person, "Syria": graph.State, "Russia": graph.State, "United Kingdom": graph.State,
		"UN Security Council": graph.Organisation, "United Nations": graph.Organisation, "Damascus": graph.City,
	}
	got := map[string]graph.ArticleEntity{}
	for _, e := range a.Entities {
		got[e.Name] = e
		if e.Name == "Wednesday" || e.Name == "Moon" || e.Name == "Getty" {
			t.Errorf("unexpected entity %s %q", e.Type, e.Name)
		}
	}
	for n, typ := range want {
		if e, ok := got[n]; !ok || e.Type != typ {
			t.Errorf("entity %s %q: got %+v;%s", typ, n, e, dump(a))
		}
	}
	if e := got["Ban Ki-moon"]; !contains(e.Aliases, "Moon") {
		t.Errorf("Moon is not an alias of Ban Ki-moon: %q", e.Aliases)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestEventDate(t *testing.T) {
	x := newTestExtractor(t)
	a := extractText(t, x, "The Syrian army said on Tuesday that it had seized Homs. Russia bombed Idlib on 19 September.")
	want := map[string]string{"Homs": "2016-09-27", "Idlib": "2016-09-19"}
	for _, s := range a.Statements {
		if w, ok := want[s.Object.Name]; ok && (s.Predicate == "seized" || s.Predicate == "bombed") {
			if got := s.EventDate.Format("2006-01-02"); got != w {
				t.Errorf("%s: event date %s, want %s", s.Object.Name, got, w)
			}
			delete(want, s.Object.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing statements for %v;%s", want, dump(a))
	}
}

func TestArticleMetadataAndHash(t *testing.T) {
	x := newTestExtractor(t)
	d := doc.Document{ID: "a1", Title: "T", URL: "u", Source: "s", Published: published, Text: "Russia bombed Aleppo."}
	a1, _ := x.Extract(d)
	a2, _ := x.Extract(d)
	if a1.ID != "a1" || a1.Title != "T" || a1.URL != "u" || a1.Source != "s" || !a1.Published.Equal(published) {
		t.Errorf("metadata not copied: %+v", a1)
	}
	if a1.Hash == "" || a1.Hash != a2.Hash {
		t.Errorf("hash not stable: %q %q", a1.Hash, a2.Hash)
	}
	d.Text += " "
	if a3, _ := x.Extract(d); a3.Hash == a1.Hash {
		t.Error("hash ignores the text")
	}
	if _, err := x.Extract(doc.Document{Text: "x"}); err == nil {
		t.Error("a document without id was accepted")
	}
}

func TestStatementsProvenance(t *testing.T) {
	x := newTestExtractor(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "2016-09-28-us-threatens-to-end-syria-talks.txt"))
	if err != nil {
		t.Fatal(err)
	}
	d := doc.ParseText("ref.txt", raw)
	a, _ := x.Extract(d)
	checkArticle(t, d, a)
	if len(a.Statements) == 0 {
		t.Fatal("no statements")
	}
}

// checkArticle checks the invariants of any extraction.
func checkArticle(t testing.TB, d doc.Document, a *graph.Article) {
	t.Helper()
	for _, s := range a.Statements {
		if s.Start < 0 || s.End > len(d.Text) || s.Start > s.End {
			t.Fatalf("statement offsets %d..%d outside text of %d bytes", s.Start, s.End, len(d.Text))
		}
		if d.Text[s.Start:s.End] != s.Sentence {
			t.Fatalf("sentence %q is not text[%d:%d]", s.Sentence, s.Start, s.End)
		}
		if !(s.Confidence > 0 && s.Confidence <= 1) {
			t.Fatalf("confidence %v", s.Confidence)
		}
		if !s.Modality.Valid() || !s.Subject.Type.Valid() || !s.Object.Type.Valid() {
			t.Fatalf("invalid statement %+v", s)
		}
		if (s.Modality == graph.Reported) != (s.Speaker != nil) && s.Speaker != nil {
			t.Fatalf("speaker without reported modality: %+v", s)
		}
		if s.Predicate == "holds_role" && s.Role == "" {
			t.Fatalf("holds_role without role: %+v", s)
		}
	}
	for _, e := range a.Entities {
		if !e.Type.Valid() || e.Name == "" || !utf8.ValidString(e.Name) {
			t.Fatalf("invalid entity %+v", e)
		}
	}
}

func TestDeterministicAndConcurrent(t *testing.T) {
	x := newTestExtractor(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "2016-09-28-us-threatens-to-end-syria-talks.txt"))
	if err != nil {
		t.Fatal(err)
	}
	d := doc.ParseText("ref.txt", raw)
	want, _ := x.Extract(d)
	done := make(chan *graph.Article, 8)
	for range 8 {
		go func() {
			a, _ := x.Extract(d)
			done <- a
		}()
	}
	for range 8 {
		a := <-done
		if dump(a) != dump(want) {
			t.Fatalf("extraction differs between runs:%s\nvs%s", dump(a), dump(want))
		}
	}
}

func TestVocabularyErrors(t *testing.T) {
	cases := []struct{ text, want string }{
		{"warned\tverb\twarn\n", "v.tsv:1:"},
		{"# c\n\nWarned\tnoun\tthreat\tthreats\n", "v.tsv:3: relation"},
		{"warned\tadjective\tx\ty\n", "v.tsv:1: kind"},
		{"warned\tnoun\tThreat\tthreats\n", "v.tsv:1: phrase"},
		{"warned\tnoun\tthreat\tthreats\nwarned\tnoun\tthreat\tthreats\n", "v.tsv:2: phrase \"threat\" of warned repeats line 1"},
		{"# nothing\n", "v.tsv: no entries"},
	}
	for _, c := range cases {
		_, err := ParseVocabulary("v.tsv", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error containing %q", c.text, err, c.want)
		}
	}
	// a user vocabulary file replaces the embedded one
	path := filepath.Join(t.TempDir(), "v.tsv")
	os.WriteFile(path, []byte("praised\tverb\tpraise\tpraises\tpraised\tpraised\tpraising\n"), 0o644)
	x, err := New(Config{VocabularyPath: path})
	if err != nil {
		t.Fatal(err)
	}
	a := extractText(t, x, "Russia praised France.")
	if findStmt(a, rel{"Russia", "praised", "France", ""}) == nil {
		t.Errorf("user vocabulary not used:%s", dump(a))
	}
	if _, err := New(Config{VocabularyPath: filepath.Join(t.TempDir(), "missing.tsv")}); err == nil {
		t.Error("a missing vocabulary file was accepted")
	}
	os.WriteFile(path, []byte("praised\tverb\n"), 0o644)
	if _, err := New(Config{VocabularyPath: path}); err == nil || !strings.Contains(err.Error(), path+":1:") {
		t.Errorf("error does not name file:line: %v", err)
	}
}

func TestEmbeddedVocabulary(t *testing.T) {
	v, err := ParseVocabulary("embedded", embeddedVocabulary)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"warned", "bombed", "attacked", "condemned", "seized", "met", "killed"} {
		if !contains(v.Relations(), r) {
			t.Errorf("relation %s missing from the vocabulary", r)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("Russian warplanes bombed two hospitals in Aleppo on Monday.")
	f.Add("\"He informed the foreign minister (Lavrov) that ...\" spokesman John Kirby said.")
	f.Add("U.S. - didn't it's 's - -- \"\" ( ) [Getty] Ki-moon's")
	f.Add("A.B.C. D. e.\n\n  x\n")
	f.Add(" n't n’t didn't")
	if raw, err := os.ReadFile(filepath.Join("testdata", "2016-09-28-us-threatens-to-end-syria-talks.txt")); err == nil {
		f.Add(string(raw))
	}
	x := newTestExtractor(f)
	f.Fuzz(func(t *testing.T, text string) {
		d := doc.Document{ID: "f", Text: text, Published: published}
		a, err := x.Extract(d)
		if err != nil {
			t.Fatal(err)
		}
		checkArticle(t, d, a)
	})
}

// spanTagger tags fixed phrases, standing in for a statistical tagger.
type spanTagger map[string]graph.EntityType

func (t spanTagger) Tag(text string) []Span {
	var out []Span
	for p, typ := range t {
		if i := strings.Index(text, p); i >= 0 {
			out = append(out, Span{Start: i, End: i + len(p), Type: typ})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func TestTagger(t *testing.T) {
	x, err := New(Config{Tagger: spanTagger{"Zorblat Front": graph.Organisation, "Qarn": graph.City}})
	if err != nil {
		t.Fatal(err)
	}
	a := extractText(t, x, "Yesterday Zorblat Front fighters seized Qarn.")
	if findStmt(a, rel{"Zorblat Front", "seized", "Qarn", ""}) == nil {
		t.Errorf("tagger spans not used:%s", dump(a))
	}
}

// TestTaggerSurname: a well-known surname the tagger types as a place is the person.
func TestTaggerSurname(t *testing.T) {
	x, err := New(Config{Tagger: spanTagger{"Assad": graph.City}})
	if err != nil {
		t.Fatal(err)
	}
	a := extractText(t, x, "Syrian jets bombed Idlib. Mogherini said Assad bears primary responsibility.")
	if !hasEntity(a, graph.Person, "Assad") || hasEntity(a, graph.City, "Assad") {
		t.Errorf("Assad is not the person:%s", dump(a))
	}
}

// checkRels fails for every statement of want missing from a (or with another
// modality, where want gives one) and for every statement of not present.
func checkRels(t *testing.T, a *graph.Article, want, not []rel) {
	t.Helper()
	for _, w := range want {
		s := findStmt(a, w)
		if s == nil {
			t.Errorf("missing %s --%s--> %s; got:%s", w.subj, w.pred, w.obj, dump(a))
			continue
		}
		if w.mod != "" && s.Modality != w.mod {
			t.Errorf("%s --%s--> %s: modality %s, want %s", w.subj, w.pred, w.obj, s.Modality, w.mod)
		}
	}
	for _, n := range not {
		if findStmt(a, n) != nil {
			t.Errorf("unexpected %s --%s--> %s; got:%s", n.subj, n.pred, n.obj, dump(a))
		}
	}
}
