package graph

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// WarmStats tells what WarmReadCache read.
type WarmStats struct {
	Entities   int           // entities whose edges were visited
	Edges      int           // direct edges whose statements were read from the store
	Statements int           // statements the cache holds afterwards
	Full       bool          // the cache's statement cap stopped the warm-up early
	Elapsed    time.Duration // time taken
}

// warmFill is the share of the statement cache the warm-up fills: the rest is left for
// what callers ask, so that warming does not turn into evicting.
const warmFill = 0.75

// WarmReadCache reads the statements behind the direct edges of the entities, the most
// mentioned first, into the relation cache, until every edge is read or the cache is
// three quarters full. A relation page, a path or a subgraph then costs map look-ups
// from the first call instead of quad reads (about 0.1-100 ms for a page of a busy
// entity on a cold bolt store, see bench.BenchmarkRelations' cold figures).
//
// Open runs it in the background when Config.WarmReadCache is set; Close stops it. It
// is a reader like any other: it never holds up writers, and what a transaction changes
// meanwhile is dropped from the cache as usual. It stops at ctx's end, returning ctx's
// error with what it did.
func (s *CayleyStore) WarmReadCache(ctx context.Context) (WarmStats, error) {
	start := time.Now()
	iris := s.names.byMentions()
	limit := int(warmFill * float64(s.rc.maxStmts))
	var entities, edges atomic.Int64
	newReader := func() *reader { r := s.newReader(); r.warm = true; return r }
	readers := sync.Pool{New: func() any { return newReader() }} // one a worker, reused
	// The reads are independent, each in its own read transaction, and a freshly
	// started server has its cores to spare: one worker per core.
	err := forEachParallel(ctx, len(iris), func(k int) error {
		r := readers.Get().(*reader)
		if len(r.articles) > warmArticleMemo {
			r = newReader() // keeps the article memo bounded
		}
		defer readers.Put(r)
		n, err := s.warmEntity(ctx, r, iris[k], limit)
		edges.Add(int64(max(n, 0)))
		if err == nil && n >= 0 {
			entities.Add(1)
		}
		return err
	})
	st := WarmStats{Entities: int(entities.Load()), Edges: int(edges.Load()), Full: errors.Is(err, errCacheFull),
		Statements: s.rc.statementsHeld(), Elapsed: time.Since(start)}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if st.Full {
		return st, nil
	}
	return st, err
}

// warmArticleMemo bounds the articles a warm-up reader remembers.
const warmArticleMemo = 20_000

var errCacheFull = errors.New("graph: read cache full")

// warmEntity reads the statements behind the direct edges of one entity that the cache
// lacks and returns how many edges it read (-1: the entity has none).
func (s *CayleyStore) warmEntity(ctx context.Context, r *reader, iri string, limit int) (int, error) {
	l := s.rc.getAdj(iri)
	if l == nil || len(l.byKey) == 0 {
		return -1, nil
	}
	n := 0
	for _, a := range l.byKey {
		if s.rc.statementsHeld() >= limit {
			return n, errCacheFull
		}
		t := edgeTriple{Subject: iri, Predicate: a.pred, Object: a.other}
		if !a.out {
			t = edgeTriple{Subject: a.other, Predicate: a.pred, Object: iri}
		}
		if s.rc.getEdge(t) != nil {
			continue
		}
		done, err := s.beginRead()
		if err != nil {
			return n, err
		}
		before := r.edgeLoads
		_, err = r.edgeFacts(ctx, t)
		done()
		n += r.edgeLoads - before
		if err != nil {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			if errors.Is(err, ErrLimit) {
				continue // an edge too big to cache whole; read on use
			}
			return n, err
		}
	}
	return n, nil
}

// warmInBackground runs WarmReadCache until it ends or Close stops it.
func (s *CayleyStore) warmInBackground() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopWarm = cancel
	s.warming.Add(1)
	go func() {
		defer s.warming.Done()
		st, err := s.WarmReadCache(ctx)
		switch {
		case errors.Is(err, context.Canceled), errors.Is(err, errClosed):
			s.log.Debug("read cache warm-up stopped", "edges", st.Edges, "elapsed", st.Elapsed)
		case err != nil:
			s.log.Warn("read cache warm-up failed; reads fill the cache as they go", "err", err, "edges", st.Edges)
		default:
			s.log.Info("read cache warm", "entities", st.Entities, "edges", st.Edges, "statements", st.Statements,
				"cache full", st.Full, "elapsed", st.Elapsed.Round(time.Millisecond))
		}
	}()
}

// ResetReadCache puts the relation cache in the state Open leaves it in: the
// adjacency of every entity loaded, no statements held (and no warm-up). For measures
// of reads right after a restart.
func (s *CayleyStore) ResetReadCache(ctx context.Context) error {
	s.DropReadCache()
	return s.loadAdjacency(ctx)
}

// statementsHeld is the number of statements (and edges) the cache holds.
func (c *relCache) statementsHeld() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmtHeld
}

// byMentions returns the IRIs of the entities, the most mentioned first (ties by IRI).
func (x *nameIndex) byMentions() []string {
	type ent struct {
		IRI      string
		Mentions int
	}
	x.mu.RLock()
	es := make([]ent, 0, len(x.ents))
	for _, e := range x.ents {
		es = append(es, ent{e.IRI, e.Mentions})
	}
	x.mu.RUnlock()
	slices.SortFunc(es, func(a, b ent) int {
		if c := cmp.Compare(b.Mentions, a.Mentions); c != 0 {
			return c
		}
		return cmp.Compare(a.IRI, b.IRI)
	})
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.IRI
	}
	return out
}
