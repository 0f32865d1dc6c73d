package eval

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/extract"
	"github.com/newsgraph/newsgraph/loader/ner"
)

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		c       Counts
		p, r, f float64
	}{
		{Counts{}, 0, 0, 0},
		{Counts{Gold: 4, Predicted: 2, Correct: 2}, 100, 50, 200.0 / 3},
		{Counts{Gold: 2, Predicted: 4, Correct: 1}, 25, 50, 100.0 / 3},
		{Counts{Gold: 3}, 0, 0, 0},
	} {
		if p, r, f := tc.c.Precision(), tc.c.Recall(), tc.c.F1(); p != tc.p || r != tc.r || f-tc.f > 1e-9 || tc.f-f > 1e-9 {
			t.Errorf("%+v: P %v R %v F1 %v, want %v %v %v", tc.c, p, r, f, tc.p, tc.r, tc.f)
		}
	}
}

func TestDecodeTags(t *testing.T) {
	for _, tc := range []struct {
		tags []string
		want []Span
		bad  bool
	}{
		{[]string{"B-Peop", "I-Peop", "L-Peop", "O", "U-Loc"}, []Span{{0, 3, "Peop"}, {4, 5, "Loc"}}, false},
		{[]string{"U-Org", "U-Org"}, []Span{{0, 1, "Org"}, {1, 2, "Org"}}, false},
		{[]string{"I-PER", "I-PER", "I-LOC", "B-LOC", "O"}, []Span{{0, 2, "PER"}, {2, 3, "LOC"}, {3, 4, "LOC"}}, false}, // IOB1
		{[]string{"B-ORG", "I-ORG", "B-ORG"}, []Span{{0, 2, "ORG"}, {2, 3, "ORG"}}, false},
		{[]string{"O", "O"}, nil, false},
		{[]string{"X-Peop"}, nil, true},
		{[]string{"Peop"}, nil, true},
	} {
		got, err := DecodeTags(tc.tags)
		if (err != nil) != tc.bad {
			t.Errorf("%q: error %v, want error %v", tc.tags, err, tc.bad)
			continue
		}
		if !tc.bad && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.tags, got, tc.want)
		}
	}
}

func TestScoreSpans(t *testing.T) {
	gold := []Span{{0, 2, "Peop"}, {3, 4, "Loc"}, {5, 6, "Org"}}
	for _, tc := range []struct {
		name string
		pred []Span
		want map[string]Counts
	}{
		{"exact", gold, map[string]Counts{"Peop": {1, 1, 1}, "Loc": {1, 1, 1}, "Org": {1, 1, 1}}},
		{"wrong boundary", []Span{{0, 1, "Peop"}}, map[string]Counts{"Peop": {1, 1, 0}, "Loc": {1, 0, 0}, "Org": {1, 0, 0}}},
		{"wrong type", []Span{{3, 4, "Org"}}, map[string]Counts{"Peop": {1, 0, 0}, "Loc": {1, 0, 0}, "Org": {1, 1, 0}}},
		{"duplicate", []Span{{3, 4, "Loc"}, {3, 4, "Loc"}}, map[string]Counts{"Peop": {1, 0, 0}, "Loc": {1, 2, 1}, "Org": {1, 0, 0}}},
	} {
		if got := ScoreSpans(gold, tc.pred); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestScoreRelations(t *testing.T) {
	p, l, o := Span{0, 2, "Peop"}, Span{4, 5, "Loc"}, Span{6, 7, "Org"}
	gold := []Relation{{p, l, "Live_In"}, {p, o, "Work_For"}}
	for _, tc := range []struct {
		name string
		pred []Relation
		want Counts // overall
	}{
		{"exact", gold, Counts{2, 2, 2}},
		{"wrong head span", []Relation{{Span{1, 2, "Peop"}, l, "Live_In"}}, Counts{2, 1, 0}},
		{"wrong entity type", []Relation{{Span{0, 2, "Org"}, l, "Live_In"}}, Counts{2, 1, 0}},
		{"wrong relation", []Relation{{p, l, "Work_For"}}, Counts{2, 1, 0}},
		{"reversed", []Relation{{l, p, "Live_In"}}, Counts{2, 1, 0}},
		{"duplicate counts once", []Relation{gold[0], gold[0]}, Counts{2, 1, 1}},
	} {
		var all Counts
		for _, c := range ScoreRelations(gold, tc.pred) {
			all = all.Add(c)
		}
		if all != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, all, tc.want)
		}
	}
}

func TestCoNLL04Gold(t *testing.T) {
	sents, err := ReadCoNLL04(strings.NewReader(`[{"tokens":["John","Smith","lives","in","Paris","."],"tags":["B-Peop","L-Peop","O","O","U-Loc","O"],"relations":[{"head":0,"tail":1,"type":"Live_In"}],"orig_id":7}]`))
	if err != nil {
		t.Fatal(err)
	}
	ents, rels, err := sents[0].Gold()
	if err != nil {
		t.Fatal(err)
	}
	wantE := []Span{{0, 2, "Peop"}, {4, 5, "Loc"}}
	wantR := []Relation{{wantE[0], wantE[1], "Live_In"}}
	if !reflect.DeepEqual(ents, wantE) || !reflect.DeepEqual(rels, wantR) {
		t.Errorf("got %v %v, want %v %v", ents, rels, wantE, wantR)
	}
	sents[0].Relations[0].Tail = 5
	if _, _, err := sents[0].Gold(); err == nil {
		t.Error("no error for a relation to a missing entity")
	}
}

func testExtractor(t *testing.T) *extract.Extractor {
	t.Helper()
	x, err := extract.New(extract.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestPredictCoNLL04(t *testing.T) {
	x := testExtractor(t)
	toks := strings.Fields("US Secretary of State John Kerry met Sergei Lavrov in Geneva on Monday .")
	ents, _, _, err := PredictCoNLL04(x, "t", toks, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Span]bool{{7, 9, "Peop"}: true, {10, 11, "Loc"}: true}
	for _, e := range ents {
		delete(want, e)
	}
	if len(want) > 0 {
		t.Errorf("entities %v miss %v", ents, want)
	}
}

func TestScoreGold(t *testing.T) {
	us := graph.EntityRef{Type: graph.State, Name: "United States"}
	ru := graph.EntityRef{Type: graph.State, Name: "Russia"}
	kerry := graph.EntityRef{Type: graph.Person, Name: "John Kerry"}
	a := &graph.Article{
		Entities: []graph.ArticleEntity{
			{EntityRef: us, Aliases: []string{"US", "Washington"}},
			{EntityRef: ru, Aliases: []string{"Moscow"}},
			{EntityRef: kerry, Aliases: []string{"Kerry"}},
			{EntityRef: graph.EntityRef{Type: graph.City, Name: "Moscow"}}, // must_not
		},
		Statements: []graph.Statement{
			{Subject: us, Predicate: "warned", Object: ru, Modality: graph.Asserted},
			{Subject: us, Predicate: "warned", Object: ru, Modality: graph.Hedged}, // same triple
			{Subject: kerry, Predicate: "met", Object: ru, Modality: graph.Asserted},
			{Subject: ru, Predicate: "bombed", Object: us, Modality: graph.Asserted},
		},
	}
	g := Gold{
		Entities: []GoldEntity{
			{Type: graph.State, Name: "United States", Aliases: []string{"US"}},
			{Type: graph.State, Name: "Russian Federation", Aliases: []string{"Moscow"}}, // by alias
			{Type: graph.Person, Name: "Sergei Lavrov"},                                  // missed
			{Type: graph.Person, Name: "John Kerry"},
		},
		Relation: []GoldRelation{
			{Subject: "United States", Predicate: "warned", Object: "Russian Federation", Modality: "hedged"},
			{Subject: "John Kerry", Predicate: "met", Object: "Sergei Lavrov"}, // missed
		},
		MustNot: []GoldMustNot{
			{What: "entity", Name: "Moscow", Type: graph.City},
			{What: "relation", Subject: "Russian Federation", Predicate: "bombed", Object: "United States"},
			{What: "relation", Subject: "United States", Predicate: "bombed", Object: "Russian Federation"},
		},
	}
	res := ScoreGold(a, g)
	sum := func(m map[string]Counts) (c Counts) {
		for _, v := range m {
			c = c.Add(v)
		}
		return c
	}
	for _, tc := range []struct {
		name string
		got  Counts
		want Counts
	}{
		{"entities", sum(res.Entities), Counts{Gold: 4, Predicted: 4, Correct: 3}},
		{"relations", sum(res.Relations), Counts{Gold: 2, Predicted: 3, Correct: 1}},
		{"modality", sum(res.Modality), Counts{Gold: 2, Predicted: 4, Correct: 1}},
		{"state", res.Entities["state"], Counts{Gold: 2, Predicted: 2, Correct: 2}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
	if len(res.Violated) != 2 {
		t.Errorf("violations %q, want the city Moscow and Russia bombed the US", res.Violated)
	}
	if len(res.Missed) != 2 {
		t.Errorf("missed %q, want Lavrov and the met relation", res.Missed)
	}
}

func TestReportText(t *testing.T) {
	r := Report{Task: "x", Input: "in", Tables: []Table{NewTable("t", map[string]Counts{"A": {2, 2, 1}, "B": {2, 0, 0}})}}
	r.F1 = r.Tables[0].Overall.F1
	txt := r.Text()
	lines := strings.Split(strings.TrimSpace(txt), "\n")
	if last := lines[len(lines)-1]; last != "F1 33.33" {
		t.Errorf("last line %q, want F1 33.33\n%s", last, txt)
	}
	if !strings.Contains(txt, "overall") || r.Tables[0].Overall.Counts != (Counts{4, 2, 1}) {
		t.Errorf("table:\n%s", txt)
	}
}

// sharedData returns a file of ../shared/data, or skips naming the path.
func sharedData(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", rel)
	if d := os.Getenv("NEWSGRAPH_DATA"); d != "" {
		p = filepath.Join(d, rel)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not available: %v", p, err)
	}
	return p
}

func TestCoNLL2003Testa(t *testing.T) {
	p := sharedData(t, "conll2003/eng.testa")
	tg, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := CoNLL2003(tg, p, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r.Text())
	if r.F1 < 85 {
		t.Errorf("eng.testa F1 %.2f, want >= 85", r.F1)
	}
}

func TestCoNLL04Dev(t *testing.T) {
	p := sharedData(t, "conll04/conll04_dev.json")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	sents, err := ReadCoNLL04(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := CoNLL04(testExtractor(t), p, sents)
	t.Logf("\n%s", r.Text())
	if len(r.Errors) > 0 || r.Tables[0].Overall.Gold == 0 {
		t.Errorf("errors %q, entity gold %d", r.Errors, r.Tables[0].Overall.Gold)
	}
}

func TestGoldExamples(t *testing.T) {
	r, err := GoldDir(testExtractor(t), filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r.Text())
	if ent := r.Tables[0].Overall; ent.Recall < 95 || r.Tables[1].Overall.Recall < 90 || len(r.Errors) > 0 {
		t.Errorf("entity recall %.1f, relation recall %.1f, errors %q", ent.Recall, r.Tables[1].Overall.Recall, r.Errors)
	}
	// issue 8's target for the reference article: relation F1 at least 90 (90.91 when set)
	if r.F1 < 90 {
		t.Errorf("relation F1 %.2f, want at least 90", r.F1)
	}
	for _, n := range r.Notes {
		if strings.Contains(n, "VIOLATED") {
			t.Error(n)
		}
	}
}
