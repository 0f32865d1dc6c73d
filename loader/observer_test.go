package loader_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

func extractorOf(t *testing.T) loader.Extractor {
	t.Helper()
	x, err := extract.New(extract.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// batchRecorder is a loader.Observer keeping what it is told.
type batchRecorder struct {
	mu      sync.Mutex
	batches []loader.BatchStats
}

func (r *batchRecorder) Batch(b loader.BatchStats) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, b)
}

// total adds up the batches' summaries.
func (r *batchRecorder) total() (s loader.Summary, written, failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.batches {
		s.Stored += b.Summary.Stored
		s.Replaced += b.Summary.Replaced
		s.Unchanged += b.Summary.Unchanged
		s.Rejected += b.Summary.Rejected
		s.Statements += b.Summary.Statements
		s.Entities += b.Summary.Entities
		s.QuadsAdded += b.Summary.QuadsAdded
		s.QuadsRemoved += b.Summary.QuadsRemoved
		written += b.Written
		if b.Failed {
			failed++
		}
		if b.Written > 0 && b.Commit <= 0 {
			s.Elapsed = -1 // a written batch without its commit time
		}
	}
	return s, written, failed
}

// TestObserverSeesEveryBatch: the batches an Observer is told of add up to the run's
// summary, rejected articles included; a batch the store refused is Failed.
func TestObserverSeesEveryBatch(t *testing.T) {
	lines := []string{
		`{"id":"a1","published":"2016-10-01","text":"Russian warplanes bombed Aleppo on Saturday, the Syrian Observatory said."}`,
		`{"id":"a2","text":""}`,
		`{"id":"a3","published":"2016-10-02","text":"US Secretary of State John Kerry met Russian Foreign Minister Sergei Lavrov in Geneva."}`,
		`{"id":"a1","published":"2016-10-01","text":"Russian warplanes bombed Aleppo on Saturday, the Syrian Observatory said."}`,
		`{"id":"a3","published":"2016-10-02","text":"John Kerry met Sergei Lavrov in Geneva on Sunday."}`,
	}
	s := openStore(t)
	rec := &batchRecorder{}
	p2, err := loader.New(s, extractorOf(t), loader.Config{Workers: 2, BatchArticles: 2, Observer: rec})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := p2.Run(context.Background(), walk(doc.Reader{Stdin: strings.NewReader(strings.Join(lines, "\n"))}, "-"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, written, failed := rec.total()
	sum.Elapsed = 0
	if got != sum || written != 4 || failed != 0 || len(rec.batches) < 2 {
		t.Errorf("batches add up to %+v (written %d, failed %d, %d batches), want %+v (written 4)", got, written, failed, len(rec.batches), sum)
	}
	if sum.Stored != 2 || sum.Unchanged != 1 || sum.Replaced != 1 || sum.Rejected != 1 || sum.QuadsRemoved == 0 {
		t.Errorf("summary %+v", sum)
	}

	rec = &batchRecorder{}
	pf, err := loader.New(failingWriter{}, extractorOf(t), loader.Config{Workers: 2, BatchArticles: 10, Observer: rec})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pf.Run(context.Background(), walk(doc.Reader{Stdin: strings.NewReader(lines[0])}, "-"), nil); err != nil {
		t.Fatal(err)
	}
	if got, written, failed := rec.total(); got.Rejected != 1 || written != 1 || failed != 1 {
		t.Errorf("refused batch: %+v, written %d, failed %d; want 1 rejected, written and failed", got, written, failed)
	}
}
