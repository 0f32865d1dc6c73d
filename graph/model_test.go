package graph_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
)

// TestModel applies the same random puts (new articles, replacements, unchanged
// re-puts, batches) and deletes to a bolt and a memstore store and checks that they
// give equal answers to every query, that both keep their invariants, and that the
// result is exactly what a fresh store loaded with only the surviving articles holds.
func TestModel(t *testing.T) {
	ctx := context.Background()
	g := newSynth(40)
	mem, bolt := openMem(t), openBolt(t)
	stores := []*graph.CayleyStore{mem, bolt}
	r := rand.New(rand.NewPCG(7, 11))
	live := map[int]int{} // article → version stored
	steps := 80
	if testing.Short() {
		steps = 40
	}
	for step := range steps {
		switch op := r.IntN(10); {
		case op < 7:
			var batch []*graph.Article
			for range 1 + r.IntN(4) {
				n := r.IntN(30)
				v := live[n]
				if r.IntN(3) > 0 {
					v++ // a new version: replace
				}
				live[n] = v
				batch = append(batch, g.article(n, v))
			}
			var results [][]graph.PutResult
			for _, s := range stores {
				res, err := s.PutArticles(ctx, batch)
				if err != nil {
					t.Fatalf("step %d: PutArticles: %v", step, err)
				}
				for _, r := range res {
					if r.Err != nil {
						t.Fatalf("step %d: put %s: %v", step, r.ArticleID, r.Err)
					}
				}
				results = append(results, res)
			}
			if !reflect.DeepEqual(results[0], results[1]) {
				t.Fatalf("step %d: memstore put %+v, bolt %+v", step, results[0], results[1])
			}
		default:
			n := r.IntN(30)
			id := g.article(n, 0).ID
			var counts []int
			for _, s := range stores {
				c, err := s.DeleteArticle(ctx, id)
				_, wasLive := live[n]
				if wasLive != (err == nil) || (!wasLive && !errors.Is(err, graph.ErrNotFound)) {
					t.Fatalf("step %d: delete %s (live %v): %v", step, id, wasLive, err)
				}
				counts = append(counts, c)
			}
			delete(live, n)
			if counts[0] != counts[1] {
				t.Fatalf("step %d: delete removed %d quads on memstore, %d on bolt", step, counts[0], counts[1])
			}
		}
		if step%20 == 19 || step == steps-1 {
			compareStores(t, fmt.Sprintf("step %d", step), g, mem, bolt)
		}
	}
	fresh := openMem(t)
	var final []*graph.Article
	for _, n := range slices.Sorted(func(yield func(int) bool) {
		for n := range live {
			if !yield(n) {
				return
			}
		}
	}) {
		final = append(final, g.article(n, live[n]))
	}
	if _, err := fresh.PutArticles(ctx, final); err != nil {
		t.Fatal(err)
	}
	compareStores(t, "fresh", g, mem, fresh)
}

// compareStores fails the test when a and b answer any of a set of queries differently.
func compareStores(t *testing.T, when string, g *synth, a, b *graph.CayleyStore) {
	t.Helper()
	ctx := context.Background()
	same := func(what string, x, y any, ex, ey error) {
		t.Helper()
		if (ex == nil) != (ey == nil) || ex != nil && ex.Error() != ey.Error() || !reflect.DeepEqual(x, y) {
			t.Fatalf("%s: %s differs:\n a: %+v (%v)\n b: %+v (%v)", when, what, x, ex, y, ey)
		}
	}
	for _, s := range []*graph.CayleyStore{a, b} {
		if err := s.CheckInvariants(ctx); err != nil {
			t.Fatalf("%s: invariants: %v", when, err)
		}
	}
	sa, ea := a.Stats(ctx)
	sb, eb := b.Stats(ctx)
	same("Stats", sa, sb, ea, eb)
	da, ea := a.DumpQuads(ctx)
	db, eb := b.DumpQuads(ctx)
	same("quads", da, db, ea, eb)
	probe := []int{0, 1, 3, 8, 21, 34}
	for _, i := range probe {
		id := g.entities[i].IRI()
		x, ex := a.Entity(ctx, id)
		y, ey := b.Entity(ctx, id)
		same("Entity "+id, x, y, ex, ey)
		for _, q := range []graph.RelationQuery{
			{EntityID: id, PageSize: 7},
			{EntityID: id, Direction: graph.Outgoing, Predicates: []string{"warned", "met"}, MaxEvidence: 2},
			{EntityID: id, Modalities: []graph.Modality{graph.Hedged, graph.Reported}, MinSources: 2},
		} {
			pa, ea := a.Relations(ctx, q)
			pb, eb := b.Relations(ctx, q)
			same(fmt.Sprintf("Relations %+v", q), pa, pb, ea, eb)
		}
		nq := graph.NeighbourhoodQuery{EntityID: id, Depth: 2, MaxNodes: 30}
		na, ea := a.Neighbourhood(ctx, nq)
		nb, eb := b.Neighbourhood(ctx, nq)
		same("Neighbourhood "+id, na, nb, ea, eb)
		for _, j := range probe[:4] {
			pq := graph.PathQuery{From: id, To: g.entities[j].IRI(), K: 3, MaxHops: 4}
			xa, ea := a.Paths(ctx, pq)
			xb, eb := b.Paths(ctx, pq)
			same(fmt.Sprintf("Paths %s → %s", pq.From, pq.To), xa, xb, ea, eb)
		}
	}
	for _, q := range []graph.SearchQuery{
		{Text: g.entities[3].Name[:3], Mode: graph.Prefix},
		{Text: "E1", Mode: graph.Exact},
		{Text: g.entities[5].Name + "x", Mode: graph.Fuzzy},
	} {
		xa, ea := a.SearchEntities(ctx, q)
		xb, eb := b.SearchEntities(ctx, q)
		same(fmt.Sprintf("Search %+v", q), xa, xb, ea, eb)
	}
}
