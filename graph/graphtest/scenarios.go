package graphtest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
)

func testStoreAndRead(t *testing.T, _ Opener, s graph.Store) {
	a := SyriaTalks()
	res := Put(t, s, a)
	if res[0].Status != graph.Stored || res[0].Added == 0 || res[0].Removed != 0 {
		t.Errorf("result = %+v, want Stored with quads added", res[0])
	}
	st := mustStats(t, s)
	want := graph.Stats{Articles: 1, Entities: 13, Relations: 11, Statements: 13, Quads: int64(res[0].Added)}
	if st != want {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
	k := mustEntity(t, s, Kerry)
	if k.Name != "John Kerry" || k.Type != graph.Person || k.Mentions != 1 ||
		!slices.Equal(k.Aliases, []string{"Kerry", "US Secretary of State John Kerry", "the US secretary of state"}) {
		t.Errorf("Entity(Kerry) = %+v", k)
	}
	if k.ID != "ng:e/person/john_kerry" {
		t.Errorf("Kerry's IRI = %q", k.ID)
	}
	// The name given twice (as name and alias) is not an alias.
	if l := mustEntity(t, s, Lavrov); !slices.Equal(l.Aliases, []string{"Lavrov"}) {
		t.Errorf("Lavrov's aliases = %q, want [Lavrov]", l.Aliases)
	}
	_, err := s.Entity(ctx(t), "ng:e/person/nobody")
	wantNotFound(t, "Entity(nobody)", err)

	info, err := s.Article(ctx(t), a.ID)
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	wantInfo := graph.ArticleInfo{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source,
		Published: a.Published, Hash: a.Hash, Statements: 13}
	if !info.Published.Equal(wantInfo.Published) {
		t.Errorf("Article.Published = %v, want %v", info.Published, wantInfo.Published)
	}
	info.Published = wantInfo.Published
	if *info != wantInfo {
		t.Errorf("Article = %+v, want %+v", *info, wantInfo)
	}
	_, err = s.Article(ctx(t), "no-such-article")
	wantNotFound(t, "Article(no-such-article)", err)

	rs := relations(t, s, graph.RelationQuery{EntityID: Kerry.IRI(), Direction: graph.Outgoing})
	got := relSet(rs)
	wantRels := []rel{{"John Kerry", "holds_role", "United States"}, {"John Kerry", "met", "Sergei Lavrov"}, {"John Kerry", "warned", "Sergei Lavrov"}}
	if !slices.Equal(got, wantRels) {
		t.Errorf("Kerry's outgoing relations = %v, want %v", got, wantRels)
	}
	w := findRel(rs, Kerry, "warned", Lavrov)
	if w == nil || len(w.Evidence) != 2 || w.Articles != 1 || w.Sources != 1 || w.Events != 1 {
		t.Fatalf("Kerry warned Lavrov = %+v, want 2 evidence items, 1 article, 1 source, 1 event", w)
	}
	var reported *graph.Evidence
	for i, e := range w.Evidence {
		if e.Modality == graph.Reported {
			reported = &w.Evidence[i]
		}
		if e.ArticleID != a.ID || e.ArticleTitle != a.Title || e.Source != "The New Arab" || e.URL != a.URL ||
			!e.EventDate.Equal(day(2016, 9, 28)) || !e.Published.Equal(a.Published) || e.Confidence != 0.9 || e.Sentence == "" {
			t.Errorf("evidence = %+v", e)
		}
	}
	if reported == nil || reported.Speaker != "John Kirby" || reported.Start != 634 || reported.End != 634+len(sInform) {
		t.Errorf("reported evidence = %+v, want speaker John Kirby at 634", reported)
	}
	role := findRel(rs, Kerry, "holds_role", US)
	if role == nil || role.Evidence[0].Role != "Secretary of State" || !role.Evidence[0].EventDate.IsZero() {
		t.Errorf("holds_role = %+v, want role Secretary of State, no event date", role)
	}
	hedged := relations(t, s, graph.RelationQuery{EntityID: Russia.IRI(), Predicates: []string{"bombed"}, Direction: graph.Outgoing})
	if h := findRel(hedged, Russia, "bombed", Hospitals); h == nil || h.Evidence[0].Modality != graph.Hedged {
		t.Errorf("Russia bombed hospitals = %+v, want hedged", h)
	}
	if ea := findRel(hedged, Russia, "bombed", EastAleppo); ea == nil || ea.Events != 2 || len(ea.Evidence) != 2 ||
		!ea.Evidence[0].EventDate.After(ea.Evidence[1].EventDate) {
		t.Errorf("Russia bombed East Aleppo = %+v, want 2 events, newest first", ea)
	}
}

func testSameHash(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks())
	before := mustStats(t, s)
	d := dump(t, s)
	res := Put(t, s, SyriaTalks())
	if res[0].Status != graph.Unchanged || res[0].Added != 0 || res[0].Removed != 0 {
		t.Errorf("re-put: %+v, want Unchanged, nothing written", res[0])
	}
	if after := mustStats(t, s); after != before {
		t.Errorf("Stats after re-put = %+v, want %+v", after, before)
	}
	if d2 := dump(t, s); !slices.Equal(d, d2) {
		a, b := diffLines(d, d2)
		t.Errorf("quads changed: removed %v, added %v", a, b)
	}
}

func testReplace(t *testing.T, open Opener, s graph.Store) {
	Put(t, s, SyriaTalks())
	before := mustStats(t, s)
	res := Put(t, s, SyriaTalksV2())
	r := res[0]
	if r.Status != graph.Replaced || r.Added == 0 || r.Removed == 0 {
		t.Fatalf("replace: %+v, want Replaced with quads added and removed", r)
	}
	st := mustStats(t, s)
	if st.Quads != before.Quads+int64(r.Added-r.Removed) {
		t.Errorf("Quads = %d, want %d%+d", st.Quads, before.Quads, r.Added-r.Removed)
	}
	// Exactly the new facts: the same as a fresh store given only the new version.
	fresh := open(t)
	Put(t, fresh, SyriaTalksV2())
	if fs := mustStats(t, fresh); fs != st {
		t.Errorf("Stats after replace = %+v, fresh store with v2 = %+v", st, fs)
	}
	if a, b := diffLines(dump(t, s), dump(t, fresh)); len(a)+len(b) > 0 {
		t.Errorf("replaced store differs from a fresh one: only in replaced %v, only in fresh %v", a, b)
	}
	_, err := s.Entity(ctx(t), Farafira.IRI())
	wantNotFound(t, "Entity(Farafira) after replace", err)
	if k := mustEntity(t, s, Kerry); !slices.Contains(k.Aliases, "Secretary Kerry") {
		t.Errorf("Kerry's aliases = %q, want the new one", k.Aliases)
	}
	rs := relations(t, s, graph.RelationQuery{EntityID: Russia.IRI(), Direction: graph.Incoming})
	if findRel(rs, Ban, "condemned", Russia) == nil {
		t.Errorf("Ban condemned Russia missing after replace: %v", relSet(rs))
	}
	info, err := s.Article(ctx(t), SyriaTalks().ID)
	if err != nil || info.Hash != "sha256:syria-talks-v2" || info.Statements != 12 {
		t.Errorf("Article after replace = %+v, %v", info, err)
	}
	CheckInvariants(t, fresh)
}

func testSharedDelete(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial())
	st := mustStats(t, s)
	if st.Articles != 2 {
		t.Fatalf("Articles = %d, want 2", st.Articles)
	}
	if k := mustEntity(t, s, Kerry); k.Mentions != 2 {
		t.Errorf("Kerry mentions = %d, want 2", k.Mentions)
	}
	n, err := s.DeleteArticle(ctx(t), SyriaTalks().ID)
	if err != nil || n == 0 {
		t.Fatalf("DeleteArticle = %d, %v", n, err)
	}
	if st2 := mustStats(t, s); st2.Quads != st.Quads-int64(n) || st2.Articles != 1 {
		t.Errorf("after delete: %+v, want %d quads, 1 article", st2, st.Quads-int64(n))
	}
	// Shared: Kerry, Lavrov and the edge Kerry warned Lavrov stay, backed by Denial only.
	k := mustEntity(t, s, Kerry)
	if k.Mentions != 1 || !slices.Equal(k.Aliases, []string{"Kerry"}) {
		t.Errorf("Kerry after delete = %+v, want 1 mention, alias Kerry only", k)
	}
	rs := relations(t, s, graph.RelationQuery{EntityID: Kerry.IRI()})
	w := findRel(rs, Kerry, "warned", Lavrov)
	if w == nil || len(w.Evidence) != 1 || w.Evidence[0].ArticleID != Denial().ID {
		t.Errorf("Kerry warned Lavrov after delete = %+v", w)
	}
	if findRel(rs, Kerry, "met", Lavrov) != nil {
		t.Errorf("Kerry met Lavrov survived the delete of its only article")
	}
	for _, gone := range []graph.EntityRef{Farafira, Kirby, Ban, UNSC, Aleppo} {
		_, err := s.Entity(ctx(t), gone.IRI())
		wantNotFound(t, "Entity("+gone.Name+") after delete", err)
	}
	if r := mustEntity(t, s, Russia); !slices.Equal(r.Aliases, []string{"Kremlin", "Moscow"}) {
		t.Errorf("Russia's aliases = %q, want [Kremlin Moscow]", r.Aliases)
	}
	CheckInvariants(t, s)
	if _, err := s.DeleteArticle(ctx(t), Denial().ID); err != nil {
		t.Fatalf("DeleteArticle(Denial): %v", err)
	}
	if st := mustStats(t, s); st != (graph.Stats{}) {
		t.Errorf("Stats after deleting everything = %+v, want all zero", st)
	}
	if d := dump(t, s); len(d) != 0 {
		t.Errorf("quads left: %v", d)
	}
	if res, err := s.SearchEntities(ctx(t), graph.SearchQuery{Text: "Kerry", Mode: graph.Fuzzy}); err != nil || len(res) != 0 {
		t.Errorf("search in an empty store = %v, %v", res, err)
	}
	// And it can be filled again.
	Put(t, s, Denial())
	if k := mustEntity(t, s, Kerry); k.Mentions != 1 {
		t.Errorf("Kerry after re-put = %+v", k)
	}
}

func testDeleteUnknown(t *testing.T, _ Opener, s graph.Store) {
	_, err := s.DeleteArticle(ctx(t), "nope")
	wantNotFound(t, "DeleteArticle(nope)", err)
	Put(t, s, Denial())
	_, err = s.DeleteArticle(ctx(t), "nope")
	wantNotFound(t, "DeleteArticle(nope)", err)
	if _, err := s.DeleteArticle(ctx(t), ""); !errors.Is(err, graph.ErrInvalidArgument) {
		t.Errorf("DeleteArticle(\"\") = %v, want ErrInvalidArgument", err)
	}
	if _, err := s.DeleteArticle(ctx(t), Denial().ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.DeleteArticle(ctx(t), Denial().ID)
	wantNotFound(t, "second DeleteArticle", err)
}

func testBatchInvalid(t *testing.T, _ Opener, s graph.Store) {
	bad := Denial()
	bad.ID = "bad"
	bad.Statements[1].Confidence = 1.5
	noID := UNMeeting()
	noID.ID = ""
	badPred := Elsewhere()
	badPred.Statements[0].Predicate = "Located In"
	res, err := s.PutArticles(ctx(t), []*graph.Article{SyriaTalks(), bad, noID, Denial(), badPred, nil})
	if err != nil {
		t.Fatalf("PutArticles: %v", err)
	}
	for i, want := range []bool{false, true, true, false, true, true} {
		if got := res[i].Err != nil; got != want {
			t.Errorf("result %d: err = %v, want error: %v", i, res[i].Err, want)
		} else if got && !errors.Is(res[i].Err, graph.ErrInvalidArgument) {
			t.Errorf("result %d: err = %v, want ErrInvalidArgument", i, res[i].Err)
		}
	}
	if res[0].Status != graph.Stored || res[3].Status != graph.Stored {
		t.Errorf("valid articles: %+v, %+v", res[0], res[3])
	}
	if st := mustStats(t, s); st.Articles != 2 {
		t.Errorf("Articles = %d, want 2", st.Articles)
	}
	_, err = s.Article(ctx(t), "bad")
	wantNotFound(t, "Article(bad)", err)
}

func testBatchTwice(t *testing.T, open Opener, s graph.Store) {
	res := Put(t, s, SyriaTalks(), SyriaTalks(), SyriaTalksV2(), Denial())
	want := []graph.PutStatus{graph.Stored, graph.Unchanged, graph.Replaced, graph.Stored}
	for i, w := range want {
		if res[i].Status != w {
			t.Errorf("result %d = %v, want %v", i, res[i].Status, w)
		}
	}
	fresh := open(t)
	Put(t, fresh, SyriaTalksV2(), Denial())
	if a, b := mustStats(t, s), mustStats(t, fresh); a != b {
		t.Errorf("Stats = %+v, want %+v as when stored one by one", a, b)
	}
	if a, b := diffLines(dump(t, s), dump(t, fresh)); len(a)+len(b) > 0 {
		t.Errorf("differs from one by one: %v / %v", a, b)
	}
	// Delete and put again in one batch: the shared facts were never gone.
	if _, err := s.DeleteArticle(ctx(t), Denial().ID); err != nil {
		t.Fatal(err)
	}
	Put(t, s, Denial())
	if a, b := mustStats(t, s), mustStats(t, fresh); a != b {
		t.Errorf("Stats after delete and put = %+v, want %+v", a, b)
	}
}

func testEvents(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial())
	rs := relations(t, s, graph.RelationQuery{EntityID: Kerry.IRI(), Other: Lavrov.IRI(), Predicates: []string{"warned"}})
	if len(rs) != 1 {
		t.Fatalf("Kerry warned Lavrov: %v", relSet(rs))
	}
	w := rs[0]
	if w.Articles != 2 || w.Sources != 2 || w.Events != 1 || len(w.Evidence) != 3 {
		t.Errorf("Kerry warned Lavrov: %d articles, %d sources, %d events, %d evidence; want 2, 2, 1, 3",
			w.Articles, w.Sources, w.Events, len(w.Evidence))
	}
	// Newest publication first within one event day.
	if w.Evidence[0].ArticleID != Denial().ID {
		t.Errorf("first evidence from %s, want the later article", w.Evidence[0].ArticleID)
	}
	one := relations(t, s, graph.RelationQuery{EntityID: Kerry.IRI(), Other: Lavrov.IRI(), Predicates: []string{"warned"}, MaxEvidence: 1})
	if len(one[0].Evidence) != 1 || one[0].Articles != 2 {
		t.Errorf("MaxEvidence 1: %d evidence, %d articles", len(one[0].Evidence), one[0].Articles)
	}
}

func testRelationFilters(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial(), UNMeeting())
	type tc struct {
		name string
		q    graph.RelationQuery
		want []rel
	}
	cases := []tc{
		{"outgoing warned", graph.RelationQuery{EntityID: US.IRI(), Predicates: []string{"warned"}, Direction: graph.Outgoing},
			[]rel{{"United States", "warned", "Russia"}}},
		{"incoming", graph.RelationQuery{EntityID: Russia.IRI(), Direction: graph.Incoming},
			[]rel{{"United States", "condemned", "Russia"}, {"United States", "warned", "Russia"}}},
		{"both directions", graph.RelationQuery{EntityID: Lavrov.IRI()},
			[]rel{{"Ban Ki-moon", "met", "Sergei Lavrov"}, {"John Kerry", "met", "Sergei Lavrov"}, {"John Kerry", "warned", "Sergei Lavrov"}}},
		{"other entity", graph.RelationQuery{EntityID: Lavrov.IRI(), Other: Ban.IRI()},
			[]rel{{"Ban Ki-moon", "met", "Sergei Lavrov"}}},
		{"other entity, from the busy side", graph.RelationQuery{EntityID: Russia.IRI(), Other: US.IRI(), Direction: graph.Incoming},
			[]rel{{"United States", "condemned", "Russia"}, {"United States", "warned", "Russia"}}},
		{"date range", graph.RelationQuery{EntityID: Russia.IRI(), Direction: graph.Outgoing, From: day(2016, 9, 27), To: day(2016, 9, 27)},
			[]rel{{"Russia", "bombed", "East Aleppo"}}},
		{"date range excludes undated", graph.RelationQuery{EntityID: Aleppo.IRI(), From: day(2000, 1, 1)}, nil},
		{"modality", graph.RelationQuery{EntityID: Russia.IRI(), Direction: graph.Outgoing, Modalities: []graph.Modality{graph.Negated}},
			[]rel{{"Russia", "bombed", "East Aleppo hospitals"}}},
		{"min sources", graph.RelationQuery{EntityID: Lavrov.IRI(), MinSources: 2},
			[]rel{{"John Kerry", "warned", "Sergei Lavrov"}}},
		{"unknown predicate", graph.RelationQuery{EntityID: Lavrov.IRI(), Predicates: []string{"invaded"}}, nil},
	}
	for _, c := range cases {
		got := relSet(relations(t, s, c.q))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	// Filters apply to the evidence too.
	rs := relations(t, s, graph.RelationQuery{EntityID: Russia.IRI(), Other: Hospitals.IRI(), Modalities: []graph.Modality{graph.Hedged}})
	if len(rs) != 1 || len(rs[0].Evidence) != 1 || rs[0].Evidence[0].Modality != graph.Hedged || rs[0].Sources != 1 {
		t.Errorf("hedged only: %+v", rs)
	}
	_, err := s.Relations(ctx(t), graph.RelationQuery{EntityID: "ng:e/person/nobody"})
	wantNotFound(t, "Relations(nobody)", err)
}

func testPagination(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial(), UNMeeting())
	q := graph.RelationQuery{EntityID: Russia.IRI()}
	all := relations(t, s, q)
	if len(all) != 4 {
		t.Fatalf("Russia has %d relations, want 4: %v", len(all), relSet(all))
	}
	for _, size := range []int{1, 2, 4} {
		q.PageSize = size
		var got []graph.Relation
		pages := 0
		for {
			p, err := s.Relations(ctx(t), q)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Relations) > size {
				t.Fatalf("page of %d for page size %d", len(p.Relations), size)
			}
			got = append(got, p.Relations...)
			pages++
			if p.NextPageToken == "" {
				break
			}
			q.PageToken = p.NextPageToken
		}
		q.PageToken = ""
		if !slices.Equal(relSet(got), relSet(all)) {
			t.Errorf("page size %d: %v, want %v", size, relSet(got), relSet(all))
		}
		if want := (4 + size - 1) / size; pages != want {
			t.Errorf("page size %d: %d pages, want %d", size, pages, want)
		}
	}
	// A token is bound to its query.
	p, err := s.Relations(ctx(t), graph.RelationQuery{EntityID: Russia.IRI(), PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Relations(ctx(t), graph.RelationQuery{EntityID: US.IRI(), PageSize: 1, PageToken: p.NextPageToken})
	if !errors.Is(err, graph.ErrInvalidArgument) {
		t.Errorf("token of another query: %v, want ErrInvalidArgument", err)
	}
	_, err = s.Relations(ctx(t), graph.RelationQuery{EntityID: Russia.IRI(), PageToken: "garbage!"})
	if !errors.Is(err, graph.ErrInvalidArgument) {
		t.Errorf("garbage token: %v, want ErrInvalidArgument", err)
	}
	// A huge page size is capped, not refused.
	if _, err := s.Relations(ctx(t), graph.RelationQuery{EntityID: Russia.IRI(), PageSize: 1 << 30}); err != nil {
		t.Errorf("huge page size: %v", err)
	}
}

func testSearch(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial(), UNMeeting(), Elsewhere())
	type tc struct {
		q     graph.SearchQuery
		first string // IRI of the best hit; "" for no hit
	}
	cases := []tc{
		{graph.SearchQuery{Text: "john kerry", Mode: graph.Exact}, Kerry.IRI()},
		{graph.SearchQuery{Text: "KERRY", Mode: graph.Exact}, Kerry.IRI()},
		{graph.SearchQuery{Text: "Washington", Mode: graph.Exact}, US.IRI()},
		{graph.SearchQuery{Text: "Zurich", Mode: graph.Exact}, Zurich.IRI()},
		{graph.SearchQuery{Text: "zürich", Mode: graph.Exact}, Zurich.IRI()},
		{graph.SearchQuery{Text: "Kery", Mode: graph.Exact}, ""},
		{graph.SearchQuery{Text: "Lav", Mode: graph.Prefix}, Lavrov.IRI()},
		{graph.SearchQuery{Text: "east al", Mode: graph.Prefix}, EastAleppo.IRI()},
		{graph.SearchQuery{Text: "Lavorv", Mode: graph.Fuzzy}, Lavrov.IRI()},
		{graph.SearchQuery{Text: "Jon Kery", Mode: graph.Fuzzy}, Kerry.IRI()},
		{graph.SearchQuery{Text: "Zuerich", Mode: graph.Fuzzy}, Zurich.IRI()},
		{graph.SearchQuery{Text: "Sana'a", Mode: graph.Fuzzy}, Sanaa.IRI()},
		{graph.SearchQuery{Text: "Farafira", Mode: graph.Fuzzy, Types: []graph.EntityType{graph.Person}}, ""},
		{graph.SearchQuery{Text: "xyzzy", Mode: graph.Fuzzy}, ""},
	}
	for _, c := range cases {
		res, err := s.SearchEntities(ctx(t), c.q)
		if err != nil {
			t.Errorf("Search(%+v): %v", c.q, err)
			continue
		}
		got := ""
		if len(res) > 0 {
			got = res[0].ID
		}
		if got != c.first {
			t.Errorf("Search(%q, mode %d): first = %q, want %q (all: %v)", c.q.Text, c.q.Mode, got, c.first, res)
		}
	}
	// Ties by mentions: "Aleppo" matches Aleppo exactly, East Aleppo by a word.
	res, err := s.SearchEntities(ctx(t), graph.SearchQuery{Text: "aleppo", Mode: graph.Prefix})
	if err != nil || len(res) < 2 || res[0].ID != Aleppo.IRI() || res[1].ID != EastAleppo.IRI() {
		t.Errorf("Search(aleppo, Prefix) = %v, %v", res, err)
	}
	// Types filter and limit.
	res, err = s.SearchEntities(ctx(t), graph.SearchQuery{Text: "s", Mode: graph.Prefix, Types: []graph.EntityType{graph.State}, Limit: 2})
	if err != nil || len(res) != 2 {
		t.Errorf("Search(s, states, limit 2) = %v, %v", res, err)
	}
	for _, e := range res {
		if e.Type != graph.State {
			t.Errorf("type filter let through %+v", e)
		}
	}
	// Mentions break ties: Lavrov (3 articles) before Ban (2) for "lavrov ban"-like ties.
	res, err = s.SearchEntities(ctx(t), graph.SearchQuery{Text: "Moon", Mode: graph.Exact})
	if err != nil || len(res) != 1 || res[0].ID != Ban.IRI() || res[0].Mentions != 2 {
		t.Errorf("Search(Moon) = %+v, %v", res, err)
	}
}

func testPaths(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial(), UNMeeting(), Elsewhere())
	c := ctx(t)
	hopsOf := func(p graph.Path) string {
		out := ""
		for _, h := range p.Hops {
			arrow := "->"
			if !h.Forward {
				arrow = "<-"
			}
			out += fmt.Sprintf("%s %s%s%s ", h.From.Name, arrow, h.Predicate, arrow)
		}
		if len(p.Hops) > 0 {
			out += p.Hops[len(p.Hops)-1].To.Name
		}
		return out
	}
	ps, err := s.Paths(c, graph.PathQuery{From: Kerry.IRI(), To: Lavrov.IRI(), K: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 2 || len(ps[0].Hops) != 1 || len(ps[1].Hops) != 1 {
		t.Fatalf("Kerry→Lavrov: %d paths, want two of one hop first", len(ps))
	}
	for i, p := range ps {
		for j, h := range p.Hops {
			if len(h.Evidence) == 0 {
				t.Errorf("path %d hop %d (%s) has no evidence", i, j, hopsOf(p))
			}
			if j > 0 && h.From.ID != p.Hops[j-1].To.ID {
				t.Errorf("path %d is not connected: %s", i, hopsOf(p))
			}
		}
		if i > 0 && len(p.Hops) < len(ps[i-1].Hops) {
			t.Errorf("paths not shortest first: %d hops after %d", len(p.Hops), len(ps[i-1].Hops))
		}
	}
	// Backwards along an edge: Lavrov ← warned ← Kerry.
	ps, err = s.Paths(c, graph.PathQuery{From: Lavrov.IRI(), To: Kerry.IRI(), Predicates: []string{"warned"}})
	if err != nil || len(ps) != 1 || len(ps[0].Hops) != 1 || ps[0].Hops[0].Forward || ps[0].Hops[0].Predicate != "warned" ||
		ps[0].Hops[0].From.ID != Lavrov.IRI() || ps[0].Hops[0].To.ID != Kerry.IRI() {
		t.Errorf("Lavrov→Kerry (warned only) = %v, %v", ps, err)
	}
	// Two hops: Kerry → Lavrov ← Ban.
	ps, err = s.Paths(c, graph.PathQuery{From: Kerry.IRI(), To: Ban.IRI(), K: 5})
	if err != nil || len(ps) == 0 || len(ps[0].Hops) != 2 || ps[0].Hops[0].To.ID != Lavrov.IRI() {
		t.Fatalf("Kerry→Ban = %v, %v", ps, err)
	}
	seen := map[string]bool{}
	for _, p := range ps {
		k := hopsOf(p)
		if seen[k] {
			t.Errorf("path listed twice: %s", k)
		}
		seen[k] = true
		nodes := map[string]bool{p.Hops[0].From.ID: true}
		for _, h := range p.Hops {
			if nodes[h.To.ID] {
				t.Errorf("path with a loop: %s", k)
			}
			nodes[h.To.ID] = true
		}
	}
	// Hop limit and predicate filter.
	if ps, err := s.Paths(c, graph.PathQuery{From: Kerry.IRI(), To: Ban.IRI(), MaxHops: 1}); err != nil || len(ps) != 0 {
		t.Errorf("Kerry→Ban in 1 hop = %v, %v; want none", ps, err)
	}
	if ps, err := s.Paths(c, graph.PathQuery{From: Kerry.IRI(), To: Ban.IRI(), Predicates: []string{"warned"}}); err != nil || len(ps) != 0 {
		t.Errorf("Kerry→Ban by warned only = %v, %v; want none", ps, err)
	}
	// Longer: Farafira → Aleppo → Syria → Damascus ← Assad.
	ps, err = s.Paths(c, graph.PathQuery{From: Farafira.IRI(), To: Assad.IRI(), MaxHops: 4})
	if err != nil || len(ps) != 1 || len(ps[0].Hops) != 4 {
		t.Errorf("Farafira→Assad = %v, %v; want one path of 4 hops", ps, err)
	}
	// No path between the components.
	if ps, err := s.Paths(c, graph.PathQuery{From: Kerry.IRI(), To: Zurich.IRI(), MaxHops: 6}); err != nil || len(ps) != 0 {
		t.Errorf("Kerry→Zürich = %v, %v; want none", ps, err)
	}
	_, err = s.Paths(c, graph.PathQuery{From: Kerry.IRI(), To: "ng:e/person/nobody"})
	wantNotFound(t, "Paths to nobody", err)
	if ps, err := s.Paths(c, graph.PathQuery{From: Kerry.IRI(), To: Kerry.IRI()}); err != nil || len(ps) != 1 || len(ps[0].Hops) != 0 {
		t.Errorf("Kerry→Kerry = %v, %v; want one empty path", ps, err)
	}
}

func testNeighbourhood(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial(), UNMeeting(), Elsewhere())
	c := ctx(t)
	g, err := s.Neighbourhood(c, graph.NeighbourhoodQuery{EntityID: Kerry.IRI()})
	if err != nil {
		t.Fatal(err)
	}
	names := func(g *graph.Subgraph) []string {
		var out []string
		for _, n := range g.Nodes {
			out = append(out, n.Name)
		}
		slices.Sort(out)
		return out
	}
	if got, want := names(g), []string{"John Kerry", "Sergei Lavrov", "United States"}; !slices.Equal(got, want) || g.Truncated {
		t.Errorf("depth 1 nodes = %v (truncated %v), want %v", got, g.Truncated, want)
	}
	if len(g.Edges) != 3 {
		t.Errorf("depth 1 edges = %v, want 3", g.Edges)
	}
	g, err = s.Neighbourhood(c, graph.NeighbourhoodQuery{EntityID: Kerry.IRI(), Depth: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(g), []string{"Ban Ki-moon", "John Kerry", "Russia", "Sergei Lavrov", "United States"}; !slices.Equal(got, want) {
		t.Errorf("depth 2 nodes = %v, want %v", got, want)
	}
	// Edges among the nodes at the last depth are included (US → Russia).
	has := func(g *graph.Subgraph, s graph.EntityRef, p string, o graph.EntityRef) bool {
		return slices.Contains(g.Edges, graph.Edge{Subject: s.IRI(), Predicate: p, Object: o.IRI()})
	}
	if !has(g, US, "warned", Russia) || !has(g, Ban, "met", Lavrov) {
		t.Errorf("depth 2 edges = %v", g.Edges)
	}
	for _, e := range g.Edges {
		if !slices.ContainsFunc(g.Nodes, func(n graph.EntityBrief) bool { return n.ID == e.Subject }) ||
			!slices.ContainsFunc(g.Nodes, func(n graph.EntityBrief) bool { return n.ID == e.Object }) {
			t.Errorf("edge %v leaves the subgraph", e)
		}
	}
	g, err = s.Neighbourhood(c, graph.NeighbourhoodQuery{EntityID: Kerry.IRI(), Depth: 2, MaxNodes: 2})
	if err != nil || len(g.Nodes) != 2 || !g.Truncated || g.Nodes[0].ID != Kerry.IRI() {
		t.Errorf("capped at 2 nodes: %+v, %v", g, err)
	}
	g, err = s.Neighbourhood(c, graph.NeighbourhoodQuery{EntityID: Russia.IRI(), Predicates: []string{"bombed"}})
	if got, want := names(g), []string{"East Aleppo", "East Aleppo hospitals", "Russia"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Russia bombed = %v, %v; want %v", got, err, want)
	}
	// A huge depth is capped, not refused.
	if _, err := s.Neighbourhood(c, graph.NeighbourhoodQuery{EntityID: Russia.IRI(), Depth: 1 << 20}); err != nil {
		t.Errorf("huge depth: %v", err)
	}
	_, err = s.Neighbourhood(c, graph.NeighbourhoodQuery{EntityID: "ng:e/city/atlantis"})
	wantNotFound(t, "Neighbourhood(atlantis)", err)
}

func testInvalidQueries(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, Denial())
	c := ctx(t)
	checks := []struct {
		name string
		err  error
	}{}
	add := func(name string, err error) {
		checks = append(checks, struct {
			name string
			err  error
		}{name, err})
	}
	_, err := s.SearchEntities(c, graph.SearchQuery{Text: "  "})
	add("search blank", err)
	_, err = s.SearchEntities(c, graph.SearchQuery{Text: "kerry", Mode: 7})
	add("search mode", err)
	_, err = s.SearchEntities(c, graph.SearchQuery{Text: "kerry", Types: []graph.EntityType{"planet"}})
	add("search type", err)
	_, err = s.Relations(c, graph.RelationQuery{})
	add("relations without entity", err)
	_, err = s.Relations(c, graph.RelationQuery{EntityID: Kerry.IRI(), Direction: 9})
	add("relations direction", err)
	_, err = s.Relations(c, graph.RelationQuery{EntityID: Kerry.IRI(), From: day(2017, 1, 1), To: day(2016, 1, 1)})
	add("relations date range", err)
	_, err = s.Relations(c, graph.RelationQuery{EntityID: Kerry.IRI(), Modalities: []graph.Modality{"maybe"}})
	add("relations modality", err)
	_, err = s.Paths(c, graph.PathQuery{From: Kerry.IRI()})
	add("paths without To", err)
	_, err = s.Paths(c, graph.PathQuery{From: Kerry.IRI(), To: Lavrov.IRI(), K: -1})
	add("paths negative K", err)
	_, err = s.Neighbourhood(c, graph.NeighbourhoodQuery{EntityID: Kerry.IRI(), Depth: -1})
	add("neighbourhood negative depth", err)
	for _, ch := range checks {
		if !errors.Is(ch.err, graph.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", ch.name, ch.err)
		}
	}
}

func testConcurrent(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, Denial())
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 8)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Relations(ctx(t), graph.RelationQuery{EntityID: Kerry.IRI()}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Paths(ctx(t), graph.PathQuery{From: Kerry.IRI(), To: Russia.IRI()}); err != nil {
					errs <- err
					return
				}
				if _, err := s.SearchEntities(ctx(t), graph.SearchQuery{Text: "lavrov", Mode: graph.Fuzzy}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Stats(ctx(t)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 10 {
		a := SyriaTalks()
		if i%2 == 1 {
			a = SyriaTalksV2()
		}
		Put(t, s, a, UNMeeting())
		if i%3 == 2 {
			if _, err := s.DeleteArticle(ctx(t), UNMeeting().ID); err != nil {
				t.Error(err)
			}
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent read: %v", err)
	}
	// Cancelled writes store nothing.
	cc, cancel := contextWithCancel(t)
	cancel()
	if _, err := s.PutArticles(cc, []*graph.Article{Elsewhere()}); err == nil {
		t.Errorf("PutArticles with a cancelled context succeeded")
	}
	if _, err := s.Article(ctx(t), Elsewhere().ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("article of a cancelled put: %v", err)
	}
}
