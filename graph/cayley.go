package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/kv"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt" // registers "bbolt", used for BackendBolt
	_ "github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach" // registers "cockroach"
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"  // registers "postgres"
	"github.com/cayleygraph/quad"
)

// CayleyStore is the Store on a Cayley quad store. Create it with Open.
type CayleyStore struct {
	cfg Config
	log *slog.Logger
	qs  cgraph.QuadStore
	kv  *kv.QuadStore // the same store when it is a key-value backend (prefix scans)

	// lockReads is set for memstore, which is not safe for reads concurrent with a
	// write: reads then hold rw.RLock and commits rw.Lock.
	lockReads bool
	rw        sync.RWMutex

	// countQuads is set for SQL backends: Stats counts quads itself (counted once at
	// Open), as Cayley's count there is an estimate or a full count per call.
	countQuads bool

	writer chan struct{} // one token: the single writer
	names  *nameIndex    // entities, their names and counters; updated after each commit
	rc     *relCache     // direct edges and their statements, for reads (relcache.go)
	closed atomic.Bool

	bfsPool  sync.Pool          // of *bfs: path searches' state, reused (traverse.go)
	stopWarm context.CancelFunc // stops the background warm-up of rc (warm.go); nil when none
	warming  sync.WaitGroup
}

var _ Store = (*CayleyStore)(nil)

// Open opens the store cfg describes, creating it when it does not exist yet, and
// loads its in-memory name index and counters by iterating its registry nodes.
func Open(ctx context.Context, cfg Config) (*CayleyStore, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	name, path, opts := cfg.cayleyTarget()
	if name != cayleyMemstore {
		err := cgraph.InitQuadStore(name, path, opts)
		if err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
			return nil, fmt.Errorf("graph: create %s store at %q: %w", name, where(cfg), err)
		}
	}
	qs, err := cgraph.NewQuadStore(name, path, opts)
	if err != nil {
		return nil, fmt.Errorf("graph: open %s store at %q: %w", name, where(cfg), err)
	}
	s := &CayleyStore{
		cfg:       cfg,
		log:       logger,
		qs:        qs,
		lockReads: name == cayleyMemstore,
		writer:    make(chan struct{}, 1),
		names:     newNameIndex(),
	}
	s.kv, _ = qs.(*kv.QuadStore)
	s.initReadCache()
	s.countQuads = s.kv == nil && !s.lockReads
	if err := s.load(ctx); err != nil {
		qs.Close()
		return nil, fmt.Errorf("graph: load %s store at %q: %w", name, where(cfg), err)
	}
	if err := s.loadAdjacency(ctx); err != nil {
		qs.Close()
		return nil, fmt.Errorf("graph: load %s store at %q: %w", name, where(cfg), err)
	}
	if cfg.WarmReadCache {
		s.warmInBackground()
	}
	c := s.names.counters()
	logger.InfoContext(ctx, "graph store open", "backend", name, "articles", c.Articles,
		"entities", c.Entities, "relations", c.Relations, "statements", c.Statements)
	return s, nil
}

// where names the location of the store in messages without the connection string's
// secrets.
func where(cfg Config) string {
	switch cfg.backend() {
	case BackendBolt:
		return cfg.Path
	case BackendMemstore:
		return "memory"
	}
	if i := strings.IndexAny(cfg.Address, "@"); i >= 0 {
		return "…" + cfg.Address[i:]
	}
	return cfg.backend()
}

// Close closes the store. Methods called after Close fail.
func (s *CayleyStore) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if s.stopWarm != nil {
		s.stopWarm()
		s.warming.Wait()
	}
	s.writer <- struct{}{} // wait for a running write
	defer func() { <-s.writer }()
	s.rw.Lock()
	defer s.rw.Unlock()
	if err := s.qs.Close(); err != nil {
		return fmt.Errorf("graph: close: %w", err)
	}
	return nil
}

var errClosed = errors.New("graph: store is closed")

// beginRead starts a read; the returned function ends it.
func (s *CayleyStore) beginRead() (func(), error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	if s.lockReads {
		s.rw.RLock()
		return s.rw.RUnlock, nil
	}
	return func() {}, nil
}

// beginWrite takes the writer token, honouring ctx; the returned function gives it back.
func (s *CayleyStore) beginWrite(ctx context.Context) (func(), error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	select {
	case s.writer <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("graph: waiting for the writer: %w", ctxErr(ctx))
	}
	if s.closed.Load() {
		<-s.writer
		return nil, errClosed
	}
	return func() { <-s.writer }, nil
}

// ctxErr is ctx.Err() wrapped with ErrLimit when the deadline passed.
func ctxErr(ctx context.Context) error {
	err := ctx.Err()
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrLimit, err)
	}
	return err
}

// ref returns the Cayley ref of a value, or nil when the value is not in the store.
func (s *CayleyStore) ref(v quad.Value) (cgraph.Ref, error) {
	r, err := s.qs.ValueOf(v)
	if err != nil {
		return nil, fmt.Errorf("look up %s: %w", v, err)
	}
	return r, nil
}

// refKey returns the comparable key of a ref.
func refKey(r cgraph.Ref) any {
	if r == nil {
		return nil
	}
	return r.Key()
}

// scan calls fn with every quad that has node in direction dir (Subject or Object) and,
// when pred is non-nil, pred as its predicate. It stops when fn returns false. On
// key-value backends a predicate turns into a prefix scan of the [S,P] or [O,P,S]
// index, so the other quads of a busy node are not read. ctx is checked between quads.
func (s *CayleyStore) scan(ctx context.Context, dir quad.Direction, node, pred cgraph.Ref, fn func(q cgraph.Ref) (bool, error)) error {
	if node == nil {
		return nil
	}
	var shape iterator.Shape
	filter := pred != nil
	if s.kv != nil && pred != nil {
		n, ok1 := node.(kv.Int64Value)
		p, ok2 := pred.(kv.Int64Value)
		if ok1 && ok2 {
			ind := kv.DefaultQuadIndexes[0] // [S,P]
			if dir == quad.Object {
				ind = kv.DefaultQuadIndexes[1] // [O,P,S]
			}
			shape = kv.IndexScan{Index: ind, Values: []uint64{uint64(n), uint64(p)}}.BuildIterator(s.kv)
			filter = false
		}
	}
	if shape == nil {
		shape = s.qs.QuadIterator(dir, node)
	}
	it := shape.Iterate()
	defer it.Close()
	var pk any
	if filter {
		pk = pred.Key()
	}
	for n := 0; it.Next(ctx); n++ {
		if n&63 == 63 {
			if err := ctx.Err(); err != nil {
				return ctxErr(ctx)
			}
		}
		q := it.Result()
		if filter {
			p, err := s.qs.QuadDirection(q, quad.Predicate)
			if err != nil {
				return err
			}
			if refKey(p) != pk {
				continue
			}
		}
		more, err := fn(q)
		if err != nil || !more {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

// link is one quad seen from a node: its predicate and the node on the other side.
type link struct {
	Pred, Other       quad.Value
	PredRef, OtherRef cgraph.Ref
}

// links returns the quads around node (Subject: its out-quads, Object: its in-quads),
// only those with predicate pred when it is non-nil, with names resolved in one batch.
func (s *CayleyStore) links(ctx context.Context, dir quad.Direction, node, pred quad.Value) ([]link, error) {
	nr, err := s.ref(node)
	if err != nil || nr == nil {
		return nil, err
	}
	var pr cgraph.Ref
	if pred != nil {
		if pr, err = s.ref(pred); err != nil || pr == nil {
			return nil, err
		}
	}
	return s.linksRef(ctx, dir, nr, pr, pred)
}

func (s *CayleyStore) linksRef(ctx context.Context, dir quad.Direction, nr, pr cgraph.Ref, pred quad.Value) ([]link, error) {
	other := quad.Object
	if dir == quad.Object {
		other = quad.Subject
	}
	var out []link
	err := s.scan(ctx, dir, nr, pr, func(q cgraph.Ref) (bool, error) {
		o, err := s.qs.QuadDirection(q, other)
		if err != nil {
			return false, err
		}
		l := link{OtherRef: o, PredRef: pr, Pred: pred}
		if pr == nil {
			if l.PredRef, err = s.qs.QuadDirection(q, quad.Predicate); err != nil {
				return false, err
			}
		}
		out = append(out, l)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.resolveLinks(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// resolveLinks fills Pred and Other of links in one batch.
func (s *CayleyStore) resolveLinks(ctx context.Context, ls []link) error {
	if len(ls) == 0 {
		return nil
	}
	rs := make([]cgraph.Ref, 0, 2*len(ls))
	for _, l := range ls {
		rs = append(rs, l.OtherRef)
		if l.Pred == nil {
			rs = append(rs, l.PredRef)
		}
	}
	vs, err := cgraph.ValuesOf(ctx, s.qs, rs)
	if err != nil {
		return fmt.Errorf("resolve names: %w", err)
	}
	j := 0
	for i := range ls {
		ls[i].Other = vs[j]
		j++
		if ls[i].Pred == nil {
			ls[i].Pred = vs[j]
			j++
		}
	}
	return nil
}

// has reports whether the store holds the quad s p o.
func (s *CayleyStore) has(ctx context.Context, q quad.Quad) (bool, error) {
	rs, err := s.refsOf(q.Subject, q.Predicate, q.Object)
	if err != nil || rs == nil {
		return false, err
	}
	found := false
	if s.kv != nil {
		sr, _ := rs[0].(kv.Int64Value)
		pr, _ := rs[1].(kv.Int64Value)
		or, _ := rs[2].(kv.Int64Value)
		it := kv.IndexScan{Index: kv.DefaultQuadIndexes[1], Values: []uint64{uint64(or), uint64(pr), uint64(sr)}}.BuildIterator(s.kv).Iterate()
		defer it.Close()
		found = it.Next(ctx)
		return found, it.Err()
	}
	// Walk from the side with fewer quads.
	dir, node, other, want := quad.Subject, rs[0], quad.Object, rs[2].Key()
	if a, err := s.qs.QuadIteratorSize(ctx, quad.Subject, rs[0]); err == nil && a.Exact {
		if b, err := s.qs.QuadIteratorSize(ctx, quad.Object, rs[2]); err == nil && b.Exact && b.Value < a.Value {
			dir, node, other, want = quad.Object, rs[2], quad.Subject, rs[0].Key()
		}
	}
	err = s.scan(ctx, dir, node, rs[1], func(q cgraph.Ref) (bool, error) {
		o, err := s.qs.QuadDirection(q, other)
		if err != nil {
			return false, err
		}
		found = refKey(o) == want
		return !found, nil
	})
	return found, err
}

// refsOf returns the refs of vs, or nil when one of them is not in the store.
func (s *CayleyStore) refsOf(vs ...quad.Value) ([]cgraph.Ref, error) {
	rs := make([]cgraph.Ref, len(vs))
	for i, v := range vs {
		r, err := s.ref(v)
		if err != nil || r == nil {
			return nil, err
		}
		rs[i] = r
	}
	return rs, nil
}
