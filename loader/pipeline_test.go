package loader_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

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
