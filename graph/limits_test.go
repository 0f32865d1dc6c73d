package graph_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// TestBoundedCost builds a hub with thousands of edges and checks that queries from it
// honour deadlines and caps instead of reading everything.
func TestBoundedCost(t *testing.T) {
	ctx := context.Background()
	hub := graph.EntityRef{Type: graph.State, Name: "United States"}
	var arts []*graph.Article
	for a := range 4 {
		art := &graph.Article{ID: fmt.Sprintf("hub-%d", a), Hash: "h", Source: "wire"}
		for i := range 300 {
			other := graph.EntityRef{Type: graph.City, Name: fmt.Sprintf("Town %d", a*300+i)}
			art.Statements = append(art.Statements, graph.Statement{
				Subject: hub, Predicate: "bombed", Object: other, Confidence: 1,
				Sentence: "The US bombed a town.", EventDate: time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC),
			})
		}
		arts = append(arts, art)
	}
	build := func(maxScan int) *graph.CayleyStore {
		cfg := graph.DefaultConfig()
		cfg.Backend = graph.BackendMemstore
		cfg.MaxScan = maxScan
		s := open(t, cfg)
		if res, err := s.PutArticles(ctx, arts); err != nil || res[0].Err != nil {
			t.Fatalf("put: %v %v", err, res)
		}
		return s
	}
	s := build(500)
	if e, err := s.Entity(ctx, hub.IRI()); err != nil || e.Mentions != 4 {
		t.Fatalf("hub: %+v %v", e, err)
	}

	// A deadline that has passed: an error wrapping ErrLimit, not a hang.
	done, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	if _, err := s.Relations(done, graph.RelationQuery{EntityID: hub.IRI()}); !errors.Is(err, graph.ErrLimit) {
		t.Errorf("Relations past the deadline: %v, want ErrLimit", err)
	}
	// The scan cap: the neighbourhood is truncated, a path search gives up with ErrLimit.
	g, err := s.Neighbourhood(ctx, graph.NeighbourhoodQuery{EntityID: hub.IRI(), MaxNodes: 10000})
	if err != nil || !g.Truncated {
		t.Errorf("Neighbourhood of a hub over the scan cap: truncated %v, %v", g != nil && g.Truncated, err)
	}
	_, err = s.Paths(ctx, graph.PathQuery{From: "ng:e/city/town_1", To: "ng:e/city/town_2", MaxHops: 2})
	if !errors.Is(err, graph.ErrLimit) {
		t.Errorf("Paths through a hub over the scan cap: %v, want ErrLimit", err)
	}
	// Relations reads the edges of its page only (the adjacency is held in memory): a
	// hub over the scan cap still gets a page, with a token for the next one.
	if p, err := s.Relations(ctx, graph.RelationQuery{EntityID: hub.IRI(), PageSize: 10}); err != nil || len(p.Relations) != 10 || p.NextPageToken == "" {
		t.Errorf("Relations of a hub over the scan cap: %+v, %v; want a page of 10 and a token", p, err)
	}
	// Under the cap, pages stay small however many edges there are.
	big := build(graph.DefaultConfig().MaxScan)
	p, err := big.Relations(ctx, graph.RelationQuery{EntityID: hub.IRI(), PageSize: 10})
	if err != nil || len(p.Relations) != 10 || p.NextPageToken == "" {
		t.Fatalf("first page of the hub: %+v, %v", p, err)
	}
	// Deleting an article of the hub reads that article, not the hub's other articles.
	n, err := s.DeleteArticle(ctx, "hub-0")
	if err != nil || n == 0 {
		t.Fatalf("delete: %d %v", n, err)
	}
	if e, _ := s.Entity(ctx, hub.IRI()); e == nil || e.Mentions != 3 {
		t.Errorf("hub after delete: %+v", e)
	}
	if err := s.CheckInvariants(ctx); err != nil {
		t.Error(err)
	}
}
