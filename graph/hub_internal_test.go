package graph

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// TestHubOf100kEdges gives an entity 100,000 direct edges and checks that every read
// from it or through it answers within a bound, truncated and marked where it must cut,
// and that abusive sizes are capped rather than obeyed.
func TestHubOf100kEdges(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	ctx := context.Background()
	cfg := DefaultConfig()
	cfg.Backend = BackendMemstore
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hub := EntityRef{Type: State, Name: "Hubland"}
	a := EntityRef{Type: City, Name: "Atown"}
	b := EntityRef{Type: City, Name: "Btown"}
	day := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)
	art := &Article{ID: "hub", Hash: "h", Source: "wire", Statements: []Statement{
		{Subject: hub, Predicate: "bombed", Object: a, Sentence: "Hubland bombed Atown.", Confidence: 1, EventDate: day, Modality: Asserted},
		{Subject: hub, Predicate: "bombed", Object: b, Sentence: "Hubland bombed Btown.", Confidence: 1, EventDate: day, Modality: Asserted},
	}}
	if res, err := s.PutArticles(ctx, []*Article{art}); err != nil || res[0].Err != nil {
		t.Fatalf("put: %v %+v", err, res)
	}
	// 100,000 more direct edges, written as bare quads (no statements behind them):
	// writing as many articles would take minutes under the race detector.
	const n = 100_000
	deltas := make([]cgraph.Delta, 0, n)
	for i := range n {
		deltas = append(deltas, cgraph.Delta{Action: cgraph.Add, Quad: quad.Make(quad.IRI(hub.IRI()), relPred("warned"), quad.IRI(fmt.Sprintf("ng:e/city/town_%d", i)), nil)})
	}
	if err := s.qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
		t.Fatal(err)
	}
	within := func(what string, d time.Duration, fn func(ctx context.Context) error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		start := time.Now()
		if err := fn(ctx); err != nil {
			t.Errorf("%s: %v", what, err)
		}
		t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond))
	}
	within("relations of the hub, huge page", 20*time.Second, func(ctx context.Context) error {
		p, err := s.Relations(ctx, RelationQuery{EntityID: hub.IRI(), PageSize: 1_000_000})
		if err != nil {
			return err
		}
		// The bare edges have no evidence: the page examines a bounded number of them
		// and hands back a token; the two real relations (predicate bombed) come first.
		if len(p.Relations) != 2 || p.NextPageToken == "" {
			return fmt.Errorf("%d relations, token %q: want 2 and a token", len(p.Relations), p.NextPageToken)
		}
		p2, err := s.Relations(ctx, RelationQuery{EntityID: hub.IRI(), PageSize: 1_000_000, PageToken: p.NextPageToken})
		if err != nil || len(p2.Relations) != 0 || p2.NextPageToken == "" {
			return fmt.Errorf("second page: %+v %v", p2, err)
		}
		return nil
	})
	within("relations of the hub, cached", time.Second, func(ctx context.Context) error {
		_, err := s.Relations(ctx, RelationQuery{EntityID: hub.IRI(), PageSize: 10})
		return err
	})
	within("neighbourhood of the hub, depth 10, a million nodes", 5*time.Second, func(ctx context.Context) error {
		g, err := s.Neighbourhood(ctx, NeighbourhoodQuery{EntityID: hub.IRI(), Depth: 10, MaxNodes: 1_000_000})
		if err != nil {
			return err
		}
		if !g.Truncated || len(g.Nodes) > cfg.MaxNodes {
			return fmt.Errorf("%d nodes, truncated %v: want at most %d, truncated", len(g.Nodes), g.Truncated, cfg.MaxNodes)
		}
		return nil
	})
	within("paths through the hub", 5*time.Second, func(ctx context.Context) error {
		ps, err := s.Paths(ctx, PathQuery{From: a.IRI(), To: b.IRI(), K: 10, MaxHops: 10})
		if err != nil || len(ps) != 1 || len(ps[0].Hops) != 2 {
			return fmt.Errorf("%+v %v, want the path through the hub", ps, err)
		}
		return nil
	})
	within("paths avoiding the hub", 5*time.Second, func(ctx context.Context) error {
		ps, err := s.Paths(ctx, PathQuery{From: a.IRI(), To: b.IRI(), MaxDegree: 1000})
		if err != nil || len(ps) != 0 {
			return fmt.Errorf("%+v %v, want none", ps, err)
		}
		return nil
	})
	// A deadline that has passed: ErrLimit, not a hang or a partial answer.
	s.DropReadCache() // cold, and read on use from now on
	done, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	if _, err := s.Relations(done, RelationQuery{EntityID: hub.IRI()}); !errors.Is(err, ErrLimit) {
		t.Errorf("relations past the deadline: %v, want ErrLimit", err)
	}
	if _, err := s.Paths(done, PathQuery{From: a.IRI(), To: b.IRI()}); !errors.Is(err, ErrLimit) {
		t.Errorf("paths past the deadline: %v, want ErrLimit", err)
	}
	// A scan cap below the hub's size: ErrLimit for its relations, truncated around it.
	s.cfg.MaxScan = 50_000
	if _, err := s.Relations(ctx, RelationQuery{EntityID: hub.IRI()}); !errors.Is(err, ErrLimit) {
		t.Errorf("relations over the scan cap: %v, want ErrLimit", err)
	}
	if g, err := s.Neighbourhood(ctx, NeighbourhoodQuery{EntityID: a.IRI(), Depth: 3}); err != nil || !g.Truncated {
		t.Errorf("neighbourhood next to a hub over the scan cap: %+v %v, want truncated", g, err)
	}
}
