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

// BenchmarkExtract measures extraction on the FA-KES Syria corpus, one core:
//
//	go test -run '^$' -bench Extract -benchtime 3x -cpu 1 ./loader/extract
//
// It reports tokens/s (tokens as the extractor's tokenizer counts them) and skips
// when the corpus is absent.
func BenchmarkExtract(b *testing.B) {
	docs := readCorpus(b, corpusPath("fakes-syria-dev.jsonl"), 0)
	x := newTestExtractor(b)
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
	for b.Loop() {
		for _, d := range docs {
			if _, err := x.Extract(d); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(float64(len(docs)), "articles")
}
