// Command ngwriter times newsgraph's writer on the shared corpora and writes the quads
// it stored as N-Quads, so that `cayley load` can be timed on exactly the same quads
// (see ../../run.sh, which runs both in one go).
//
// It extracts every article first (on all cores, not timed), then opens a fresh bolt
// store with newsgraph's defaults (fsync on every commit) and times PutArticles in
// batches of -batch articles: the writer the loader pipeline drives, planning included
// (presence checks, shared entities and events, counters) and the transaction (on
// bolt, new articles are written by the add path of graph/kvwrite.go, the rest by
// Cayley's ApplyDeltas).
// Then it dumps the store, writes it to -nq and, with -raw, also times ApplyDeltas
// applying those quads in batches of -raw-batch (no planning at all) into a fresh
// store twice: through Cayley's "bbolt" backend with its defaults, and through
// newsgraph's registration of the same layout (graph/boltkv.go) with the options
// newsgraph serve creates a store with (buckets preallocated, no bloom filters).
//
// -cache keeps the extracted articles in a JSON file, so that runs compare the writer
// on the same articles while the extractor changes; -cpuprofile and -memprofile
// profile the timed writes.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

func main() {
	data := flag.String("data", "../../../shared/data/corpora", "files or folder of articles")
	limit := flag.Int("articles", 0, "load only the first this many articles (0: all)")
	batch := flag.Int("batch", 4096, "articles per PutArticles call (one transaction; the loader pipeline commits up to 4096)")
	dir := flag.String("dir", "", "work folder for the stores (default: a new temporary folder, removed at the end)")
	nq := flag.String("nq", "", "write the stored quads to this N-Quads file")
	raw := flag.Bool("raw", false, "also time Cayley's ApplyDeltas applying the dumped quads into a fresh bolt store")
	rawBatch := flag.Int("raw-batch", 10000, "quads per ApplyDeltas call with -raw")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the timed writes to this file")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the timed writes to this file")
	extractOnly := flag.Bool("extract-only", false, "extract the articles into the -cache file and stop")
	cache := flag.String("cache", "", "read the extracted articles from this JSON file when it exists, else write them there (comparisons on the same articles while the extractor changes)")
	flag.Parse()
	if *cpuprofile != "" {
		profile = *cpuprofile
	}
	memProfile = *memprofile
	articleCache = *cache
	if *extractOnly && articleCache == "" {
		fmt.Fprintln(os.Stderr, "ngwriter: -extract-only needs -cache")
		os.Exit(2)
	}
	onlyExtract = *extractOnly
	if err := run(*data, *limit, *batch, *dir, *nq, *raw, *rawBatch); err != nil {
		fmt.Fprintln(os.Stderr, "ngwriter:", err)
		os.Exit(1)
	}
}

var (
	profile, memProfile, articleCache string
	onlyExtract                       bool
)

func run(data string, limit, batch int, dir, nqPath string, raw bool, rawBatch int) error {
	ctx := context.Background()
	if dir == "" {
		d, err := os.MkdirTemp("", "ngwriter-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	start := time.Now()
	arts, rejected, err := cachedExtract(ctx, data, limit)
	if err != nil {
		return err
	}
	fmt.Printf("extracted articles=%d rejected=%d seconds=%.1f\n", len(arts), rejected, time.Since(start).Seconds())
	if onlyExtract {
		return nil
	}

	cfg := graph.DefaultConfig()
	cfg.Path = filepath.Join(dir, "newsgraph")
	cfg.Preallocate = true // as newsgraph serve does
	s, err := graph.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	added, failed := 0, 0
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	if memProfile != "" {
		runtime.MemProfileRate = 64 << 10
		runtime.GC() // the extraction's allocations out of the figures as far as they can be
	}
	start = time.Now()
	cpu0 := cpuTime()
	n := len(arts)
	for i := 0; i < n; i += batch {
		res, err := s.PutArticles(ctx, arts[i:min(i+batch, n)])
		if err != nil {
			return err
		}
		clear(arts[i:min(i+batch, n)]) // written: let them go, as the pipeline does
		for _, r := range res {
			if r.Err != nil {
				failed++
				continue
			}
			added += r.Added
		}
	}
	el := time.Since(start)
	cpu := cpuTime() - cpu0
	if profile != "" {
		pprof.StopCPUProfile()
	}
	if memProfile != "" {
		if err := writeHeapProfile(memProfile); err != nil {
			return err
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("newsgraph_writer articles=%d failed=%d quads_added=%d store_quads=%d seconds=%.2f quads_per_s=%.0f articles_per_s=%.0f cpu_seconds=%.2f quads_per_cpu_s=%.0f batch=%d\n",
		n, failed, added, st.Quads, el.Seconds(), float64(added)/el.Seconds(), float64(n)/el.Seconds(),
		cpu.Seconds(), float64(added)/cpu.Seconds(), batch)

	if nqPath == "" && !raw {
		return nil
	}
	lines, err := s.DumpQuads(ctx)
	if err != nil {
		return err
	}
	qs := make([]quad.Quad, 0, len(lines))
	for _, l := range lines {
		q, err := parseDump(l)
		if err != nil {
			return err
		}
		qs = append(qs, q)
	}
	if nqPath != "" {
		if err := writeNQuads(nqPath, qs); err != nil {
			return err
		}
		fmt.Printf("nquads file=%s quads=%d\n", nqPath, len(qs))
	}
	if raw {
		// Cayley's bbolt backend with its defaults, then newsgraph's registration of the
		// same layout with the options newsgraph serve opens a new store with.
		if err := rawApply("cayley_applydeltas", "bbolt", filepath.Join(dir, "cayley-raw"), nil, qs, rawBatch); err != nil {
			return err
		}
		return rawApply("newsgraph_applydeltas", "newsgraph-bbolt", filepath.Join(dir, "newsgraph-raw"),
			cgraph.Options{"upfront": true, "no_bloom": true}, qs, rawBatch)
	}
	return nil
}

// extractAll reads and extracts every article in parallel, keeping input order.
func extractAll(ctx context.Context, data string, limit int) ([]*graph.Article, int, error) {
	x, err := extract.New(extract.Config{})
	if err != nil {
		return nil, 0, err
	}
	var docs []doc.Document
	rejected := 0
	stop := errors.New("enough")
	err = doc.Reader{}.Walk(ctx, []string{data}, func(it doc.Item) error {
		if limit > 0 && len(docs)+rejected >= limit {
			return stop
		}
		if it.Err != nil {
			rejected++
			return nil
		}
		docs = append(docs, it.Doc)
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		return nil, 0, err
	}
	arts := make([]*graph.Article, len(docs))
	errs := make([]error, len(docs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				arts[i], errs[i] = x.Extract(docs[i])
			}
		}()
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	out := arts[:0]
	for i, a := range arts {
		if errs[i] != nil {
			rejected++
			continue
		}
		out = append(out, a)
	}
	return out, rejected, nil
}

// parseDump turns a line of graph.DumpQuads ("<kind><value> <kind><value> <kind><value>",
// kinds i IRI, s string, n int, f float, t time) back into a quad. Subjects and
// predicates are IRIs without spaces; the object is the rest of the line.
func parseDump(l string) (quad.Quad, error) {
	s, rest, ok1 := strings.Cut(l, " ")
	p, o, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 {
		return quad.Quad{}, fmt.Errorf("malformed dump line %q", l)
	}
	var q quad.Quad
	for i, part := range []string{s, p, o} {
		v, err := parseValue(part)
		if err != nil {
			return quad.Quad{}, fmt.Errorf("dump line %q: %w", l, err)
		}
		switch i {
		case 0:
			q.Subject = v
		case 1:
			q.Predicate = v
		default:
			q.Object = v
		}
	}
	return q, nil
}

func parseValue(s string) (quad.Value, error) {
	if s == "" {
		return nil, errors.New("empty value")
	}
	k, v := s[0], s[1:]
	switch k {
	case 'i':
		return quad.IRI(v), nil
	case 's':
		return quad.String(v), nil
	case 'n':
		n, err := strconv.ParseInt(v, 10, 64)
		return quad.Int(n), err
	case 'f':
		f, err := strconv.ParseFloat(v, 64)
		return quad.Float(f), err
	case 't':
		t, err := time.Parse(time.RFC3339Nano, v)
		return quad.Time(t), err
	}
	return nil, fmt.Errorf("unknown value kind %q", k)
}

func writeNQuads(path string, qs []quad.Quad) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := nquads.NewWriter(bw)
	if _, err := w.WriteQuads(qs); err != nil {
		f.Close()
		return err
	}
	if err := w.Close(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// rawApply times ApplyDeltas (IgnoreDup) writing qs into a fresh store of the given
// Cayley backend.
func rawApply(label, backend, path string, opts cgraph.Options, qs []quad.Quad, batch int) error {
	if err := cgraph.InitQuadStore(backend, path, opts); err != nil {
		return err
	}
	store, err := cgraph.NewQuadStore(backend, path, opts)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	cpu0 := cpuTime()
	ds := make([]cgraph.Delta, 0, batch)
	for i := 0; i < len(qs); i += batch {
		ds = ds[:0]
		for _, q := range qs[i:min(i+batch, len(qs))] {
			ds = append(ds, cgraph.Delta{Quad: q, Action: cgraph.Add})
		}
		if err := store.ApplyDeltas(ds, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
			return err
		}
	}
	el, cpu := time.Since(start), cpuTime()-cpu0
	fmt.Printf("%s backend=%s quads=%d seconds=%.2f quads_per_s=%.0f cpu_seconds=%.2f quads_per_cpu_s=%.0f batch=%d\n",
		label, backend, len(qs), el.Seconds(), float64(len(qs))/el.Seconds(), cpu.Seconds(), float64(len(qs))/cpu.Seconds(), batch)
	return nil
}

// cpuTime is the CPU time (user and system) the process used so far: steadier than
// wall time on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeHeapProfile writes the allocation profile (alloc_space: every allocation since
// the profile rate was set, most of them by the timed writes).
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cachedExtract is extractAll, through the -cache file when one is given.
func cachedExtract(ctx context.Context, data string, limit int) ([]*graph.Article, int, error) {
	if articleCache == "" {
		return extractAll(ctx, data, limit)
	}
	type cached struct {
		Data     string
		Limit    int
		Rejected int
		Articles []*graph.Article
	}
	if b, err := os.ReadFile(articleCache); err == nil {
		var c cached
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", articleCache, err)
		}
		if c.Data != data || c.Limit != limit {
			return nil, 0, fmt.Errorf("%s holds the articles of %s (limit %d), not %s (limit %d)", articleCache, c.Data, c.Limit, data, limit)
		}
		return c.Articles, c.Rejected, nil
	}
	arts, rejected, err := extractAll(ctx, data, limit)
	if err != nil {
		return nil, 0, err
	}
	b, err := json.Marshal(cached{Data: data, Limit: limit, Rejected: rejected, Articles: arts})
	if err != nil {
		return nil, 0, err
	}
	return arts, rejected, os.WriteFile(articleCache, b, 0o644)
}
