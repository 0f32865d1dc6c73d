// Package loader turns articles into stored facts: a bounded pipeline that reads
// documents (package loader/doc), extracts entities and relations in parallel on all
// cores (an Extractor, see loader/extract), and hands them to one writer that commits
// several articles per store transaction. Each article is stored whole or not at all and
// is acknowledged (its Result reported) only after its transaction committed.
package loader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
)

// Extractor turns one document into the facts to store. Implementations must be safe
// for concurrent use and deterministic: the same document always gives the same Article.
type Extractor interface {
	Extract(d doc.Document) (*graph.Article, error)
}

// Writer is the part of graph.Store the pipeline writes through.
type Writer interface {
	PutArticles(ctx context.Context, articles []*graph.Article) ([]graph.PutResult, error)
}

// Config tunes a Pipeline. The zero value is usable: see DefaultConfig.
type Config struct {
	Workers       int // extraction goroutines; 0: GOMAXPROCS
	BatchArticles int // articles per store transaction at most; 0: 4096
	// BatchQuads caps the quads one transaction may write (estimated from the
	// extracted facts before writing); 0: 200,000. An article larger than the cap
	// still gets a transaction of its own.
	BatchQuads int
	Logger     *slog.Logger // nil: no logging
	// Observer, when not nil, is told of every batch the writer handled: for metrics.
	Observer Observer
}

// Observer is told what a pipeline's writer did, one batch at a time. Batch is called
// from the writer's goroutine after the batch's results were reported, so it must be
// quick; it may be called from several pipelines at once.
type Observer interface {
	Batch(BatchStats)
}

// BatchStats is what one batch did.
type BatchStats struct {
	// Summary counts the batch's articles: rejected ones include those that failed
	// before the store (unreadable, extraction failed). Its Elapsed is Commit.
	Summary Summary
	// Written is the number of articles handed to the store in one PutArticles call,
	// Commit the time it took (0 when Written is 0).
	Written int
	Commit  time.Duration
	// Failed is set when the store refused the batch (its articles are rejected).
	Failed bool
}

// DefaultConfig returns the configuration used when fields are zero.
//
// Batches are not filled to these caps: the writer takes whatever was extracted while
// it committed the previous batch, so a fast store gets small batches (low latency)
// and a slow one large batches (fewer, cheaper transactions). The caps bound memory
// and the work lost when a transaction fails and is retried article by article.
func DefaultConfig() Config {
	return Config{Workers: runtime.GOMAXPROCS(0), BatchArticles: 4096, BatchQuads: 200_000}
}

// Validate reports a configuration error naming the field.
func (c Config) Validate() error {
	if c.Workers < 0 {
		return fmt.Errorf("loader config: Workers is %d, want >= 0", c.Workers)
	}
	if c.BatchArticles < 0 {
		return fmt.Errorf("loader config: BatchArticles is %d, want >= 0", c.BatchArticles)
	}
	if c.BatchQuads < 0 {
		return fmt.Errorf("loader config: BatchQuads is %d, want >= 0", c.BatchQuads)
	}
	return nil
}

// Result is the outcome of one article.
type Result struct {
	Seq        int    // position of the article in the input, from 0
	ID         string // article id ("" when it could not be read)
	Origin     string // where the article was read from: "file", "file:line", "stdin:3"
	Status     graph.PutStatus
	Err        error // non-nil: rejected, nothing stored; the message says why and where
	Entities   int   // entities extracted
	Statements int   // statements extracted
	Added      int   // quads added
	Removed    int   // quads removed
}

// Rejected reports whether the article was rejected.
func (r Result) Rejected() bool { return r.Err != nil }

// Summary counts what a run did.
type Summary struct {
	Stored, Replaced, Unchanged, Rejected int
	Entities, Statements                  int // extracted from stored, replaced or unchanged articles
	QuadsAdded, QuadsRemoved              int
	Elapsed                               time.Duration
}

// Articles returns the number of articles the run saw.
func (s Summary) Articles() int { return s.Stored + s.Replaced + s.Unchanged + s.Rejected }

func (s *Summary) add(r Result) {
	if r.Err != nil {
		s.Rejected++
		return
	}
	switch r.Status {
	case graph.Stored:
		s.Stored++
	case graph.Replaced:
		s.Replaced++
	case graph.Unchanged:
		s.Unchanged++
	}
	s.Entities += r.Entities
	s.Statements += r.Statements
	s.QuadsAdded += r.Added
	s.QuadsRemoved += r.Removed
}

// Source pushes documents into a run by calling yield once per item, stopping when
// yield returns an error (and returning it). doc.Reader.Walk fits:
//
//	func(ctx context.Context, yield func(doc.Item) error) error { return r.Walk(ctx, paths, yield) }
type Source func(ctx context.Context, yield func(doc.Item) error) error

// Pipeline loads documents into a store.
type Pipeline struct {
	w   Writer
	x   Extractor
	cfg Config
	log *slog.Logger
}

// New returns a pipeline writing through w with extractor x.
func New(w Writer, x Extractor, cfg Config) (*Pipeline, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d := DefaultConfig()
	if cfg.Workers == 0 {
		cfg.Workers = d.Workers
	}
	if cfg.BatchArticles == 0 {
		cfg.BatchArticles = d.BatchArticles
	}
	if cfg.BatchQuads == 0 {
		cfg.BatchQuads = d.BatchQuads
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{w: w, x: x, cfg: cfg, log: log}, nil
}

type extracted struct {
	seq  int
	item doc.Item
	art  *graph.Article
	err  error
}

// Run reads every item of src, extracts in parallel, writes in batches and calls
// onResult (from one goroutine, in commit order) once per article after its fate is
// sealed. It returns when src is exhausted and everything is written, or with the
// first error of src, of the store, or of ctx; articles acknowledged before stay stored.
//
// Four stages run at once: the source, the extraction workers, a collector and the
// writer. The collector gathers extracted articles while the writer commits and hands
// it everything gathered as soon as it is free, up to BatchArticles articles or
// BatchQuads estimated quads; at the cap it stops taking articles, so the workers and
// the source wait (memory stays bounded). An article whose id is already in the
// gathered batch waits for the next one, so a batch never holds one id twice.
func (p *Pipeline) Run(ctx context.Context, src Source, onResult func(Result)) (Summary, error) {
	start := time.Now()
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		seq  int
		item doc.Item
	}
	jobs := make(chan job, p.cfg.Workers*4)
	done := make(chan extracted, p.cfg.Workers*4)
	// inflight bounds the articles between the source and the reorder stage: while one
	// slow article holds the order back, the others wait in the reorder stage, at most
	// this many.
	inflight := make(chan struct{}, p.cfg.Workers*64)

	var srcErr error
	srcDone := make(chan struct{})
	go func() {
		defer close(srcDone)
		defer close(jobs)
		seq := 0
		srcErr = src(ctx, func(it doc.Item) error {
			select {
			case inflight <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- job{seq, it}:
				seq++
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()

	var wg sync.WaitGroup
	for range p.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				e := extracted{seq: j.seq, item: j.item, err: j.item.Err}
				if e.err == nil {
					e.art, e.err = p.extract(j.item.Doc)
				}
				select {
				case done <- e:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	// Workers finish out of order; hand articles on in input order, so that the same id
	// twice in one run is committed in the order it was read (the later text wins) and
	// results come back in input order.
	ordered := make(chan extracted, p.cfg.Workers*4)
	go func() {
		defer close(ordered)
		next := 0
		waiting := map[int]extracted{}
		for e := range done {
			waiting[e.seq] = e
			for w, ok := waiting[next]; ok; w, ok = waiting[next] {
				delete(waiting, next)
				select {
				case ordered <- w:
				case <-ctx.Done():
					return
				}
				<-inflight
				next++
			}
		}
	}()

	// The writer: one batch at a time, results reported from this goroutine only.
	var sum Summary
	report := func(r Result) {
		sum.add(r)
		if onResult != nil {
			onResult(r)
		}
	}
	batches := make(chan []extracted) // unbuffered: handed over only when the writer is free
	var writeErr error
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for b := range batches {
			if writeErr != nil {
				continue // the run is over: drain without acknowledging
			}
			if writeErr = p.write(ctx, b, report); writeErr != nil {
				cancel()
			}
		}
	}()

	// The collector.
	var (
		pending       []extracted
		arts, quads   int
		ids           = map[string]bool{}
		held          []extracted // articles whose id is pending already; at most one
		in            = ordered
		maxArts, maxQ = p.cfg.BatchArticles, p.cfg.BatchQuads
	)
	add := func(e extracted) {
		if e.err == nil {
			if ids[e.art.ID] {
				held = append(held, e)
				return
			}
			ids[e.art.ID] = true
			arts++
			quads += estimateQuads(e.art)
		}
		pending = append(pending, e)
	}
	for in != nil || len(pending) > 0 {
		var recv <-chan extracted
		if in != nil && len(held) == 0 && arts < maxArts && quads < maxQ {
			recv = in
		}
		var out chan<- []extracted
		if len(pending) > 0 {
			out = batches
		}
		select {
		case e, ok := <-recv:
			if !ok {
				in = nil
				continue
			}
			add(e)
		case out <- pending:
			pending, arts, quads = nil, 0, 0
			clear(ids)
			h := held
			held = nil
			for _, e := range h {
				add(e)
			}
		}
	}
	close(batches)
	<-writerDone
	cancel()
	<-srcDone
	sum.Elapsed = time.Since(start)
	if writeErr != nil {
		return sum, writeErr
	}
	if srcErr != nil && !(errors.Is(srcErr, context.Canceled) && parent.Err() == nil) {
		return sum, srcErr
	}
	return sum, parent.Err()
}

// estimateQuads guesses the quads an article writes from its extracted facts (see
// graph/doc.go: about 8 on its node, 2 per entity plus 1 per alias for its links, 3
// per new entity, 7–9 per statement and up to 5 for its edge and event), to bound a
// batch before the store plans it.
func estimateQuads(a *graph.Article) int {
	n := 8
	for _, e := range a.Entities {
		n += 5 + 2*len(e.Aliases)
	}
	return n + 14*len(a.Statements)
}

// extract runs the extractor, turning a panic into a rejection of that article.
func (p *Pipeline) extract(d doc.Document) (art *graph.Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: extraction failed: %v", d.Origin, r)
		}
	}()
	art, err = p.x.Extract(d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Origin, err)
	}
	return art, nil
}

// write commits one batch and reports each of its articles; items that failed before
// (unreadable, extraction failed) are reported as they are. A store error for the
// batch rejects its articles with the store's reason; the run goes on unless ctx is
// done.
func (p *Pipeline) write(ctx context.Context, batch []extracted, report func(Result)) error {
	var arts []*graph.Article
	for _, e := range batch {
		if e.err == nil {
			arts = append(arts, e.art)
		}
	}
	var res []graph.PutResult
	var err error
	var took time.Duration
	if len(arts) > 0 {
		start := time.Now()
		res, err = p.w.PutArticles(ctx, arts)
		took = time.Since(start)
	}
	if p.cfg.Observer != nil && (err == nil || ctx.Err() == nil) {
		bs := BatchStats{Written: len(arts), Commit: took, Failed: err != nil}
		bs.Summary.Elapsed = took
		next := report
		report = func(r Result) {
			bs.Summary.add(r)
			next(r)
		}
		defer func() { p.cfg.Observer.Batch(bs) }()
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.log.Error("store rejected a batch", "articles", len(arts), "err", err)
		for _, e := range batch {
			if e.err == nil {
				e.err = fmt.Errorf("%s: store: %w", e.item.Doc.Origin, err)
			}
			report(resultOf(e))
		}
		return nil
	}
	if len(res) != len(arts) {
		return fmt.Errorf("store returned %d results for %d articles", len(res), len(arts))
	}
	j := 0
	for _, e := range batch {
		if e.err != nil {
			report(resultOf(e))
			continue
		}
		pr := res[j]
		j++
		if pr.Err != nil {
			e.err = fmt.Errorf("%s: %w", e.item.Doc.Origin, pr.Err)
			report(resultOf(e))
			continue
		}
		r := resultOf(e)
		r.Status, r.Added, r.Removed = pr.Status, pr.Added, pr.Removed
		report(r)
	}
	return nil
}

func resultOf(e extracted) Result {
	r := Result{Seq: e.seq, ID: e.item.Doc.ID, Origin: e.item.Doc.Origin, Err: e.err}
	if e.art != nil {
		r.ID = e.art.ID
		r.Entities = len(e.art.Entities)
		r.Statements = len(e.art.Statements)
	}
	return r
}
