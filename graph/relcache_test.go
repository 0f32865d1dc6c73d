package graph_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// TestReadCacheFollowsWrites reads relations and paths between writes that add,
// replace and delete the facts behind them: the relation cache must never serve what a
// committed transaction changed.
func TestReadCacheFollowsWrites(t *testing.T) {
	for name, openStore := range map[string]func(testing.TB) *graph.CayleyStore{"memstore": openMem, "bolt": openBolt} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := openStore(t)
			x := graph.EntityRef{Type: graph.State, Name: "Xland"}
			y := graph.EntityRef{Type: graph.City, Name: "Ytown"}
			z := graph.EntityRef{Type: graph.Person, Name: "Zed Zedson"}
			day := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)
			art := func(id, hash, title, source string, sts ...graph.Statement) *graph.Article {
				return &graph.Article{ID: id, Hash: hash, Title: title, Source: source, Published: day, Statements: sts}
			}
			st := func(s graph.EntityRef, p string, o graph.EntityRef, sentence string) graph.Statement {
				return graph.Statement{Subject: s, Predicate: p, Object: o, Sentence: sentence, Confidence: 0.9, EventDate: day, Modality: graph.Asserted}
			}
			put := func(as ...*graph.Article) {
				t.Helper()
				res, err := s.PutArticles(ctx, as)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range res {
					if r.Err != nil {
						t.Fatal(r.Err)
					}
				}
			}
			rels := func(id string) []graph.Relation {
				t.Helper()
				p, err := s.Relations(ctx, graph.RelationQuery{EntityID: id})
				if err != nil {
					t.Fatal(err)
				}
				return p.Relations
			}

			put(art("a", "h1", "First title", "Reuters", st(x, "bombed", y, "Xland bombed Ytown.")))
			if r := rels(x.IRI()); len(r) != 1 || r[0].Sources != 1 || r[0].Evidence[0].ArticleTitle != "First title" {
				t.Fatalf("after a: %+v", r)
			}
			put(art("b", "h1", "Second", "AP", st(x, "bombed", y, "Ytown was bombed by Xland.")))
			if r := rels(x.IRI()); len(r) != 1 || r[0].Sources != 2 || r[0].Articles != 2 {
				t.Fatalf("after b: %+v", r)
			}
			// The same statement, the article's title changed: the evidence shows the new one.
			put(art("a", "h2", "New title", "Reuters", st(x, "bombed", y, "Xland bombed Ytown.")))
			r := rels(y.IRI())
			if len(r) != 1 || len(r[0].Evidence) != 2 {
				t.Fatalf("after a replaced: %+v", r)
			}
			titles := map[string]bool{}
			for _, e := range r[0].Evidence {
				titles[e.ArticleTitle] = true
			}
			if !titles["New title"] || titles["First title"] {
				t.Errorf("after a replaced: titles %v, want the new one", titles)
			}
			// A new edge appears in both entities' relations and in paths.
			put(art("c", "h1", "Third", "AFP", st(z, "met", y, "Zed met someone in Ytown.")))
			if r := rels(y.IRI()); len(r) != 2 {
				t.Fatalf("after c: %d relations of y, want 2: %+v", len(r), r)
			}
			ps, err := s.Paths(ctx, graph.PathQuery{From: x.IRI(), To: z.IRI(), K: 2})
			if err != nil || len(ps) != 1 || len(ps[0].Hops) != 2 {
				t.Fatalf("paths x→z after c: %+v %v", ps, err)
			}
			// Deleting b leaves one source; deleting a removes the edge.
			if _, err := s.DeleteArticle(ctx, "b"); err != nil {
				t.Fatal(err)
			}
			if r := rels(x.IRI()); len(r) != 1 || r[0].Sources != 1 || r[0].Articles != 1 {
				t.Fatalf("after b deleted: %+v", r)
			}
			if _, err := s.DeleteArticle(ctx, "a"); err != nil {
				t.Fatal(err)
			}
			if r := rels(y.IRI()); len(r) != 1 || r[0].Predicate != "met" {
				t.Fatalf("after a deleted: %+v", r)
			}
			ps, err = s.Paths(ctx, graph.PathQuery{From: z.IRI(), To: y.IRI()})
			if err != nil || len(ps) != 1 {
				t.Fatalf("paths z→y after a deleted: %+v %v", ps, err)
			}
			if err := s.CheckInvariants(ctx); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestReadCacheConcurrentWrites reads relations, paths and neighbourhoods while
// articles are written, replaced and deleted, then checks that what the cache serves
// equals what the store answers cold.
func TestReadCacheConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	s := openBolt(t)
	g := newSynth(60)
	var batch []*graph.Article
	for n := range 40 {
		batch = append(batch, g.article(n, 0))
	}
	if _, err := s.PutArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, 30)
	for i := range 30 {
		ids = append(ids, g.entities[i].IRI())
	}
	read := func() error {
		for i, id := range ids {
			if _, err := s.Relations(ctx, graph.RelationQuery{EntityID: id}); err != nil && !errors.Is(err, graph.ErrNotFound) {
				return err
			}
			if _, err := s.Paths(ctx, graph.PathQuery{From: id, To: ids[(i+7)%len(ids)], K: 2}); err != nil && !errors.Is(err, graph.ErrNotFound) {
				return err
			}
			if _, err := s.Neighbourhood(ctx, graph.NeighbourhoodQuery{EntityID: id, Depth: 2}); err != nil && !errors.Is(err, graph.ErrNotFound) {
				return err
			}
		}
		return nil
	}
	done := make(chan struct{})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if err := read(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for n := range 40 {
		var err error
		switch n % 3 {
		case 0:
			_, err = s.PutArticles(ctx, []*graph.Article{g.article(n, 1)}) // replaced
		case 1:
			_, err = s.DeleteArticle(ctx, g.article(n, 0).ID)
		default:
			_, err = s.PutArticles(ctx, []*graph.Article{g.article(100+n, 0)}) // new
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	type answer struct {
		rels *graph.RelationPage
		nb   *graph.Subgraph
	}
	snapshot := func() map[string]answer {
		out := map[string]answer{}
		for _, id := range ids {
			r, err1 := s.Relations(ctx, graph.RelationQuery{EntityID: id, PageSize: 500})
			nb, err2 := s.Neighbourhood(ctx, graph.NeighbourhoodQuery{EntityID: id, Depth: 1, MaxNodes: 5000})
			if err1 != nil || err2 != nil {
				continue
			}
			out[id] = answer{r, nb}
		}
		return out
	}
	warm := snapshot()
	s.DropReadCache()
	cold := snapshot()
	if len(warm) != len(cold) {
		t.Fatalf("%d entities answered warm, %d cold", len(warm), len(cold))
	}
	for id, w := range warm {
		c := cold[id]
		if !reflect.DeepEqual(w.rels, c.rels) {
			t.Errorf("relations of %s: the cache serves\n%+v\nthe store answers\n%+v", id, w.rels, c.rels)
		}
		if !reflect.DeepEqual(w.nb, c.nb) {
			t.Errorf("neighbourhood of %s: the cache serves %+v, the store answers %+v", id, w.nb, c.nb)
		}
	}
}
