package extract

import (
	"testing"

	"github.com/newsgraph/newsgraph/graph"
)

// TestTreeRelations checks relations that the word-adjacency rules miss and the
// tree finds: arguments beyond the neighbouring words, coordination, relative and
// participial clauses, light verbs, modality from the tree.
func TestTreeRelations(t *testing.T) {
	x := newTestExtractor(t)
	rules, err := New(Config{NoParser: true})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		text      string
		want      []rel
		not       []rel
		rulesMiss bool // the word rules alone do not find want
	}{
		{"subject with a long modifier", "Syrian army units backed by Russian air power fully retook Palmyra on Sunday.",
			[]rel{{"Syrian Army", "seized", "Palmyra", graph.Asserted}}, nil, false},
		{"coordinated subjects", "Iran and Syria condemned Israel on Monday.",
			[]rel{{"Iran", "condemned", "Israel", ""}, {"Syria", "condemned", "Israel", ""}}, nil, false},
		{"light verb and noun", "Israel launched heavy air strikes on Gaza overnight.",
			[]rel{{"Israel", "bombed", "Gaza", ""}}, nil, false},
		{"negation", "Russia did not bomb Aleppo on Tuesday.",
			[]rel{{"Russia", "bombed", "Aleppo", graph.Negated}}, nil, false},
		{"hedge", "Russia may have bombed Aleppo on Tuesday.",
			[]rel{{"Russia", "bombed", "Aleppo", graph.Hedged}}, nil, false},
		{"passive, a name inside the noun phrase", "The town of Palmyra was seized by Islamic State militants in May.",
			[]rel{{"Islamic State", "seized", "Palmyra", ""}}, []rel{{"Palmyra", "seized", "Islamic State", ""}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := extractText(t, x, c.text)
			checkRels(t, a, c.want, c.not)
			if c.rulesMiss {
				ra := extractText(t, rules, c.text)
				for _, w := range c.want {
					if findStmt(ra, w) != nil {
						t.Errorf("the word rules find %s --%s--> %s too: not a tree case", w.subj, w.pred, w.obj)
					}
				}
			}
		})
	}
}
