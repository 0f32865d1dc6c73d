package depparse

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse tags and parses all of UD English EWT dev (gold words) per
// iteration and reports tokens/s of wall time and, where measurable,
// tokens/cpu-s (process CPU time, less sensitive to other processes on a
// busy machine). Run it with -cpu 1 for the one-core figure; DEPPARSE_MODEL=file
// measures that model file instead of the embedded one.
func BenchmarkParse(b *testing.B) {
	path := filepath.Join("..", "..", "..", "shared", "data", "ud-english", "en_ewt-ud-dev.conllu")
	f, err := os.Open(path)
	if err != nil {
		b.Skipf("../shared/data/ud-english absent (%v)", err)
	}
	sents, err := ReadCoNLLU(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	p, err := Load()
	if path := os.Getenv("DEPPARSE_MODEL"); path != "" { // a model file to measure instead
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		p, err = ReadModel(f)
		f.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	words := make([][]string, len(sents))
	n := 0
	for i, s := range sents {
		words[i] = s.Words()
		n += len(words[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, w := range words {
			p.Parse(w)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	if cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "tokens/cpu-s")
	}
}
