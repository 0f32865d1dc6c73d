package graphtest

import (
	"fmt"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// Report is a short article by source (may be empty) at url (may be empty) saying that
// Kerry warned Lavrov on date.
func Report(id, source, url string, date time.Time) *graph.Article {
	return &graph.Article{
		ID: id, Title: "Kerry warns Lavrov (" + id + ")", URL: url, Source: source,
		Published: date, Hash: "sha256:" + id,
		Entities: []graph.ArticleEntity{ent(Kerry, "Kerry"), ent(Lavrov, "Lavrov")},
		Statements: []graph.Statement{
			st(Kerry, "warned", Lavrov, graph.Asserted, date, "Kerry warned Lavrov ("+id+").", 0),
		},
	}
}

// testEventGroups: statements of one subject, predicate, object and day from several
// articles are one event that counts its articles and distinct sources; articles
// without a source count by URL host, and articles with neither as one unknown source.
func testEventGroups(t *testing.T, _ Opener, s graph.Store) {
	d28, d02 := day(2016, 9, 28), day(2016, 10, 2)
	Put(t, s, SyriaTalks(), Denial(),
		Report("net-a", "", "https://www.example.net/a", d28),
		Report("net-b", "", "https://example.net/b", d28),
		Report("anon-1", "", "", d28),
		Report("anon-2", "", "", d28),
		Report("reuters-again", "REUTERS", "https://reuters.example/x", d28),
		Report("later", "AP", "", d02),
	)
	q := graph.RelationQuery{EntityID: Kerry.IRI(), Other: Lavrov.IRI(), Predicates: []string{"warned"}, MaxEvidence: 100}
	type want struct {
		articles, sources, events int
		byEvent                   []graph.EventSummary
	}
	// The 28th: The New Arab, Reuters (twice), example.net (twice), unknown (twice).
	e28 := graph.EventSummary{Date: d28, Articles: 7, Sources: 4, Statements: 8}
	e02 := graph.EventSummary{Date: d02, Articles: 1, Sources: 1, Statements: 1}
	cases := []struct {
		minSources int
		want       *want
	}{
		{0, &want{8, 5, 2, []graph.EventSummary{e02, e28}}},
		{2, &want{7, 4, 1, []graph.EventSummary{e28}}},
		{4, &want{7, 4, 1, []graph.EventSummary{e28}}},
		{5, nil},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("MinSources=%d", c.minSources), func(t *testing.T) {
			q.MinSources = c.minSources
			rs := relations(t, s, q)
			if c.want == nil {
				if len(rs) != 0 {
					t.Fatalf("got %v, want none", relSet(rs))
				}
				return
			}
			if len(rs) != 1 {
				t.Fatalf("got %v, want Kerry warned Lavrov", relSet(rs))
			}
			r := rs[0]
			if r.Articles != c.want.articles || r.Sources != c.want.sources || r.Events != c.want.events {
				t.Errorf("counts %d articles, %d sources, %d events; want %d, %d, %d",
					r.Articles, r.Sources, r.Events, c.want.articles, c.want.sources, c.want.events)
			}
			if fmt.Sprint(r.ByEvent) != fmt.Sprint(c.want.byEvent) {
				t.Errorf("ByEvent = %+v\nwant      %+v", r.ByEvent, c.want.byEvent)
			}
			n := 0
			for _, e := range r.ByEvent {
				n += e.Statements
			}
			if len(r.Evidence) != n {
				t.Errorf("%d evidence items, want the %d statements of the events kept", len(r.Evidence), n)
			}
		})
	}
	// The evidence cap caps the events listed too; the counts stay those of all.
	q.MinSources, q.MaxEvidence = 0, 1
	rs := relations(t, s, q)
	if len(rs) != 1 || len(rs[0].Evidence) != 1 || len(rs[0].ByEvent) != 1 || rs[0].Events != 2 || rs[0].ByEvent[0].Date != d02 {
		t.Errorf("MaxEvidence 1: %+v", rs)
	}
}

// Mentioning is an article that only mentions entities (no statements), to raise
// their mention counts.
func Mentioning(id string, ents ...graph.EntityRef) *graph.Article {
	a := &graph.Article{ID: id, Title: "Mentions " + id, Source: "Wire", Published: day(2016, 10, 3), Hash: "sha256:" + id}
	for _, e := range ents {
		a.Entities = append(a.Entities, ent(e))
	}
	return a
}

// Entities of the search scenario.
var (
	SergeyLavrov = graph.EntityRef{Type: graph.Person, Name: "Sergey Lavrov"}
	LavrovStreet = graph.EntityRef{Type: graph.Facility, Name: "Lavrov Street"}
	SaoPaulo     = graph.EntityRef{Type: graph.City, Name: "São Paulo"}
	BasharAssad  = graph.EntityRef{Type: graph.Person, Name: "Bashar al-Assad"}
	HafezAssad   = graph.EntityRef{Type: graph.Person, Name: "Assad"}
	ElBaradei    = graph.EntityRef{Type: graph.Person, Name: "Mohamed ElBaradei"}
	AlJazeera    = graph.EntityRef{Type: graph.Organisation, Name: "Al Jazeera"}
)

// testSearchTolerant: fuzzy search tolerates a typo, a missing diacritic and the
// Arabic article, and ranks equally good matches by mentions.
func testSearchTolerant(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s,
		Mentioning("m1", SergeyLavrov, LavrovStreet, SaoPaulo, BasharAssad, ElBaradei, AlJazeera),
		Mentioning("m2", SergeyLavrov, BasharAssad),
		Mentioning("m3", SergeyLavrov, HafezAssad),
	)
	type tc struct {
		text string
		mode graph.SearchMode
		want []graph.EntityRef // the first hits, in order; nil: no hit
	}
	cases := []tc{
		{"Lavrof", graph.Fuzzy, []graph.EntityRef{SergeyLavrov, LavrovStreet}},
		{"Sergei Lavrof", graph.Fuzzy, []graph.EntityRef{SergeyLavrov}},
		{"Lavrov", graph.Prefix, []graph.EntityRef{SergeyLavrov, LavrovStreet}},
		{"Lavrof", graph.Prefix, nil},
		{"Sao Paulo", graph.Fuzzy, []graph.EntityRef{SaoPaulo}},
		{"Sao Paulo", graph.Exact, []graph.EntityRef{SaoPaulo}},
		{"sao", graph.Prefix, []graph.EntityRef{SaoPaulo}},
		{"São Pualo", graph.Fuzzy, []graph.EntityRef{SaoPaulo}},
		{"SaoPaulo", graph.Fuzzy, []graph.EntityRef{SaoPaulo}},
		// "Assad" is the whole name of one entity and a word of the other's.
		{"Assad", graph.Fuzzy, []graph.EntityRef{HafezAssad, BasharAssad}},
		{"al-Assad", graph.Fuzzy, []graph.EntityRef{HafezAssad, BasharAssad}},
		{"al-Assad", graph.Exact, []graph.EntityRef{HafezAssad}},
		{"Bashar Assad", graph.Exact, []graph.EntityRef{BasharAssad}},
		{"Bashar al Asad", graph.Fuzzy, []graph.EntityRef{BasharAssad}},
		{"Jazeera", graph.Prefix, []graph.EntityRef{AlJazeera}},
		{"El Baradei", graph.Fuzzy, []graph.EntityRef{ElBaradei}},
		{"Lavrov", graph.Exact, nil},
	}
	for _, c := range cases {
		res, err := s.SearchEntities(ctx(t), graph.SearchQuery{Text: c.text, Mode: c.mode})
		if err != nil {
			t.Errorf("Search(%q, %d): %v", c.text, c.mode, err)
			continue
		}
		var got []string
		for _, e := range res {
			got = append(got, e.Name)
		}
		var want []string
		for _, e := range c.want {
			want = append(want, e.Name)
		}
		if len(got) < len(want) || fmt.Sprint(got[:len(want)]) != fmt.Sprint(want) || want == nil && len(got) > 0 {
			t.Errorf("Search(%q, mode %d) = %q, want %q first", c.text, c.mode, got, want)
		}
	}
	// Ranking follows mentions: three more articles about Lavrov Street put it first.
	Put(t, s, Mentioning("m4", LavrovStreet), Mentioning("m5", LavrovStreet), Mentioning("m6", LavrovStreet))
	res, err := s.SearchEntities(ctx(t), graph.SearchQuery{Text: "Lavrof", Mode: graph.Fuzzy})
	if err != nil || len(res) < 2 || res[0].Name != LavrovStreet.Name || res[0].Mentions != 4 || res[1].Name != SergeyLavrov.Name {
		t.Errorf("Search(Lavrof) after more mentions of Lavrov Street = %+v, %v", res, err)
	}
}
