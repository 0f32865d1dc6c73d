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
	Workers       int          // extraction goroutines; 0: GOMAXPROCS
	BatchArticles int          // articles per store transaction at most; 0: 64
	Logger        *slog.Logger // nil: no logging
}

// DefaultConfig returns the configuration used when fields are zero.
func DefaultConfig() Config {
	return Config{Workers: runtime.GOMAXPROCS(0), BatchArticles: 64}
}

// Validate reports a configuration error naming the field.
func (c Config) Validate() error {
	if c.Workers < 0 {
		return fmt.Errorf("loader config: Workers is %d, want >= 0", c.Workers)
	}
	if c.BatchArticles < 0 {
		return fmt.Errorf("loader config: BatchArticles is %d, want >= 0", c.BatchArticles)
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

	var srcErr error
	srcDone := make(chan struct{})
	go func() {
		defer close(srcDone)
		defer close(jobs)
		seq := 0
		srcErr = src(ctx, func(it doc.Item) error {
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

	var sum Summary
	report := func(r Result) {
		sum.add(r)
		if onResult != nil {
			onResult(r)
		}
	}
	var batch []extracted
	ids := map[string]bool{}
	var writeErr error
	flush := func() {
		if len(batch) == 0 || writeErr != nil {
			return
		}
		writeErr = p.write(ctx, batch, report)
		batch = batch[:0]
		clear(ids)
	}
	for {
		var e extracted
		var ok bool
		select {
		case e, ok = <-done:
		default:
			flush() // nothing ready: commit what we have rather than wait
			e, ok = <-done
		}
		if !ok {
			break
		}
		if e.err != nil {
			report(resultOf(e))
			continue
		}
		if ids[e.art.ID] {
			flush() // the same article twice in one batch: commit the first one first
		}
		batch = append(batch, e)
		ids[e.art.ID] = true
		if len(batch) >= p.cfg.BatchArticles {
			flush()
		}
		if writeErr != nil {
			cancel()
		}
	}
	flush()
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

// write commits one batch. A store error for the batch rejects its articles with the
// store's reason; the run goes on unless ctx is done.
func (p *Pipeline) write(ctx context.Context, batch []extracted, report func(Result)) error {
	arts := make([]*graph.Article, len(batch))
	for i, e := range batch {
		arts[i] = e.art
	}
	res, err := p.w.PutArticles(ctx, arts)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.log.Error("store rejected a batch", "articles", len(batch), "err", err)
		for _, e := range batch {
			e.err = fmt.Errorf("%s: store: %w", e.item.Doc.Origin, err)
			report(resultOf(e))
		}
		return nil
	}
	if len(res) != len(batch) {
		return fmt.Errorf("store returned %d results for %d articles", len(res), len(batch))
	}
	for i, e := range batch {
		if res[i].Err != nil {
			e.err = fmt.Errorf("%s: %w", e.item.Doc.Origin, res[i].Err)
			report(resultOf(e))
			continue
		}
		r := resultOf(e)
		r.Status, r.Added, r.Removed = res[i].Status, res[i].Added, res[i].Removed
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
