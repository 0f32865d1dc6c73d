package graphtest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad/nquads"

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

// testTimeline: the events of an entity in event-day order, with filters, counts,
// evidence and pages.
func testTimeline(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial(), UNMeeting(),
		Report("net-a", "", "https://www.example.net/a", day(2016, 9, 28)),
		Report("later", "AP", "", day(2016, 10, 2)))
	type ev struct {
		date    string
		s, p, o string
		arts    int
		sources int
	}
	events := func(p *graph.TimelinePage) []ev {
		var out []ev
		for _, e := range p.Events {
			d := "undated"
			if !e.Date.IsZero() {
				d = e.Date.Format(time.DateOnly)
			}
			out = append(out, ev{d, e.Subject.Name, e.Predicate, e.Object.Name, e.Articles, e.Sources})
		}
		return out
	}
	all := func(q graph.TimelineQuery) []ev {
		t.Helper()
		var out []ev
		for i := 0; ; i++ {
			p, err := s.Timeline(ctx(t), q)
			if err != nil {
				t.Fatalf("Timeline(%+v): %v", q, err)
			}
			if q.PageSize > 0 && len(p.Events) > q.PageSize {
				t.Fatalf("page of %d events for page size %d", len(p.Events), q.PageSize)
			}
			out = append(out, events(p)...)
			if p.NextPageToken == "" {
				return out
			}
			if i > 100 {
				t.Fatal("more than 100 pages")
			}
			q.PageToken = p.NextPageToken
		}
	}
	kerry := []ev{
		{"2016-09-28", "John Kerry", "met", "Sergei Lavrov", 1, 1},
		{"2016-09-28", "John Kerry", "warned", "Sergei Lavrov", 3, 3},
		{"2016-10-02", "John Kerry", "warned", "Sergei Lavrov", 1, 1},
		{"undated", "John Kerry", "holds_role", "United States", 1, 1},
	}
	cases := []struct {
		name string
		q    graph.TimelineQuery
		want []ev
	}{
		{"all, oldest first", graph.TimelineQuery{EntityID: Kerry.IRI()}, kerry},
		{"pages of one", graph.TimelineQuery{EntityID: Kerry.IRI(), PageSize: 1}, kerry},
		{"newest first", graph.TimelineQuery{EntityID: Kerry.IRI(), NewestFirst: true, PageSize: 2},
			[]ev{kerry[2], kerry[0], kerry[1], kerry[3]}},
		{"date range", graph.TimelineQuery{EntityID: Kerry.IRI(), From: day(2016, 9, 29)}, kerry[2:3]},
		{"predicate", graph.TimelineQuery{EntityID: Kerry.IRI(), Predicates: []string{"warned"}}, kerry[1:3]},
		{"min sources", graph.TimelineQuery{EntityID: Kerry.IRI(), MinSources: 2}, kerry[1:2]},
		{"incoming", graph.TimelineQuery{EntityID: Kerry.IRI(), Direction: graph.Incoming}, nil},
		{"modality", graph.TimelineQuery{EntityID: Lavrov.IRI(), Modalities: []graph.Modality{graph.Reported}},
			[]ev{{"2016-09-28", "John Kerry", "warned", "Sergei Lavrov", 1, 1}}},
	}
	for _, c := range cases {
		if got := all(c.q); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}
	// Evidence: capped, newest publication first, every statement counted.
	p, err := s.Timeline(ctx(t), graph.TimelineQuery{EntityID: Kerry.IRI(), Predicates: []string{"warned"}, MaxEvidence: 2})
	if err != nil || len(p.Events) != 2 {
		t.Fatalf("Timeline(warned) = %+v, %v", p, err)
	}
	e := p.Events[0]
	if e.Statements != 4 || len(e.Evidence) != 2 || e.Evidence[0].ArticleID != "net-a" && e.Evidence[0].ArticleID != Denial().ID {
		t.Errorf("event of the 28th: %d statements, evidence %+v", e.Statements, e.Evidence)
	}
	// Errors: unknown entity, a token of another query, bad fields.
	_, err = s.Timeline(ctx(t), graph.TimelineQuery{EntityID: "ng:e/person/nobody"})
	wantNotFound(t, "Timeline(nobody)", err)
	p, err = s.Timeline(ctx(t), graph.TimelineQuery{EntityID: Kerry.IRI(), PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []graph.TimelineQuery{
		{EntityID: Lavrov.IRI(), PageSize: 1, PageToken: p.NextPageToken},
		{EntityID: Kerry.IRI(), PageToken: "garbage!"},
		{},
		{EntityID: Kerry.IRI(), PageSize: -1},
		{EntityID: Kerry.IRI(), MinSources: -1},
		{EntityID: Kerry.IRI(), MaxEvidence: -1},
		{EntityID: Kerry.IRI(), Direction: 7},
		{EntityID: Kerry.IRI(), Predicates: []string{"Bad Predicate"}},
		{EntityID: Kerry.IRI(), Modalities: []graph.Modality{"maybe"}},
		{EntityID: Kerry.IRI(), From: day(2016, 10, 1), To: day(2016, 9, 1)},
	} {
		if _, err := s.Timeline(ctx(t), q); !errors.Is(err, graph.ErrInvalidArgument) {
			t.Errorf("Timeline(%+v): %v, want ErrInvalidArgument", q, err)
		}
	}
}

// testExport: every format of a subgraph and of the whole graph; the whole graph's
// full N-Quads read back with quad/nquads give every quad of the store.
func testExport(t *testing.T, _ Opener, s graph.Store) {
	Put(t, s, SyriaTalks(), Denial(), UNMeeting(), Elsewhere(), Report("net-a", "", "https://www.example.net/a", day(2016, 9, 28)))
	export := func(q graph.ExportQuery) string {
		t.Helper()
		var b strings.Builder
		if err := s.Export(ctx(t), q, &b); err != nil {
			t.Fatalf("Export(%+v): %v", q, err)
		}
		return b.String()
	}
	// Full N-Quads of the whole graph: every quad, as Cayley's reader reads it back.
	full := export(graph.ExportQuery{Format: graph.NQuads, Full: true})
	got := readNQuads(t, full)
	if _, ok := s.(Dumper); ok {
		want := dump(t, s)
		onlyGot, onlyWant := diffLines(got, want)
		if len(onlyGot)+len(onlyWant) > 0 {
			t.Errorf("full export vs store: only in export %q; only in store %q", onlyGot, onlyWant)
		}
	}
	// Entity level: entity quads and direct edges only.
	ent := readNQuads(t, export(graph.ExportQuery{Format: graph.NQuads}))
	for _, want := range []string{
		`i` + Kerry.IRI() + ` ing:rel/warned i` + Lavrov.IRI(),
		`i` + Kerry.IRI() + ` ing:name sJohn Kerry`,
	} {
		if !slices.Contains(ent, want) {
			t.Errorf("entity-level N-Quads lack %q", want)
		}
	}
	for _, q := range ent {
		if strings.Contains(q, "ng:s/") || strings.Contains(q, "ng:a/") {
			t.Errorf("entity-level N-Quads carry provenance: %q", q)
			break
		}
	}
	// A subgraph: Kerry and his neighbours, not Zürich.
	sub := export(graph.ExportQuery{Format: graph.NQuads, EntityID: Kerry.IRI(), Depth: 1, Full: true})
	subQuads := readNQuads(t, sub)
	if !slices.Contains(subQuads, `i`+Kerry.IRI()+` ing:rel/warned i`+Lavrov.IRI()) || strings.Contains(sub, "zurich") {
		t.Errorf("subgraph N-Quads:\n%s", sub)
	}
	if !strings.Contains(sub, "ng:a/net-a") || !strings.Contains(sub, "ng:sentence") {
		t.Errorf("full subgraph N-Quads lack the provenance:\n%s", sub)
	}
	dot := export(graph.ExportQuery{Format: graph.DOT, EntityID: Kerry.IRI(), Depth: 1})
	for _, want := range []string{"digraph newsgraph {", `[label="John Kerry"`, `-> "` + Lavrov.IRI() + `" [label="warned ×3"`, "}\n"} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %q:\n%s", want, dot)
		}
	}
	gml := export(graph.ExportQuery{Format: graph.GraphML})
	var doc struct {
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal([]byte(gml), &doc); err != nil {
		t.Fatalf("GraphML does not parse: %v\n%s", err, gml)
	}
	st := mustStats(t, s)
	if int64(len(doc.Graph.Nodes)) != st.Entities || int64(len(doc.Graph.Edges)) != st.Relations {
		t.Errorf("GraphML: %d nodes, %d edges; want %d entities, %d relations", len(doc.Graph.Nodes), len(doc.Graph.Edges), st.Entities, st.Relations)
	}
	found := false
	for _, e := range doc.Graph.Edges {
		if e.Source == Kerry.IRI() && e.Target == Lavrov.IRI() && fmt.Sprint(e.Data) == "[{predicate warned} {articles 3} {sources 3} {events 1}]" {
			found = true
		}
	}
	if !found {
		t.Errorf("GraphML lacks Kerry warned Lavrov with its counts:\n%s", gml)
	}
	// Bad queries.
	for _, q := range []graph.ExportQuery{
		{},
		{Format: graph.DOT, Full: true},
		{Format: graph.DOT, Depth: 2},
	} {
		if err := s.Export(ctx(t), q, io.Discard); !errors.Is(err, graph.ErrInvalidArgument) {
			t.Errorf("Export(%+v): %v, want ErrInvalidArgument", q, err)
		}
	}
	wantNotFound(t, "Export(nobody)", s.Export(ctx(t), graph.ExportQuery{Format: graph.DOT, EntityID: "ng:e/person/nobody"}, io.Discard))
}

// readNQuads parses N-Quads with Cayley's reader and returns the quads in DumpQuads'
// form, sorted.
func readNQuads(t *testing.T, text string) []string {
	t.Helper()
	r := nquads.NewReader(strings.NewReader(text), false)
	defer r.Close()
	var out []string
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("nquads reader: %v", err)
		}
		out = append(out, graph.QuadKey(q))
	}
	slices.Sort(out)
	return out
}
