package bench

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/graph"
)

// TestSameAnswersAsCayley checks that the side-by-side compares like with like: on a
// small corpus store, the entities within 1 and 2 hops of an entity that
// graph.Neighbourhood returns are the ones Cayley's path API finds.
func TestSameAnswersAsCayley(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	ctx := context.Background()
	t.Setenv("NEWSGRAPH_BENCH_CACHE", t.TempDir())
	in, err := Store(ctx, 150, t.Logf)
	if errors.Is(err, ErrNoData) {
		t.Skipf("skipped: %v (the corpora are in ../shared/data/corpora)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, in, graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	qs := s.Cayley()
	var preds []any
	for _, p := range in.Predicates {
		preds = append(preds, quad.IRI("ng:rel/"+p))
	}
	if len(in.Related) == 0 {
		t.Fatal("no entity with relations")
	}
	for _, e := range in.SampleRelated(40) {
		for depth := 1; depth <= 2; depth++ {
			p := path.StartPath(qs, quad.IRI(e.ID)).Both(preds...)
			if depth == 2 {
				p = p.Or(p.Clone().Both(preds...))
			}
			vs, err := p.Unique().Iterate(ctx).AllValues(qs)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{e.ID: true}
			for _, v := range vs {
				want[string(v.(quad.IRI))] = true
			}
			g, err := s.Neighbourhood(ctx, graph.NeighbourhoodQuery{EntityID: e.ID, Depth: depth, MaxNodes: 5000})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, n := range g.Nodes {
				got[n.ID] = true
			}
			if !maps.Equal(got, want) {
				t.Errorf("%s, depth %d: newsgraph %v, Cayley %v", e.ID, depth, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			}
		}
	}
}
