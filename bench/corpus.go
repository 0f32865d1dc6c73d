// Package bench measures newsgraph's read path on real data: a bolt store built from
// the shared corpora (../shared/data/corpora/*.jsonl, 20,181 articles) through the
// loader pipeline and the extractor `newsgraph serve` uses, cached on disk and keyed
// by the code that decides what the store holds, so that benchmark runs, the ghz load
// test (bench/ghz.sh) and the Cayley side-by-side share one build per size.
//
// The benchmarks (bench_test.go) skip with a message when the corpora are absent.
// cmd/benchstore builds a store and writes the query files bench/ghz.sh feeds to ghz.
package bench

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

// CorpusFiles are the corpora, relative to the data folder, in the order their
// articles are taken: FA-KES first (the Syrian war, the domain of the examples), then
// Reuters-21578. A store of n articles holds the first n, so the sizes nest.
var CorpusFiles = []string{"corpora/fakes-syria-dev.jsonl", "corpora/reuters21578.jsonl"}

// ErrNoData is returned when the corpora are not there.
var ErrNoData = errors.New("bench: the shared corpora are absent")

// DataDir finds ../shared/data from the repository root (found by walking up from the
// working directory to go.mod), or $NEWSGRAPH_DATA when set.
func DataDir() (string, error) {
	if d := os.Getenv("NEWSGRAPH_DATA"); d != "" {
		return d, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(root), "shared", "data"), nil
}

// RepoRoot is the folder of go.mod above the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("bench: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Entity is an entity of a corpus store with the number of articles that mention it.
type Entity struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Mentions int    `json:"mentions"`
}

// Info describes a corpus store: where it is and what to ask it.
type Info struct {
	Dir        string        `json:"-"`          // the bolt folder
	Articles   int           `json:"articles"`   // articles read
	Stored     int           `json:"stored"`     // articles stored (the rest were rejected)
	Entities   []Entity      `json:"entities"`   // every entity, most mentioned first
	Related    []Entity      `json:"related"`    // the entities with relations, most mentioned first
	Edges      [][2]string   `json:"edges"`      // a sample of directly linked entity pairs
	Predicates []string      `json:"predicates"` // the relation names of the direct edges
	Stats      graph.Stats   `json:"stats"`      // what the store holds
	BuildTime  time.Duration `json:"build_time"` // how long the build took
	Key        string        `json:"key"`        // the code version the store was built by
	CachedFrom string        `json:"-"`          // "cache" when reused, "build" when built now
}

// Sample returns up to n entities for look-ups: the most mentioned one (the hub), then
// a spread over the mention ranks, deterministic.
func (in *Info) Sample(n int) []Entity { return spread(in.Entities, n) }

// SampleRelated is Sample among the entities that have relations.
func (in *Info) SampleRelated(n int) []Entity { return spread(in.Related, n) }

func spread(es []Entity, n int) []Entity {
	if len(es) <= n {
		return slices.Clone(es)
	}
	out := make([]Entity, 0, n)
	step := float64(len(es)) / float64(n)
	for i := range n {
		out = append(out, es[int(float64(i)*step)])
	}
	return out
}

// PathPairs returns n pairs of distinct entities among the `top` most mentioned of
// those with relations, drawn with a fixed seed.
func (in *Info) PathPairs(n, top int) [][2]Entity {
	top = min(top, len(in.Related))
	r := rand.New(rand.NewPCG(3, 5))
	var out [][2]Entity
	for len(out) < n && top > 1 {
		a, b := r.IntN(top), r.IntN(top)
		if a != b {
			out = append(out, [2]Entity{in.Related[a], in.Related[b]})
		}
	}
	return out
}

// Store's key is CodeKey, or $NEWSGRAPH_BENCH_KEY when set (to keep using one store
// while others edit the writer in the same checkout).

// CacheDir is where corpus stores are kept: $NEWSGRAPH_BENCH_CACHE, or
// <user cache dir>/newsgraph-bench.
func CacheDir() string {
	if d := os.Getenv("NEWSGRAPH_BENCH_CACHE"); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "newsgraph-bench")
}

// CodeKey hashes what decides the content of a corpus store: the non-test sources and
// data files of graph/ and loader/ (extractor, vocabulary, gazetteer, tagger), go.sum,
// and the corpora's sizes and modification times. Reading code (read.go, traverse.go)
// is part of graph/ and so of the key: a store is rebuilt when the package changes,
// which is cheap next to a wrong figure from a stale schema.
func CodeKey(root, data string) (string, error) {
	h := sha256.New()
	var files []string
	for _, d := range []string{"graph", "loader"} {
		err := filepath.WalkDir(filepath.Join(root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				if n := e.Name(); n == "testdata" || n == "internal" || n == "graphtest" {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(p, "_test.go") {
				return nil
			}
			files = append(files, p)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	files = append(files, filepath.Join(root, "go.sum"))
	sort.Strings(files)
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		if readsOnly(rel) {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", rel, len(b))
		h.Write(b)
	}
	for _, c := range CorpusFiles {
		st, err := os.Stat(filepath.Join(data, c))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d %d\n", c, st.Size(), st.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// readsOnly lists files of graph/ that only read the store: a change to them does not
// change what a build writes, so they stay out of the key.
func readsOnly(rel string) bool {
	switch filepath.ToSlash(rel) {
	case "graph/read.go", "graph/traverse.go", "graph/relcache.go", "graph/timeline.go",
		"graph/doc.go", "graph/names.go", "graph/check.go":
		return true
	}
	return strings.HasPrefix(filepath.ToSlash(rel), "graph/export")
}

var buildMu sync.Mutex

// Store returns a bolt store of the first `articles` corpus articles, building it
// when the cache has none for this code version. logf (may be nil) hears progress.
// It returns ErrNoData when the corpora are absent.
func Store(ctx context.Context, articles int, logf func(format string, args ...any)) (*Info, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	data, err := DataDir()
	if err != nil {
		return nil, err
	}
	for _, c := range CorpusFiles {
		if _, err := os.Stat(filepath.Join(data, c)); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrNoData, filepath.Join(data, c), err)
		}
	}
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	key := os.Getenv("NEWSGRAPH_BENCH_KEY") // pins a store while the code around changes
	if key == "" {
		if key, err = CodeKey(root, data); err != nil {
			return nil, fmt.Errorf("bench: code key: %w", err)
		}
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	dir := filepath.Join(CacheDir(), fmt.Sprintf("corpus-%s-%d", key, articles))
	if in, err := readInfo(dir); err == nil {
		in.Dir, in.CachedFrom = dir, "cache"
		return in, nil
	}
	if err := os.MkdirAll(CacheDir(), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(CacheDir(), "building-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	logf("bench: building a store of %d corpus articles in %s (code %s)", articles, dir, key)
	in, err := build(ctx, data, tmp, articles)
	if err != nil {
		return nil, err
	}
	in.Key = key
	b, _ := json.MarshalIndent(in, "", " ")
	if err := os.WriteFile(filepath.Join(tmp, "info.json"), b, 0o644); err != nil {
		return nil, err
	}
	os.RemoveAll(dir)
	if err := os.Rename(tmp, dir); err != nil {
		return nil, err
	}
	logf("bench: built %d articles (%d stored) in %v: %+v", in.Articles, in.Stored, in.BuildTime.Round(time.Millisecond), in.Stats)
	in.Dir, in.CachedFrom = dir, "build"
	return in, nil
}

func readInfo(dir string) (*Info, error) {
	b, err := os.ReadFile(filepath.Join(dir, "info.json"))
	if err != nil {
		return nil, err
	}
	var in Info
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// counting wraps the extractor and counts, per entity, the articles that mention it and
// a sample of the pairs its statements link.
type counting struct {
	x        loader.Extractor
	mu       sync.Mutex
	mentions map[string]*Entity
	edges    map[[2]string]bool
	preds    map[string]bool
}

func (c *counting) Extract(d doc.Document) (*graph.Article, error) {
	a, err := c.x.Extract(d)
	if err != nil || a == nil {
		return a, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[string]bool{}
	note := func(r graph.EntityRef) {
		id := r.IRI()
		if seen[id] {
			return
		}
		seen[id] = true
		e := c.mentions[id]
		if e == nil {
			e = &Entity{ID: id, Name: r.Name}
			c.mentions[id] = e
		}
		e.Mentions++
	}
	for _, e := range a.Entities {
		note(e.EntityRef)
	}
	for _, st := range a.Statements {
		note(st.Subject)
		note(st.Object)
		c.edges[[2]string{st.Subject.IRI(), st.Object.IRI()}] = true
		c.preds[st.Predicate] = true
	}
	return a, nil
}

// Source yields the first n articles of the corpora in data.
func Source(data string, n int) loader.Source {
	return func(ctx context.Context, yield func(doc.Item) error) error {
		left := n
		stop := errors.New("enough")
		for _, c := range CorpusFiles {
			if left <= 0 {
				break
			}
			f, err := os.Open(filepath.Join(data, c))
			if err != nil {
				return err
			}
			err = doc.ReadJSONL(ctx, bufio.NewReader(f), filepath.Base(c), 0, func(it doc.Item) error {
				if left <= 0 {
					return stop
				}
				left--
				return yield(it)
			})
			f.Close()
			if err != nil && !errors.Is(err, stop) && !errors.Is(err, io.EOF) {
				return err
			}
		}
		return nil
	}
}

// NewExtractor returns the extractor `newsgraph serve` uses.
func NewExtractor() (loader.Extractor, error) { return extract.New(extract.Config{}) }

func build(ctx context.Context, data, dir string, articles int) (*Info, error) {
	start := time.Now()
	cfg := graph.DefaultConfig()
	cfg.Path = dir
	cfg.NoSync = true
	s, err := graph.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	x, err := NewExtractor()
	if err != nil {
		s.Close()
		return nil, err
	}
	cx := &counting{x: x, mentions: map[string]*Entity{}, edges: map[[2]string]bool{}, preds: map[string]bool{}}
	p, err := loader.New(s, cx, loader.Config{})
	if err != nil {
		s.Close()
		return nil, err
	}
	sum, err := p.Run(ctx, Source(data, articles), nil)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("bench: load corpora: %w", err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	in := &Info{Articles: sum.Articles(), Stored: sum.Stored + sum.Replaced + sum.Unchanged, Stats: st}
	// Only entities the store has (an entity of a rejected article is not stored).
	for _, e := range cx.mentions {
		if got, err := s.Entity(ctx, e.ID); err == nil {
			in.Entities = append(in.Entities, Entity{ID: got.ID, Name: got.Name, Mentions: got.Mentions})
		}
	}
	slices.SortFunc(in.Entities, func(a, b Entity) int {
		return cmp.Or(cmp.Compare(b.Mentions, a.Mentions), strings.Compare(a.ID, b.ID))
	})
	stored := map[string]bool{}
	for _, e := range in.Entities {
		stored[e.ID] = true
	}
	related := map[string]bool{}
	for e := range cx.edges {
		if stored[e[0]] && stored[e[1]] {
			in.Edges = append(in.Edges, e)
			related[e[0]], related[e[1]] = true, true
		}
	}
	for _, e := range in.Entities {
		if related[e.ID] {
			in.Related = append(in.Related, e)
		}
	}
	slices.SortFunc(in.Edges, func(a, b [2]string) int {
		return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1]))
	})
	in.Predicates = slices.Sorted(maps.Keys(cx.preds))
	if len(in.Edges) > 2000 {
		r := rand.New(rand.NewPCG(7, 11))
		r.Shuffle(len(in.Edges), func(i, j int) { in.Edges[i], in.Edges[j] = in.Edges[j], in.Edges[i] })
		in.Edges = in.Edges[:2000]
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	in.BuildTime = time.Since(start)
	return in, nil
}

// Open opens a corpus store for reading with the limits `newsgraph serve` uses.
func Open(ctx context.Context, in *Info, cfg graph.Config) (*graph.CayleyStore, error) {
	cfg.Path = in.Dir
	cfg.NoSync = true
	return graph.Open(ctx, cfg)
}
