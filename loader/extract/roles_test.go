package extract

import (
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
)

// TestRolePhrasesByDate: a role phrase nobody in the article holds resolves to the
// gazetteer's holder on the publication day, and to nobody when the gazetteer does not
// know who held it then; an object pronoun skips the subject of its own clause.
func TestRolePhrasesByDate(t *testing.T) {
	x := newTestExtractor(t)
	const text = "The Russian foreign minister warned Turkey on Monday against any incursion into Syria. " +
		"The US secretary of state met him in Geneva."
	lavrov := graph.EntityRef{Type: graph.Person, Name: "Sergey Lavrov"}
	kerry := graph.EntityRef{Type: graph.Person, Name: "John Kerry"}
	turkey := graph.EntityRef{Type: graph.State, Name: "Turkey"}
	tests := []struct {
		published time.Time
		want      []graph.Statement // subject, predicate, object
		absent    []graph.EntityRef
	}{
		{time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC),
			[]graph.Statement{{Subject: lavrov, Predicate: "warned", Object: turkey}, {Subject: kerry, Predicate: "met", Object: lavrov}}, nil},
		{time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC), nil, []graph.EntityRef{lavrov, kerry}},
	}
	for _, tt := range tests {
		t.Run(tt.published.Format("2006-01-02"), func(t *testing.T) {
			a, err := x.Extract(doc.Document{ID: "roles", Text: text, Published: tt.published})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				found := false
				for _, s := range a.Statements {
					found = found || (s.Subject == w.Subject && s.Predicate == w.Predicate && s.Object == w.Object)
				}
				if !found {
					t.Errorf("no %s --%s--> %s in %+v", w.Subject.Name, w.Predicate, w.Object.Name, a.Statements)
				}
			}
			for _, e := range a.Entities {
				for _, ab := range tt.absent {
					if e.EntityRef == ab {
						t.Errorf("%s found in an article of %s", ab.Name, tt.published.Format("2006"))
					}
				}
			}
		})
	}
}
