package graph_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// pathFixture: a --met--> b --bombed--> z (asserted, 2016-09-28), a --warned--> h and
// h --attacked--> z through a hub h with many other edges (hedged, 2016-09-01), and a
// longer a --seized--> c --seized--> d --seized--> z.
func pathFixture(t *testing.T, s *graph.CayleyStore) map[string]graph.EntityRef {
	t.Helper()
	e := map[string]graph.EntityRef{}
	for _, n := range []string{"a", "b", "c", "d", "z"} {
		e[n] = graph.EntityRef{Type: graph.Person, Name: "Person " + n}
	}
	e["h"] = graph.EntityRef{Type: graph.State, Name: "Hubland"}
	late := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)
	early := time.Date(2016, 9, 1, 0, 0, 0, 0, time.UTC)
	st := func(s, p, o string, m graph.Modality, day time.Time) graph.Statement {
		return graph.Statement{Subject: e[s], Predicate: p, Object: e[o], Sentence: s + " " + p + " " + o + ".",
			Confidence: 0.8, Modality: m, EventDate: day}
	}
	art := &graph.Article{ID: "paths", Hash: "h", Source: "wire", Published: late, Statements: []graph.Statement{
		st("a", "met", "b", graph.Asserted, late),
		st("b", "bombed", "z", graph.Asserted, late),
		st("a", "warned", "h", graph.Hedged, early),
		st("h", "attacked", "z", graph.Hedged, early),
		st("a", "seized", "c", graph.Asserted, late),
		st("c", "seized", "d", graph.Asserted, late),
		st("d", "seized", "z", graph.Asserted, late),
	}}
	for i := range 30 {
		town := graph.EntityRef{Type: graph.City, Name: fmt.Sprintf("Town %d", i)}
		art.Statements = append(art.Statements, graph.Statement{Subject: e["h"], Predicate: "bombed", Object: town,
			Sentence: "Hubland bombed a town.", Confidence: 0.8, Modality: graph.Asserted, EventDate: late})
	}
	if res, err := s.PutArticles(context.Background(), []*graph.Article{art}); err != nil || res[0].Err != nil {
		t.Fatalf("put: %v %+v", err, res)
	}
	return e
}

func hopsOf(p graph.Path) string {
	out := ""
	for _, h := range p.Hops {
		out += h.Predicate + " "
	}
	return out
}

func TestPathsFiltersAndHubs(t *testing.T) {
	ctx := context.Background()
	s := openMem(t)
	e := pathFixture(t, s)
	q := graph.PathQuery{From: e["a"].IRI(), To: e["z"].IRI(), K: 5, MaxHops: 4}
	all, err := s.Paths(ctx, q)
	if err != nil || len(all) != 3 {
		t.Fatalf("all paths: %d %v, want 3", len(all), err)
	}
	for i, want := range []int{2, 2, 3} {
		if len(all[i].Hops) != want {
			t.Errorf("path %d has %d hops, want %d (shortest first)", i, len(all[i].Hops), want)
		}
		for _, h := range all[i].Hops {
			if len(h.Evidence) == 0 || h.Evidence[0].Sentence == "" || h.Evidence[0].ArticleID != "paths" || h.Evidence[0].EventDate.IsZero() {
				t.Errorf("path %d hop %s: evidence %+v, want article, date and sentence", i, h.Predicate, h.Evidence)
			}
		}
	}
	// Modality: only asserted hops, so not through the hedged hub.
	q2 := q
	q2.Modalities = []graph.Modality{graph.Asserted}
	ps, err := s.Paths(ctx, q2)
	if err != nil || len(ps) != 2 || hopsOf(ps[0]) != "met bombed " || hopsOf(ps[1]) != "seized seized seized " {
		t.Fatalf("asserted paths: %v %v", ps, err)
	}
	// Date range: only the early events, which are the hub's.
	q3 := q
	q3.EventFrom, q3.EventTo = time.Date(2016, 8, 1, 0, 0, 0, 0, time.UTC), time.Date(2016, 9, 2, 0, 0, 0, 0, time.UTC)
	ps, err = s.Paths(ctx, q3)
	if err != nil || len(ps) != 1 || hopsOf(ps[0]) != "warned attacked " {
		t.Fatalf("early paths: %v %v", ps, err)
	}
	for _, h := range ps[0].Hops {
		for _, ev := range h.Evidence {
			if ev.Modality != graph.Hedged {
				t.Errorf("evidence outside the filter: %+v", ev)
			}
		}
	}
	// Hubs: h has 32 edges; with MaxDegree 10 no path goes through it.
	q4 := q
	q4.MaxDegree = 10
	ps, err = s.Paths(ctx, q4)
	if err != nil || len(ps) != 2 {
		t.Fatalf("paths avoiding hubs: %v %v", ps, err)
	}
	for _, p := range ps {
		for _, h := range p.Hops {
			if h.To.ID == e["h"].IRI() {
				t.Errorf("path through the hub: %s", hopsOf(p))
			}
		}
	}
	// The hub itself may be an end.
	q5 := graph.PathQuery{From: e["h"].IRI(), To: e["b"].IRI(), MaxDegree: 10}
	if ps, err := s.Paths(ctx, q5); err != nil || len(ps) != 1 {
		t.Errorf("paths from the hub: %v %v", ps, err)
	}
	// Streaming hands the paths over in order, and stops with the callback's error.
	var got []int
	stop := errors.New("stop")
	_, err = s.StreamPaths(ctx, q, func(p graph.Path) error {
		got = append(got, len(p.Hops))
		if len(got) == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || len(got) != 2 || got[0] != 2 {
		t.Errorf("stream: %v %v", got, err)
	}
	// A node budget too small for a path: ErrLimit; enough for one path but not for
	// three: the paths found, marked truncated.
	if _, err := s.StreamPaths(ctx, graph.PathQuery{From: e["a"].IRI(), To: e["z"].IRI(), MaxNodes: 1}, func(graph.Path) error { return nil }); !errors.Is(err, graph.ErrLimit) {
		t.Errorf("budget 1: %v, want ErrLimit", err)
	}
	n := 0
	info, err := s.StreamPaths(ctx, graph.PathQuery{From: e["a"].IRI(), To: e["z"].IRI(), K: 5, MaxNodes: 3}, func(graph.Path) error { n++; return nil })
	if err != nil || n == 0 || !info.Truncated {
		t.Errorf("budget 3: %d paths, %+v, %v; want some, truncated", n, info, err)
	}
	// Bad arguments.
	for _, bad := range []graph.PathQuery{
		{From: e["a"].IRI(), To: e["z"].IRI(), MaxDegree: -1},
		{From: e["a"].IRI(), To: e["z"].IRI(), Modalities: []graph.Modality{"sure"}},
		{From: e["a"].IRI(), To: e["z"].IRI(), EventFrom: time.Now(), EventTo: time.Now().Add(-48 * time.Hour)},
	} {
		if _, err := s.Paths(ctx, bad); !errors.Is(err, graph.ErrInvalidArgument) {
			t.Errorf("Paths(%+v) = %v, want ErrInvalidArgument", bad, err)
		}
	}
}
