package relclass

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func dataPath(tb testing.TB, name string) string {
	d := os.Getenv("NEWSGRAPH_DATA")
	if d == "" {
		d = filepath.Join("..", "..", "..", "shared", "data")
	}
	p := filepath.Join(d, "conll04", name)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("skipping: %s is absent (%v)", p, err)
	}
	return p
}

func TestSpansBILOU(t *testing.T) {
	got := spansBILOU(strings.Fields("U-Loc O B-Org I-Org L-Org O B-Peop L-Peop U-Peop"))
	want := []Entity{{0, 1, "Loc"}, {2, 5, "Org"}, {6, 8, "Peop"}, {8, 9, "Peop"}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestEmbeddedModels(t *testing.T) {
	x, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	toks := strings.Fields("John Smith , president of Acme Corp. , lives in Boston .")
	ents, rels := x.Extract(toks)
	t.Logf("entities %v relations %v", ents, rels)
	// the same input always gives the same output
	e2, r2 := x.Extract(toks)
	if len(e2) != len(ents) || len(r2) != len(rels) {
		t.Fatal("not deterministic")
	}
	ents = []Entity{{0, 2, "Peop"}, {5, 7, "Org"}, {10, 11, "Loc"}}
	rels = x.Classify(toks, ents)
	has := map[Relation]bool{}
	for _, r := range rels {
		has[r] = true
	}
	if !has[Relation{0, 1, "Work_For"}] {
		t.Errorf("relations %v: want Work_For 0→1", rels)
	}
}

func TestModelRoundTrip(t *testing.T) {
	x, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := x.Relations.Save(&b); err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.W) != len(x.Relations.W) || m.NoneBias != x.Relations.NoneBias || len(m.Classes) != len(x.Relations.Classes) {
		t.Fatal("round trip changed the model")
	}
}

// TestEvalDev prints the strict scores of the embedded models on CoNLL04 dev:
//
//	go test -run TestEvalDev -v ./loader/relclass
func TestEvalDev(t *testing.T) {
	p := dataPath(t, "conll04_dev.json")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := Eval(f)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CoNLL04 dev, strict:\n%s", s.Table())
	if f1 := s.RelOverall.F1(); f1 < minDevF1 {
		t.Errorf("strict relation F1 %.2f < %.2f", f1, minDevF1)
	}
}

// BenchmarkExtract tags and classifies CoNLL04 dev, reporting tokens per second.
//
//	go test -run '^$' -bench Extract -cpu 1 ./loader/relclass
func BenchmarkExtract(b *testing.B) {
	p := dataPath(b, "conll04_dev.json")
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	sents, err := ReadSentences(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	x, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, s := range sents {
		n += len(s.Tokens)
	}
	c0 := cpuTime()
	for b.Loop() {
		for _, s := range sents {
			x.Extract(s.Tokens)
		}
	}
	total := float64(n) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "tokens/s")
	if c := cpuTime() - c0; c0 >= 0 && c > 0 {
		b.ReportMetric(total/c, "cpu-tokens/s")
	}
}
