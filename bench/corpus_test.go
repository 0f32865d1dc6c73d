package bench

import (
	"context"
	"errors"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
)

// TestCorpusStore builds (or reuses) a small corpus store and checks it answers.
func TestCorpusStore(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	ctx := context.Background()
	t.Setenv("NEWSGRAPH_BENCH_CACHE", t.TempDir())
	in, err := Store(ctx, 40, t.Logf)
	if errors.Is(err, ErrNoData) {
		t.Skipf("skipped: %v (the corpora are in ../shared/data/corpora)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if in.Articles != 40 || in.Stored == 0 || len(in.Entities) == 0 || in.Stats.Relations == 0 {
		t.Fatalf("store: %+v", in)
	}
	again, err := Store(ctx, 40, t.Logf)
	if err != nil || again.CachedFrom != "cache" || again.Stats != in.Stats {
		t.Fatalf("second call: %+v, %v; want the cached store", again, err)
	}
	s, err := Open(ctx, in, graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hub := in.Entities[0]
	p, err := s.Relations(ctx, graph.RelationQuery{EntityID: hub.ID})
	if err != nil || len(p.Relations) == 0 {
		t.Fatalf("relations of the hub %s: %+v, %v", hub.ID, p, err)
	}
}
