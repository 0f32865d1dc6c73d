package extract

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/loader/doc"
)

func TestExplainReference(t *testing.T) {
	path := "testdata/2016-09-28-us-threatens-to-end-syria-talks.txt"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s: %v", path, err)
	}
	d := doc.ParseText(path, raw)
	x := newTestExtractor(t)
	a, err := x.Extract(d)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := x.Explain(d)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ex.Article, a) {
		t.Errorf("Explain's article differs from Extract's")
	}
	n := 0
	for _, s := range ex.Sentences {
		if s.Text != d.Text[s.Start:s.End] {
			t.Errorf("sentence text %q is not the text at %d:%d", s.Text, s.Start, s.End)
		}
		for _, m := range s.Mentions {
			if m.Start < s.Start || m.End > s.End || m.Text != d.Text[m.Start:m.End] {
				t.Errorf("mention %+v outside its sentence %d:%d", m, s.Start, s.End)
			}
		}
		n += len(s.Relations)
	}
	if n != len(a.Statements) {
		t.Errorf("%d relations in sentences, %d statements", n, len(a.Statements))
	}
}

func TestExplainWhyNot(t *testing.T) {
	x := newTestExtractor(t)
	for _, tc := range []struct {
		text, relation, reason string
	}{
		{"The bombing continued all night.", "bombed", "no agent and no patient in the tree"},
		{"The bombing of Aleppo continued.", "bombed", "no agent in the tree"},
		{"Russia condemned.", "condemned", "no patient in the tree: nsubj = Russia"},
		{"Yesterday they warned Syria.", "warned", "names no actor"},
	} {
		ex, err := x.Explain(doc.Document{ID: "t", Text: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		var got []MissedTrigger
		for _, s := range ex.Sentences {
			got = append(got, s.Missed...)
		}
		if len(got) != 1 || got[0].Relation != tc.relation || !strings.Contains(got[0].Reason, tc.reason) {
			t.Errorf("%q: missed %+v, want one %s with a reason containing %q", tc.text, got, tc.relation, tc.reason)
		}
	}
	if _, err := x.Explain(doc.Document{Text: "x"}); err == nil {
		t.Error("no error for a document without an id")
	}
}
