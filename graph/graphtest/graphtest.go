// Package graphtest is the conformance suite of graph.Store: one set of scenarios, built
// from realistic articles, that every backend runs (memstore and bolt in every
// `go test ./graph/...`, PostgreSQL when NEWSGRAPH_TEST_POSTGRES is set).
//
//	func TestBolt(t *testing.T) {
//		graphtest.RunAll(t, func(t *testing.T) graph.Store { return openBolt(t) })
//	}
//
// open must return a new, empty store and close it with t.Cleanup. After each
// scenario the suite checks the store's invariants when it implements Checker.
package graphtest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// Checker is implemented by stores that can verify their own invariants (every direct
// edge has a supporting statement, no orphan statements, counters match). It may scan
// the whole store.
type Checker interface {
	CheckInvariants(ctx context.Context) error
}

// Dumper is implemented by stores that can list their quads in a canonical order, so
// that two stores can be compared quad for quad. It scans the whole store.
type Dumper interface {
	DumpQuads(ctx context.Context) ([]string, error)
}

// Opener returns a new, empty store that is closed when the test ends.
type Opener func(t *testing.T) graph.Store

type scenario struct {
	name string
	fn   func(t *testing.T, open Opener, s graph.Store)
}

// RunAll runs every scenario against stores from open, each on a fresh store.
func RunAll(t *testing.T, open Opener) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s := open(t)
			sc.fn(t, open, s)
			CheckInvariants(t, s)
		})
	}
}

var scenarios = []scenario{
	{"EmptyStoreStats", testEmptyStats},
	{"StoreAndRead", testStoreAndRead},
	{"SameHashUnchanged", testSameHash},
	{"NewHashReplaces", testReplace},
	{"SharedFactsSurviveDelete", testSharedDelete},
	{"DeleteUnknown", testDeleteUnknown},
	{"BatchWithInvalidArticle", testBatchInvalid},
	{"BatchSameArticleTwice", testBatchTwice},
	{"EventsCountArticlesAndSources", testEvents},
	{"EventGroupsAndSourceKeys", testEventGroups},
	{"RelationFilters", testRelationFilters},
	{"RelationPagination", testPagination},
	{"Search", testSearch},
	{"SearchTolerant", testSearchTolerant},
	{"Timeline", testTimeline},
	{"Export", testExport},
	{"Paths", testPaths},
	{"Neighbourhood", testNeighbourhood},
	{"InvalidQueries", testInvalidQueries},
	{"ConcurrentReadsAndWrites", testConcurrent},
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// Put stores articles and fails the test on any error; it returns the results.
func Put(t *testing.T, s graph.Store, arts ...*graph.Article) []graph.PutResult {
	t.Helper()
	res, err := s.PutArticles(ctx(t), arts)
	if err != nil {
		t.Fatalf("PutArticles: %v", err)
	}
	if len(res) != len(arts) {
		t.Fatalf("PutArticles: %d results for %d articles", len(res), len(arts))
	}
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("PutArticles: article %d (%s): %v", i, r.ArticleID, r.Err)
		}
	}
	return res
}

// CheckInvariants fails the test when s implements Checker and reports a violation.
func CheckInvariants(t *testing.T, s graph.Store) {
	t.Helper()
	if c, ok := s.(Checker); ok {
		if err := c.CheckInvariants(ctx(t)); err != nil {
			t.Errorf("invariants: %v", err)
		}
	}
}

// testEmptyStats: a store nothing was ever written to answers zero counts (a new
// bolt store has no quad counter yet).
func testEmptyStats(t *testing.T, _ Opener, s graph.Store) {
	if st := mustStats(t, s); st != (graph.Stats{}) {
		t.Errorf("Stats of a new store = %+v, want all zero", st)
	}
}

func mustStats(t *testing.T, s graph.Store) graph.Stats {
	t.Helper()
	st, err := s.Stats(ctx(t))
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return st
}

func mustEntity(t *testing.T, s graph.Store, r graph.EntityRef) *graph.Entity {
	t.Helper()
	e, err := s.Entity(ctx(t), r.IRI())
	if err != nil {
		t.Fatalf("Entity(%s): %v", r.IRI(), err)
	}
	return e
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("%s: err = %v, want ErrNotFound", what, err)
	}
}

// relations returns every relation of q, following page tokens.
func relations(t *testing.T, s graph.Store, q graph.RelationQuery) []graph.Relation {
	t.Helper()
	var out []graph.Relation
	for i := 0; ; i++ {
		p, err := s.Relations(ctx(t), q)
		if err != nil {
			t.Fatalf("Relations(%+v): %v", q, err)
		}
		out = append(out, p.Relations...)
		if p.NextPageToken == "" {
			return out
		}
		if i > 1000 {
			t.Fatalf("Relations: more than 1000 pages")
		}
		q.PageToken = p.NextPageToken
	}
}

type rel struct{ s, p, o string }

func relSet(rs []graph.Relation) []rel {
	var out []rel
	for _, r := range rs {
		out = append(out, rel{r.Subject.Name, r.Predicate, r.Object.Name})
	}
	return out
}

func findRel(rs []graph.Relation, s graph.EntityRef, p string, o graph.EntityRef) *graph.Relation {
	for i, r := range rs {
		if r.Subject.ID == s.IRI() && r.Predicate == p && r.Object.ID == o.IRI() {
			return &rs[i]
		}
	}
	return nil
}

func dump(t *testing.T, s graph.Store) []string {
	t.Helper()
	d, ok := s.(Dumper)
	if !ok {
		return nil
	}
	qs, err := d.DumpQuads(ctx(t))
	if err != nil {
		t.Fatalf("DumpQuads: %v", err)
	}
	return qs
}

func diffLines(a, b []string) (onlyA, onlyB []string) {
	inB := map[string]bool{}
	for _, x := range b {
		inB[x] = true
	}
	inA := map[string]bool{}
	for _, x := range a {
		inA[x] = true
		if !inB[x] {
			onlyA = append(onlyA, x)
		}
	}
	for _, x := range b {
		if !inA[x] {
			onlyB = append(onlyB, x)
		}
	}
	return onlyA, onlyB
}

func sameStrings(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return c, cancel
}
