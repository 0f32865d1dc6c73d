package graph_test

import (
	"context"
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
