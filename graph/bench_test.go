package graph_test

// Benchmarks on a synthetic store (see synth): run them with
//
//	go test ./graph/ -run '^$' -bench . -benchtime 2s
//
// or one of them, e.g. `-bench 'Paths/articles=10000'`. The query benchmarks build a
// bolt store per size once (10,000 articles take a minute or so) and share it.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
)

const benchEntities = 5000

// benchStores caches the query benchmarks' stores by size; closed by TestMain.
var benchStores = struct {
	sync.Mutex
	m    map[int]*graph.CayleyStore
	dirs []string
}{m: map[int]*graph.CayleyStore{}}

func closeBenchStores() {
	benchStores.Lock()
	defer benchStores.Unlock()
	for _, s := range benchStores.m {
		s.Close()
	}
	for _, d := range benchStores.dirs {
		os.RemoveAll(d)
	}
}

// benchStore returns a bolt store holding `articles` synthetic articles.
func benchStore(b *testing.B, articles int) *graph.CayleyStore {
	benchStores.Lock()
	defer benchStores.Unlock()
	if s := benchStores.m[articles]; s != nil {
		return s
	}
	dir, err := os.MkdirTemp("", "newsgraph-bench-")
	if err != nil {
		b.Fatal(err)
	}
	benchStores.dirs = append(benchStores.dirs, dir)
	cfg := graph.DefaultConfig()
	cfg.Path = dir
	cfg.NoSync = true
	s, err := graph.Open(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	g := newSynth(benchEntities)
	for i := 0; i < articles; i += 64 {
		var batch []*graph.Article
		for n := i; n < min(i+64, articles); n++ {
			batch = append(batch, g.article(n, 0))
		}
		if _, err := s.PutArticles(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	benchStores.m[articles] = s
	return s
}

var benchSizes = []int{1000, 10000}

// BenchmarkPutArticles measures loading throughput into a growing store, in batches
// as the loader sends them.
func BenchmarkPutArticles(b *testing.B) {
	for _, backend := range []string{graph.BackendBolt, graph.BackendMemstore} {
		for _, batch := range []int{1, 64} {
			b.Run(fmt.Sprintf("backend=%s/batch=%d", backend, batch), func(b *testing.B) {
				var s *graph.CayleyStore
				if backend == graph.BackendBolt {
					s = openBolt(b)
				} else {
					s = openMem(b)
				}
				g := newSynth(benchEntities)
				n, quads := 0, 0
				b.ReportAllocs()
				for b.Loop() {
					arts := make([]*graph.Article, batch)
					for i := range arts {
						arts[i] = g.article(n, 0)
						n++
					}
					res, err := s.PutArticles(context.Background(), arts)
					if err != nil {
						b.Fatal(err)
					}
					for _, r := range res {
						if r.Err != nil {
							b.Fatal(r.Err)
						}
						quads += r.Added
					}
				}
				b.ReportMetric(float64(quads)/b.Elapsed().Seconds(), "quads/s")
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
				b.ReportMetric(float64(quads)/float64(n), "quads/article")
			})
		}
	}
}

// BenchmarkRelations reads the first page of relations of the busiest entity (the
// most mentioned under the power law) and of a middling one.
func BenchmarkRelations(b *testing.B) {
	g := newSynth(benchEntities)
	for _, size := range benchSizes {
		for _, who := range []struct {
			name string
			rank int
		}{{"hub", 0}, {"mid", 40}} {
			b.Run(fmt.Sprintf("articles=%d/entity=%s", size, who.name), func(b *testing.B) {
				s := benchStore(b, size)
				q := graph.RelationQuery{EntityID: g.entities[who.rank].IRI()}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.Relations(context.Background(), q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkPaths asks for the 3 shortest paths of at most 4 hops between random pairs
// of the 500 most mentioned entities (those stored).
func BenchmarkPaths(b *testing.B) {
	g := newSynth(benchEntities)
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("articles=%d/k=3/hops=4", size), func(b *testing.B) {
			s := benchStore(b, size)
			r := rand.New(rand.NewPCG(3, 5))
			var pairs [][2]string
			for len(pairs) < 64 {
				a, z := g.entities[r.IntN(500)].IRI(), g.entities[r.IntN(500)].IRI()
				_, e1 := s.Entity(context.Background(), a)
				_, e2 := s.Entity(context.Background(), z)
				if e1 == nil && e2 == nil {
					pairs = append(pairs, [2]string{a, z})
				}
			}
			i, found := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				p := pairs[i%len(pairs)]
				i++
				ps, err := s.Paths(context.Background(), graph.PathQuery{From: p[0], To: p[1], K: 3, MaxHops: 4})
				if err != nil {
					b.Fatal(err)
				}
				found += len(ps)
			}
			b.ReportMetric(float64(found)/float64(i), "paths/op")
		})
	}
}

// BenchmarkNeighbourhood reads the depth-2 neighbourhood of a middling entity, capped
// at the default node cap (Config.DefaultSubgraphNodes).
func BenchmarkNeighbourhood(b *testing.B) {
	g := newSynth(benchEntities)
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("articles=%d/depth=2", size), func(b *testing.B) {
			s := benchStore(b, size)
			q := graph.NeighbourhoodQuery{EntityID: g.entities[40].IRI(), Depth: 2}
			nodes := 0
			b.ReportAllocs()
			for b.Loop() {
				sg, err := s.Neighbourhood(context.Background(), q)
				if err != nil {
					b.Fatal(err)
				}
				nodes = len(sg.Nodes)
			}
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}

// BenchmarkSearch runs a fuzzy search (one typo) over the name index of the store.
func BenchmarkSearch(b *testing.B) {
	g := newSynth(benchEntities)
	for _, size := range benchSizes {
		for _, mode := range []struct {
			name string
			mode graph.SearchMode
		}{{"exact", graph.Exact}, {"prefix", graph.Prefix}, {"fuzzy", graph.Fuzzy}} {
			b.Run(fmt.Sprintf("articles=%d/mode=%s", size, mode.name), func(b *testing.B) {
				s := benchStore(b, size)
				name := g.entities[7].Name
				text := name[:1] + name[2:] // a letter missing
				if mode.mode != graph.Fuzzy {
					text = name[:len(name)-2]
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.SearchEntities(context.Background(), graph.SearchQuery{Text: text, Mode: mode.mode}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
