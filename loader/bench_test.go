package loader_test

// BenchmarkLoadCorpus loads the first N articles of the shared corpora end to end (read
// JSON Lines, extract on all cores, write to a fresh bolt store with fsync, as
// `newsgraph serve --load` does) and reports articles/s, quads/s and the peak heap:
//
//	go test ./loader -run '^$' -bench LoadCorpus -benchtime 1x
//	go test ./loader -run '^$' -bench 'LoadCorpus/articles=1000' -benchtime 1x -cpuprofile cpu.out
//
// It skips, naming the path, when ../shared/data/corpora is absent. The machine is
// shared: note the load average (uptime) next to any figure taken from it.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

// corporaDir is where the shared corpora live, relative to this package.
const corporaDir = "../../shared/data/corpora"

var errEnough = errors.New("enough articles")

// firstN is a Source reading at most n items of paths.
func firstN(paths []string, n int) loader.Source {
	return func(ctx context.Context, yield func(doc.Item) error) error {
		seen := 0
		err := doc.Reader{}.Walk(ctx, paths, func(it doc.Item) error {
			if seen >= n {
				return errEnough
			}
			seen++
			return yield(it)
		})
		if errors.Is(err, errEnough) {
			return nil
		}
		return err
	}
}

// heapPeak samples the live heap until stop is called and returns the largest value.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

func BenchmarkLoadCorpus(b *testing.B) {
	if _, err := os.Stat(corporaDir); err != nil {
		b.Skipf("corpora not found at %s (../shared/data/corpora beside the repository): %v", corporaDir, err)
	}
	x, err := extract.New(extract.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 5000, 20000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			var articles, quads int
			var peak uint64
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				cfg := graph.DefaultConfig()
				cfg.Path = filepath.Join(b.TempDir(), "store")
				cfg.Preallocate = true // as newsgraph serve does
				s, err := graph.Open(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				p, err := loader.New(s, x, loader.Config{})
				if err != nil {
					b.Fatal(err)
				}
				stop := heapPeak()
				b.StartTimer()
				start := time.Now()
				sum, err := p.Run(context.Background(), firstN([]string{corporaDir}, n), nil)
				elapsed += time.Since(start)
				b.StopTimer()
				peak = max(peak, stop())
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				articles += sum.Articles()
				quads += sum.QuadsAdded
				b.StartTimer()
			}
			b.ReportMetric(float64(articles)/elapsed.Seconds(), "articles/s")
			b.ReportMetric(float64(quads)/elapsed.Seconds(), "quads/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
