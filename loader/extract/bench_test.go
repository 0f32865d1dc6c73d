package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusPath returns a shared corpus file: $NEWSGRAPH_DATA/corpora/name, else
// ../shared/data/corpora/name beside the repository.
func corpusPath(name string) string {
	if d := os.Getenv("NEWSGRAPH_DATA"); d != "" {
		return filepath.Join(d, "corpora", name)
	}
	return filepath.Join("..", "..", "..", "shared", "data", "corpora", name)
}

// BenchmarkExtract measures extraction with the default configuration (the
// embedded ner tagger and dependency parser on) on the FA-KES Syria corpus, one core:
//
//	go test -run '^$' -bench Extract -benchtime 3x -cpu 1 ./loader/extract
//
// It reports tokens/s (tokens as the extractor's tokenizer counts them) and
// tokens/cpu-s (over the CPU time of the whole process, garbage collection
// included: steadier than wall time when other programs share the machine), and
// skips when the corpus is absent.
func BenchmarkExtract(b *testing.B) {
	benchmarkExtract(b, DefaultConfig())
}

// BenchmarkExtractRules is BenchmarkExtract without the ner tagger (the rules
// alone), for comparison.
func BenchmarkExtractRules(b *testing.B) {
	cfg := DefaultConfig()
	cfg.NoTagger = true
	benchmarkExtract(b, cfg)
}

// BenchmarkExtractNoParser is BenchmarkExtract without the dependency parser (event
// relations from the word-adjacency rules alone): the difference is what parsing
// costs.
func BenchmarkExtractNoParser(b *testing.B) {
	cfg := DefaultConfig()
	cfg.NoParser = true
	benchmarkExtract(b, cfg)
}

func benchmarkExtract(b *testing.B, cfg Config) {
	docs := readCorpus(b, corpusPath("fakes-syria-dev.jsonl"), 0)
	x, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	tokens := 0
	var toks []token
	bytes := 0
	for _, d := range docs {
		toks = tokenize(d.Text, toks)
		tokens += len(toks)
		bytes += len(d.Text)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			if _, err := x.Extract(d); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	if cpu := cpuTime() - cpu0; cpu0 >= 0 && cpu > 0 {
		b.ReportMetric(float64(tokens)*float64(b.N)/cpu, "tokens/cpu-s")
	}
	b.ReportMetric(float64(len(docs)), "articles")
}
