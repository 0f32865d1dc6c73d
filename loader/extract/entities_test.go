package extract

import (
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
)

// ent is an expected entity: its type and its canonical name or one of its aliases.
type ent struct {
	typ  graph.EntityType
	name string
}

// hasEntity reports whether the article has an entity of the type whose canonical
// name or an alias is name (any type when typ is "").
func hasEntity(a *graph.Article, typ graph.EntityType, name string) bool {
	for _, e := range a.Entities {
		if typ != "" && e.Type != typ {
			continue
		}
		if strings.EqualFold(e.Name, name) {
			return true
		}
		for _, al := range e.Aliases {
			if strings.EqualFold(al, name) {
				return true
			}
		}
	}
	return false
}

// entityCase is a text with the entities it must have, the names it must not have as
// an entity of any type, and the entities it must not have of a given type.
type entityCase struct {
	name  string
	text  string
	want  []ent
	not   []string
	notAs []ent
}

func runEntityCases(t *testing.T, cases []entityCase) {
	t.Helper()
	x := newTestExtractor(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := extractText(t, x, c.text)
			for _, w := range c.want {
				if !hasEntity(a, w.typ, w.name) {
					t.Errorf("no %s %q in%s", w.typ, w.name, dump(a))
				}
			}
			for _, n := range c.not {
				if hasEntity(a, "", n) {
					t.Errorf("%q is an entity:%s", n, dump(a))
				}
			}
			for _, n := range c.notAs {
				if hasEntity(a, n.typ, n.name) {
					t.Errorf("unexpected %s %q in%s", n.typ, n.name, dump(a))
				}
			}
		})
	}
}

func TestSourcesAreNotEntities(t *testing.T) {
	runEntityCases(t, []entityCase{
		{"agency with its head", "Turkish troops shelled the town of Afrin, the Anadolu news agency reported.",
			[]ent{{graph.Organisation, "Turkish Army"}}, []string{"Anadolu", "Anadolu news agency"}, nil},
		{"agency relayed by a broadcaster", "IRNA, monitored by the BBC in London, said Iran had shot down two Iraqi jets.",
			[]ent{{graph.State, "Iran"}}, []string{"IRNA", "BBC"}, nil},
		{"outlet as listener", "A rebel commander told Enab Baladi that the road to Homs was cut.",
			[]ent{{graph.City, "Homs"}}, []string{"Enab Baladi"}, nil},
		{"unknown outlet as listener", "A rebel commander told Qalamoun Voice that the road to Homs was cut.",
			[]ent{{graph.City, "Homs"}}, []string{"Qalamoun Voice"}, nil},
		{"reporters' names closing the article", "Warplanes struck the town of Saraqeb in Syria on Monday.\nYoussef Diab, Paula Astih and Najla Habriri.",
			[]ent{{graph.City, "Saraqeb"}}, []string{"Youssef Diab", "Paula Astih", "Najla Habriri"}, nil},
		{"wire sign-off", "Israeli jets struck a convoy near Damascus, officials said.\n REUTER\n",
			[]ent{{graph.State, "Israel"}}, []string{"REUTER", "Reuters"}, nil},
		{"by-line", "March 3 2017 by Karim Haddad and Lina Farouk Warplanes struck the town of Saraqeb.",
			nil, []string{"Karim Haddad", "Lina Farouk", "Karim Haddad and Lina Farouk"}, nil},
		{"weekday abbreviation of a dateline", "Thu 06 Apr 2017 Rebels shelled Hama on Thursday.",
			[]ent{{graph.City, "Hama"}}, []string{"Thu"}, nil},
		{"weapon designations", "Moscow deployed SS-20's in the east and Washington deployed Pershing-2 missiles in Germany.",
			[]ent{{graph.State, "Germany"}}, []string{"SS-20", "SS-20's", "Pershing-2"}, nil},
		{"weapon name before its head", "Iran fired Silkworm missiles at Kuwait.",
			[]ent{{graph.State, "Kuwait"}}, []string{"Silkworm"}, nil},
		{"credit in brackets", "(AFP and Agencies) Rebels shelled Hama.", []ent{{graph.City, "Hama"}}, []string{"AFP"}, nil},
		{"an outlet in the story is an entity", "Reuters opened a new office in Nairobi in 1988.",
			[]ent{{graph.Organisation, "Reuters"}}, nil, nil},
		{"time zone", "The attack began at dawn (0400 GMT) near Basra.",
			[]ent{{graph.City, "Basra"}}, []string{"GMT"}, nil},
	})
}

func TestForcesNamedAfterTheState(t *testing.T) {
	runEntityCases(t, []entityCase{
		{"regime forces and rebels", "Syrian regime officials said regime forces had retaken the town from the rebels.",
			[]ent{{graph.Organisation, "Syrian Army"}, {graph.Organisation, "Syrian rebels"}}, nil, nil},
		{"forces loyal to", "In Syria, forces loyal to President Bashar al-Assad shelled Hama, a Syrian monitor said.",
			[]ent{{graph.Organisation, "forces loyal to President Bashar al-Assad"}}, nil, nil},
	})
}

func TestFacilityPhrases(t *testing.T) {
	runEntityCases(t, []entityCase{
		{name: "noun modifiers", text: "Poison gas leaked from a rebel chemical weapons depot.",
			want: []ent{{graph.Facility, "rebel chemical weapons depot"}, {graph.Facility, "a rebel chemical weapons depot"}}},
		{name: "named before the head", text: "Jets struck the al-Wafideen refugee camp.",
			want: []ent{{graph.Facility, "al-Wafideen refugee camp"}}, not: []string{"Wafideen"}},
		{name: "capitalised determiner", text: "The Al Fawwar camp is used by the militia.",
			want: []ent{{graph.Facility, "Al Fawwar camp"}}, not: []string{"Al Fawwar"}},
		{name: "demonym modifier and direction", text: "Troops seized several Iraqi defence posts east of Basra.",
			want: []ent{{graph.Facility, "several Iraqi defence posts east of Basra"}, {graph.Facility, "Iraqi defence posts east of Basrah"}, {graph.State, "Iraq"}}},
		{name: "part of a place", text: "The attack targeted a popular market in the center of Khan Sheikhoun.",
			want: []ent{{graph.Facility, "popular market in Khan Sheikhoun"}, {graph.Facility, "a popular market in the center of Khan Sheikhoun"}}},
		{name: "participles are not modifiers", text: "The army said it targeted positions inside the country.",
			not: []string{"targeted positions", "positions"}},
		{name: "a generic noun alone is no facility", text: "Residents gathered at the center of the town.",
			not: []string{"center"}},
		{name: "province after its city", text: "They lived in the villages of al-Foua and Kefraya in Idlib province.",
			want: []ent{{graph.City, "Idlib province"}}, not: []string{"Idlib"}},
		{name: "province of", text: "Israel struck a Syrian army position in the province of Quneitra.",
			want: []ent{{graph.City, "Quneitra province"}, {graph.City, "the province of Quneitra"}, {graph.Facility, "Syrian army position in Quneitra"}}},
		{name: "a facility in a province is named by its city", text: "Israeli jets struck a Syrian army position in Quneitra province on Sunday.",
			want: []ent{{graph.Facility, "Syrian army position in Quneitra"}, {graph.City, "Quneitra province"}}},
		{name: "direction before a province", text: "The camp lies in southwestern Quneitra province.",
			want: []ent{{graph.City, "Quneitra province"}}},
		{name: "lost apostrophe", text: "Jets struck Syrias southern province.",
			want: []ent{{graph.State, "Syria"}}},
	})
}
