package loader_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

func openStore(t *testing.T) *graph.CayleyStore {
	t.Helper()
	cfg := graph.DefaultConfig()
	cfg.Backend = graph.BackendBolt
	cfg.Path = filepath.Join(t.TempDir(), "store")
	s, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newPipeline(t *testing.T, s graph.Store, batch int) *loader.Pipeline {
	t.Helper()
	x, err := extract.New(extract.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	p, err := loader.New(s, x, loader.Config{Workers: 2, BatchArticles: batch})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// walk is a Source reading paths with doc.Reader.
func walk(r doc.Reader, paths ...string) loader.Source {
	return func(ctx context.Context, yield func(doc.Item) error) error {
		return r.Walk(ctx, paths, yield)
	}
}

func TestPipelineExample(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	p := newPipeline(t, s, 8)
	example := "../examples/articles"

	var results []loader.Result
	sum, err := p.Run(ctx, walk(doc.Reader{}, example), func(r loader.Result) { results = append(results, r) })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stored != 1 || sum.Rejected != 0 || len(results) != 1 {
		t.Fatalf("first load: summary %+v, results %+v", sum, results)
	}
	if results[0].Statements == 0 || results[0].Entities == 0 || results[0].Added == 0 {
		t.Fatalf("first load stored nothing: %+v", results[0])
	}
	st1, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// The same article again changes nothing.
	sum, err = p.Run(ctx, walk(doc.Reader{}, example), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != 1 || sum.QuadsAdded != 0 || sum.QuadsRemoved != 0 {
		t.Fatalf("second load: %+v, want 1 unchanged and no quads written", sum)
	}
	st2, _ := s.Stats(ctx)
	if st1 != st2 {
		t.Fatalf("stats changed on an unchanged reload: %+v → %+v", st1, st2)
	}
	t.Logf("example: %d quads, %d entities, %d relations, %d statements", st1.Quads, st1.Entities, st1.Relations, st1.Statements)
}

func TestPipelineRejectsBadArticlesAndKeepsGoing(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	p := newPipeline(t, s, 2)
	lines := []string{
		`{"id":"a1","published":"2016-10-01","text":"Russian warplanes bombed Aleppo on Saturday, the Syrian Observatory said."}`,
		`{"id":"a2","text":""}`,
		`not json`,
		`{"id":"a3","published":"2016-10-02","text":"US Secretary of State John Kerry met Russian Foreign Minister Sergei Lavrov in Geneva."}`,
		"{\"id\":\"a4\",\"text\":\"bad \xff utf8\"}",
		`{"id":"a1","published":"2016-10-01","text":"Russian warplanes bombed Aleppo on Saturday, the Syrian Observatory said."}`,
	}
	r := doc.Reader{Stdin: strings.NewReader(strings.Join(lines, "\n"))}
	byOrigin := map[string]loader.Result{}
	sum, err := p.Run(ctx, walk(r, "-"), func(res loader.Result) { byOrigin[res.Origin] = res })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 3 || sum.Stored != 2 || sum.Unchanged != 1 {
		t.Fatalf("summary %+v, want 2 stored, 1 unchanged, 3 rejected", sum)
	}
	for origin, want := range map[string]string{
		"stdin:2": "text is empty",
		"stdin:3": "malformed JSON",
		"stdin:5": "not valid UTF-8",
	} {
		got := byOrigin[origin]
		if got.Err == nil || !strings.Contains(got.Err.Error(), want) || !strings.Contains(got.Err.Error(), origin) {
			t.Errorf("%s: err = %v, want one naming %s and %q", origin, got.Err, origin, want)
		}
	}
	st, _ := s.Stats(ctx)
	if st.Articles != 2 {
		t.Errorf("stored articles = %d, want 2", st.Articles)
	}
}

// failingWriter fails every batch: the pipeline must reject those articles, report each
// once, and never report them stored.
type failingWriter struct{}

func (failingWriter) PutArticles(context.Context, []*graph.Article) ([]graph.PutResult, error) {
	return nil, errors.New("disk full")
}

func TestPipelineStoreFailureRejects(t *testing.T) {
	x, err := extract.New(extract.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	p, err := loader.New(failingWriter{}, x, loader.Config{Workers: 2, BatchArticles: 3})
	if err != nil {
		t.Fatal(err)
	}
	var in []string
	for i := range 7 {
		in = append(in, fmt.Sprintf(`{"id":"a%d","text":"Syrian troops seized Palmyra."}`, i))
	}
	n := 0
	sum, err := p.Run(context.Background(), walk(doc.Reader{Stdin: strings.NewReader(strings.Join(in, "\n"))}, "-"), func(r loader.Result) {
		n++
		if r.Err == nil || !strings.Contains(r.Err.Error(), "disk full") {
			t.Errorf("%s: err = %v, want the store's reason", r.Origin, r.Err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 || sum.Rejected != 7 {
		t.Fatalf("results %d, summary %+v; want 7 rejected", n, sum)
	}
}

// stubExtractor turns a document into an article of its id without extraction.
type stubExtractor struct{}

func (stubExtractor) Extract(d doc.Document) (*graph.Article, error) {
	return &graph.Article{ID: d.ID, Hash: d.Text}, nil
}

// recordingWriter records the ids of every batch and is slow on its first batch, as a
// store is while the extractors race ahead.
type recordingWriter struct {
	mu      sync.Mutex
	batches [][]string
	gate    chan struct{} // closed: the first batch may finish
}

func (w *recordingWriter) PutArticles(ctx context.Context, as []*graph.Article) ([]graph.PutResult, error) {
	w.mu.Lock()
	first := len(w.batches) == 0
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	w.batches = append(w.batches, ids)
	w.mu.Unlock()
	if first {
		<-w.gate
	}
	res := make([]graph.PutResult, len(as))
	for i, a := range as {
		res[i] = graph.PutResult{ArticleID: a.ID, Status: graph.Stored}
	}
	return res, nil
}

// TestPipelineBatchesGrowWhileWriterBusy: while the writer commits, the collector
// gathers what the extractors produce and hands it over in one batch, never more than
// BatchArticles, never one id twice; every article is acknowledged once, after its
// batch, and an article read with an error is reported in commit order too.
func TestPipelineBatchesGrowWhileWriterBusy(t *testing.T) {
	const n, maxBatch = 200, 64
	w := &recordingWriter{gate: make(chan struct{})}
	p, err := loader.New(w, stubExtractor{}, loader.Config{Workers: 2, BatchArticles: maxBatch})
	if err != nil {
		t.Fatal(err)
	}
	src := func(ctx context.Context, yield func(doc.Item) error) error {
		for i := range n {
			id := fmt.Sprintf("a%d", i%150) // ids 0–49 come twice
			it := doc.Item{Doc: doc.Document{ID: id, Origin: fmt.Sprintf("in:%d", i), Text: fmt.Sprint(i)}}
			if i == 7 {
				it.Err = errors.New("in:7: unreadable")
			}
			if err := yield(it); err != nil {
				return err
			}
			if i == 0 {
				// Let the first article reach the writer alone, then release it once
				// the rest is waiting.
				time.AfterFunc(200*time.Millisecond, func() { close(w.gate) })
			}
		}
		return nil
	}
	seen := map[int]int{}
	sum, err := p.Run(context.Background(), src, func(r loader.Result) { seen[r.Seq]++ })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stored != n-1 || sum.Rejected != 1 || len(seen) != n {
		t.Fatalf("summary %+v, %d distinct results; want %d stored, 1 rejected", sum, len(seen), n-1)
	}
	for seq, c := range seen {
		if c != 1 {
			t.Errorf("article %d reported %d times", seq, c)
		}
	}
	biggest := 0
	for i, b := range w.batches {
		if len(b) > maxBatch {
			t.Errorf("batch %d has %d articles, want at most %d", i, len(b), maxBatch)
		}
		ids := map[string]bool{}
		for _, id := range b {
			if ids[id] {
				t.Errorf("batch %d holds %s twice", i, id)
			}
			ids[id] = true
		}
		biggest = max(biggest, len(b))
	}
	if biggest < maxBatch/2 {
		t.Errorf("largest batch %d articles (batches %d); want the collector to gather while the writer is busy", biggest, len(w.batches))
	}
}

// TestPipelineKeepsInputOrder: workers finish out of order, but articles are committed
// and reported in input order, so the later of two texts with one id wins.
func TestPipelineKeepsInputOrder(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	p := newPipeline(t, s, 4)
	var lines []string
	for i := range 40 {
		// long and short articles alternate so that workers overtake each other
		text := "Syrian troops seized Palmyra."
		if i%2 == 0 {
			text = strings.Repeat("Russian warplanes bombed Aleppo, the Syrian Observatory said. ", 40)
		}
		lines = append(lines, fmt.Sprintf(`{"id":"a%d","text":%q}`, i%10, fmt.Sprintf("%s (version %d)", text, i)))
	}
	var seqs []int
	_, err := p.Run(ctx, walk(doc.Reader{Stdin: strings.NewReader(strings.Join(lines, "\n"))}, "-"), func(r loader.Result) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Origin, r.Err)
		}
		seqs = append(seqs, r.Seq)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range seqs {
		if q != i {
			t.Fatalf("results in order %v, want input order", seqs)
		}
	}
	x, err := extract.New(extract.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for id := range 10 {
		last := 30 + id // the last line with this id
		d, err := doc.ParseJSON("want", []byte(lines[last]))
		if err != nil {
			t.Fatal(err)
		}
		want, err := x.Extract(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Article(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Hash != want.Hash {
			t.Errorf("article %s: stored hash %s, want the last version's %s", want.ID, got.Hash, want.Hash)
		}
	}
}

// slowFirstExtractor holds the first article until release is closed and counts the
// others.
type slowFirstExtractor struct {
	release chan struct{}
	n       *int64
}

func (x slowFirstExtractor) Extract(d doc.Document) (*graph.Article, error) {
	if d.ID == "a0" {
		<-x.release
	} else {
		atomic.AddInt64(x.n, 1)
	}
	return &graph.Article{ID: d.ID, Hash: d.Text}, nil
}

// TestPipelineSlowArticleBoundsMemory: while one slow article holds the input order
// back, the others stop being read after a bounded number, and all are committed in
// input order once it is done.
func TestPipelineSlowArticleBoundsMemory(t *testing.T) {
	const n = 2000
	var count, held int64
	x := slowFirstExtractor{release: make(chan struct{}), n: &count}
	w := &recordingWriter{gate: make(chan struct{})}
	close(w.gate)
	p, err := loader.New(w, x, loader.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(300*time.Millisecond, func() {
		atomic.StoreInt64(&held, atomic.LoadInt64(&count))
		close(x.release)
	})
	var seqs []int
	src := func(ctx context.Context, yield func(doc.Item) error) error {
		for i := range n {
			if err := yield(doc.Item{Doc: doc.Document{ID: fmt.Sprintf("a%d", i), Text: "t"}}); err != nil {
				return err
			}
		}
		return nil
	}
	sum, err := p.Run(context.Background(), src, func(r loader.Result) { seqs = append(seqs, r.Seq) })
	if err != nil || sum.Stored != n {
		t.Fatalf("summary %+v, %v", sum, err)
	}
	for i, s := range seqs {
		if s != i {
			t.Fatalf("result %d has seq %d: not in input order", i, s)
		}
	}
	if got := atomic.LoadInt64(&held); got >= n/2 {
		t.Errorf("%d articles extracted while the first was held back, want a bound well below %d", got, n)
	}
}
