package bench

// Read-path benchmarks on stores built from the shared corpora (see Store): every query
// kind at 1,000, 5,000 and 20,000 articles, with p50 and p99 per call reported next to
// ns/op. Run them with
//
//	go test ./bench/ -run '^$' -bench . -benchtime 3s -timeout 60m
//
// or one kind and size, e.g. `-bench 'Relations/articles=20000'`. The first run builds
// the stores through the loader pipeline (about 20 s for 5,000 articles) and caches
// them (CacheDir) for the next runs of the same code; they skip when the corpora are
// absent. "handler" benchmarks call the gRPC handler in-process (validation, name
// resolution, the store, conversion to proto); "store" ones call graph.Store.
// BenchmarkCayleySideBySide asks the same neighbour and 2-hop questions through
// Cayley's path API on the same bolt store and through newsgraph's gRPC API over
// loopback TCP.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
)

var sizes = []int{1000, 5000, 20000}

// fixture is an open corpus store with a server on it.
type fixture struct {
	info  *Info
	store *graph.CayleyStore
	srv   *server.Server
	gs    *grpc.Server
	conn  *grpc.ClientConn
	cli   pb.NewsGraphServiceClient
	warm  map[string]latencies // cold passes by query kind
}

var fixtures = struct {
	sync.Mutex
	m map[int]*fixture
}{m: map[int]*fixture{}}

func TestMain(m *testing.M) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(server.DefaultGCPercent) // as newsgraph serve runs
	}
	code := m.Run()
	fixtures.Lock()
	for _, f := range fixtures.m {
		f.conn.Close()
		f.gs.Stop()
		f.store.Close()
	}
	fixtures.Unlock()
	os.Exit(code)
}

type noExtract struct{}

func (noExtract) Extract(d doc.Document) (*graph.Article, error) {
	return nil, errors.New("bench: this server does not load articles")
}

// open returns the fixture of a size, building the store when needed.
func open(b *testing.B, articles int) *fixture {
	b.Helper()
	fixtures.Lock()
	defer fixtures.Unlock()
	if f := fixtures.m[articles]; f != nil {
		return f
	}
	ctx := context.Background()
	in, err := Store(ctx, articles, b.Logf)
	if errors.Is(err, ErrNoData) {
		b.Skipf("skipped: %v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	cfg := server.DefaultConfig()
	s, err := Open(ctx, in, cfg.StoreConfig(graph.DefaultConfig()))
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(s, noExtract{}, cfg)
	if err != nil {
		b.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var opts []grpc.ServerOption
	// NEWSGRAPH_BENCH_WORKERS=1 serves with a pool of stream workers (goroutines reused
	// with their grown stacks), to compare with the default one goroutine per call.
	if os.Getenv("NEWSGRAPH_BENCH_WORKERS") != "" {
		opts = append(opts, grpc.NumStreamWorkers(uint32(runtime.GOMAXPROCS(0))))
	}
	gs, _ := srv.NewGRPCServer(opts...)
	go gs.Serve(lis)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{info: in, store: s, srv: srv, gs: gs, conn: conn, cli: pb.NewNewsGraphServiceClient(conn), warm: map[string]latencies{}}
	fixtures.m[articles] = f
	return f
}

// latencies collects the duration of each call and reports p50 and p99.
type latencies []time.Duration

func (l *latencies) time(fn func()) {
	t := time.Now()
	fn()
	*l = append(*l, time.Since(t))
}

func (l latencies) report(b *testing.B) {
	l.reportAs(b, "")
	reportLoad(b)
}

// reportLoad reports the 1-minute load average when the benchmark ends: the machine is
// shared, and a figure means little without it.
func reportLoad(b *testing.B) {
	if s, err := os.ReadFile("/proc/loadavg"); err == nil {
		var l float64
		if _, err := fmt.Sscan(string(s), &l); err == nil {
			b.ReportMetric(l, "load1")
		}
	}
}

func (l latencies) reportAs(b *testing.B, prefix string) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	q := func(p float64) float64 { return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) }
	b.ReportMetric(q(0.50), prefix+"p50-µs")
	b.ReportMetric(q(0.99), prefix+"p99-µs")
	b.ReportMetric(float64(s[len(s)-1].Microseconds()), prefix+"max-µs")
}

// warmUp runs fn once per item on an empty relation cache, timed apart as the cold pass
// of a kind (as after a restart), unless it ran already for this fixture.
func warmUp[T any](b *testing.B, f *fixture, kind string, items []T, fn func(T) error) latencies {
	if f.warm[kind] == nil {
		if err := f.store.ResetReadCache(context.Background()); err != nil {
			b.Fatal(err)
		}
		var cold latencies
		for _, it := range items {
			cold.time(func() {
				if err := fn(it); err != nil {
					b.Fatal(err)
				}
			})
		}
		f.warm[kind] = cold
	}
	return f.warm[kind]
}

func id(e string) *pb.EntitySelector {
	return &pb.EntitySelector{Selector: &pb.EntitySelector_Id{Id: e}}
}

// BenchmarkRelations calls the ListRelations handler with the defaults (page of 50,
// 3 evidence items per relation): entity=hub is the most mentioned entity, entity=spread
// goes round robin over 500 entities spread over the mention ranks of the entities
// that have relations (the hub included).
func BenchmarkRelations(b *testing.B) {
	for _, size := range sizes {
		for _, who := range []string{"hub", "spread"} {
			b.Run(fmt.Sprintf("articles=%d/entity=%s", size, who), func(b *testing.B) {
				f := open(b, size)
				es := f.info.SampleRelated(500)
				if who == "hub" {
					es = es[:1]
				}
				ctx := context.Background()
				// A first pass over the entities, timed apart: the relation cache is cold
				// for them (the store was opened for this benchmark), as after a restart.
				cold := warmUp(b, f, "relations", f.info.SampleRelated(500), func(e Entity) error {
					_, err := f.srv.ListRelations(ctx, &pb.ListRelationsRequest{Entity: id(e.ID)})
					return err
				})
				var lat latencies
				i, rels := 0, 0
				b.ReportAllocs()
				for b.Loop() {
					req := &pb.ListRelationsRequest{Entity: id(es[i%len(es)].ID)}
					i++
					lat.time(func() {
						r, err := f.srv.ListRelations(ctx, req)
						if err != nil {
							b.Fatal(err)
						}
						rels += len(r.Relations)
					})
				}
				lat.report(b)
				cold.reportAs(b, "cold-")
				b.ReportMetric(float64(rels)/float64(i), "relations/op")
			})
		}
	}
}

// BenchmarkRelationsBetween calls GetRelationsBetween on pairs linked by a statement.
func BenchmarkRelationsBetween(b *testing.B) {
	for _, size := range sizes {
		b.Run(fmt.Sprintf("articles=%d", size), func(b *testing.B) {
			f := open(b, size)
			pairs := f.info.Edges
			if len(pairs) == 0 {
				b.Skip("no edges")
			}
			ctx := context.Background()
			cold := warmUp(b, f, "between", pairs, func(p [2]string) error {
				_, err := f.srv.GetRelationsBetween(ctx, &pb.GetRelationsBetweenRequest{Entity: id(p[0]), Other: id(p[1])})
				return err
			})
			var lat latencies
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				p := pairs[i%len(pairs)]
				i++
				lat.time(func() {
					if _, err := f.srv.GetRelationsBetween(ctx, &pb.GetRelationsBetweenRequest{Entity: id(p[0]), Other: id(p[1])}); err != nil {
						b.Fatal(err)
					}
				})
			}
			lat.report(b)
			cold.reportAs(b, "cold-")
		})
	}
}

// BenchmarkPaths calls FindPaths for k=3 paths of up to 4 hops between pairs of the 500
// most mentioned entities.
func BenchmarkPaths(b *testing.B) {
	for _, size := range sizes {
		b.Run(fmt.Sprintf("articles=%d/k=3/hops=4", size), func(b *testing.B) {
			f := open(b, size)
			pairs := f.info.PathPairs(200, 500)
			ctx := context.Background()
			cold := warmUp(b, f, "paths", pairs, func(p [2]Entity) error {
				_, err := f.srv.FindPaths(ctx, &pb.FindPathsRequest{From: id(p[0].ID), To: id(p[1].ID), K: 3, MaxHops: 4})
				return err
			})
			var lat latencies
			i, found := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				p := pairs[i%len(pairs)]
				i++
				lat.time(func() {
					r, err := f.srv.FindPaths(ctx, &pb.FindPathsRequest{From: id(p[0].ID), To: id(p[1].ID), K: 3, MaxHops: 4})
					if err != nil {
						b.Fatal(err)
					}
					found += len(r.Paths)
				})
			}
			lat.report(b)
			cold.reportAs(b, "cold-")
			b.ReportMetric(float64(found)/float64(i), "paths/op")
		})
	}
}

// BenchmarkNeighbourhood calls GetNeighbourhood at depth 2 (default node cap, 200)
// round robin over 100 entities spread over the mention ranks.
func BenchmarkNeighbourhood(b *testing.B) {
	for _, size := range sizes {
		b.Run(fmt.Sprintf("articles=%d/depth=2", size), func(b *testing.B) {
			f := open(b, size)
			es := f.info.SampleRelated(100)
			ctx := context.Background()
			cold := warmUp(b, f, "neighbourhood", es, func(e Entity) error {
				_, err := f.srv.GetNeighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: id(e.ID), Depth: 2})
				return err
			})
			var lat latencies
			i, nodes := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				e := es[i%len(es)]
				i++
				lat.time(func() {
					r, err := f.srv.GetNeighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: id(e.ID), Depth: 2})
					if err != nil {
						b.Fatal(err)
					}
					nodes += len(r.Nodes)
				})
			}
			lat.report(b)
			cold.reportAs(b, "cold-")
			b.ReportMetric(float64(nodes)/float64(i), "nodes/op")
		})
	}
}

// BenchmarkSearch calls SearchEntities, fuzzy, with one letter of a name dropped.
func BenchmarkSearch(b *testing.B) {
	for _, size := range sizes {
		b.Run(fmt.Sprintf("articles=%d/mode=fuzzy", size), func(b *testing.B) {
			f := open(b, size)
			var texts []string
			for _, e := range f.info.Sample(100) {
				if len([]rune(e.Name)) > 4 {
					r := []rune(e.Name)
					texts = append(texts, string(r[:1])+string(r[2:]))
				}
			}
			ctx := context.Background()
			var lat latencies
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				t := texts[i%len(texts)]
				i++
				lat.time(func() {
					if _, err := f.srv.SearchEntities(ctx, &pb.SearchEntitiesRequest{Query: t, Mode: pb.SearchMode_SEARCH_MODE_FUZZY}); err != nil {
						b.Fatal(err)
					}
				})
			}
			lat.report(b)
		})
	}
}

// BenchmarkOpen opens a corpus store as newsgraph serve does (name index, counters and
// the adjacency of every entity read into memory; no warm-up) and reports the heap it
// keeps: how the cost of a restart grows with the store.
func BenchmarkOpen(b *testing.B) {
	for _, size := range sizes {
		b.Run(fmt.Sprintf("articles=%d", size), func(b *testing.B) {
			ctx := context.Background()
			fixtures.Lock()
			open := fixtures.m[size] != nil // the fixture holds the bolt file's lock
			fixtures.Unlock()
			if open {
				b.Skip("skipped: the store is open in this process; run BenchmarkOpen alone")
			}
			in, err := Store(ctx, size, b.Logf)
			if errors.Is(err, ErrNoData) {
				b.Skipf("skipped: %v", err)
			}
			if err != nil {
				b.Fatal(err)
			}
			var heap uint64
			for b.Loop() {
				s, err := Open(ctx, in, server.DefaultConfig().StoreConfig(graph.DefaultConfig()))
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&after)
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&before)
				heap = after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
				b.StartTimer()
			}
			b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
			b.ReportMetric(float64(in.Stats.Entities), "entities")
			reportLoad(b)
		})
	}
}

// BenchmarkWarmReadCache times the warm-up newsgraph serve runs in the background
// after opening a store (graph.CayleyStore.WarmReadCache): from the state Open leaves
// the cache in to every edge's statements held.
func BenchmarkWarmReadCache(b *testing.B) {
	for _, size := range sizes {
		b.Run(fmt.Sprintf("articles=%d", size), func(b *testing.B) {
			f := open(b, size)
			ctx := context.Background()
			var st graph.WarmStats
			for b.Loop() {
				b.StopTimer()
				if err := f.store.ResetReadCache(ctx); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				var err error
				if st, err = f.store.WarmReadCache(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(st.Edges), "edges")
			b.ReportMetric(float64(st.Statements), "held")
			reportLoad(b)
			clear(f.warm) // the next benchmark's cold pass starts again from a reset cache
		})
	}
}

// BenchmarkCayleySideBySide asks "which entities are directly linked to X" (question=
// neighbours) and "which entities are within 2 hops of X" (question=2hop), either
// direction, over the relation predicates, for 100 entities spread over the mention
// ranks: api=cayley runs Cayley's path API in-process on the same bolt store
// (StartPath(X).Both(preds...)[.Both(preds...)].Unique()); api=newsgraph-grpc calls
// GetNeighbourhood (depth 1 or 2, max_nodes 5000) over gRPC on loopback TCP, which
// also returns the edges among the nodes and the names of the nodes.
func BenchmarkCayleySideBySide(b *testing.B) {
	for _, size := range sizes {
		for _, question := range []string{"neighbours", "2hop"} {
			depth := 1
			if question == "2hop" {
				depth = 2
			}
			b.Run(fmt.Sprintf("articles=%d/question=%s/api=cayley", size, question), func(b *testing.B) {
				f := open(b, size)
				qs := f.store.Cayley()
				var preds []any
				for _, p := range f.info.Predicates {
					preds = append(preds, quad.IRI("ng:rel/"+p))
				}
				es := f.info.SampleRelated(100)
				ctx := context.Background()
				var lat latencies
				i, nodes := 0, 0
				b.ReportAllocs()
				for b.Loop() {
					e := es[i%len(es)]
					i++
					lat.time(func() {
						p := path.StartPath(qs, quad.IRI(e.ID)).Both(preds...)
						if depth == 2 {
							p = p.Or(p.Clone().Both(preds...)) // within 2 hops: 1 or 2
						}
						vs, err := p.Unique().Iterate(ctx).AllValues(qs)
						if err != nil {
							b.Fatal(err)
						}
						nodes += len(vs)
					})
				}
				lat.report(b)
				b.ReportMetric(float64(nodes)/float64(i), "nodes/op")
			})
			b.Run(fmt.Sprintf("articles=%d/question=%s/api=newsgraph-grpc", size, question), func(b *testing.B) {
				f := open(b, size)
				es := f.info.SampleRelated(100)
				ctx := context.Background()
				cold := warmUp(b, f, "grpc-neighbourhood-"+question, es, func(e Entity) error {
					_, err := f.cli.GetNeighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: id(e.ID), Depth: int32(depth), MaxNodes: 5000})
					return err
				})
				var lat latencies
				i, nodes := 0, 0
				b.ReportAllocs()
				for b.Loop() {
					e := es[i%len(es)]
					i++
					lat.time(func() {
						r, err := f.cli.GetNeighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: id(e.ID), Depth: int32(depth), MaxNodes: 5000})
						if err != nil {
							b.Fatal(err)
						}
						nodes += len(r.Nodes) - 1 // the entity itself is not a neighbour
					})
				}
				lat.report(b)
				cold.reportAs(b, "cold-")
				b.ReportMetric(float64(nodes)/float64(i), "nodes/op")
			})
		}
	}
}

// BenchmarkGRPCThroughput calls ListRelations (defaults) and FindPaths (k=3, 4 hops)
// over gRPC on loopback TCP from 50 goroutines, round robin over the entities (pairs)
// of BenchmarkRelations (BenchmarkPaths), with a warm cache: req/s is the server's
// throughput on this machine when the load generator is a lean Go client (ghz, see
// ghz.sh, spends more CPU per call on its side).
func BenchmarkGRPCThroughput(b *testing.B) {
	for _, size := range sizes {
		for _, kind := range []string{"relations", "paths"} {
			b.Run(fmt.Sprintf("articles=%d/call=%s/concurrency=50", size, kind), func(b *testing.B) {
				f := open(b, size)
				es := f.info.SampleRelated(500)
				pairs := f.info.PathPairs(500, 500)
				ctx := context.Background()
				call := func(i int) error {
					if kind == "relations" {
						_, err := f.cli.ListRelations(ctx, &pb.ListRelationsRequest{Entity: id(es[i%len(es)].ID)})
						return err
					}
					p := pairs[i%len(pairs)]
					_, err := f.cli.FindPaths(ctx, &pb.FindPathsRequest{From: id(p[0].ID), To: id(p[1].ID), K: 3, MaxHops: 4})
					return err
				}
				for i := range max(len(es), len(pairs)) {
					if err := call(i); err != nil {
						b.Fatal(err)
					}
				}
				var n, errs atomic.Int64
				b.SetParallelism(50 / runtime.GOMAXPROCS(0))
				b.ResetTimer()
				b.RunParallel(func(p *testing.PB) {
					for p.Next() {
						if err := call(int(n.Add(1))); err != nil {
							errs.Add(1)
						}
					}
				})
				b.ReportMetric(float64(n.Load())/b.Elapsed().Seconds(), "req/s")
				b.ReportMetric(float64(errs.Load()), "errors")
				reportLoad(b)
			})
		}
	}
}
