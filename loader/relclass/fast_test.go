package relclass

import (
	"os"
	"slices"
	"testing"
)

// TestFastFeaturesSame checks that the fast path gives the plain path's features and
// relations on every ordered pair of CoNLL04 dev, with gold and tagged entities.
func TestFastFeaturesSame(t *testing.T) {
	f, err := os.Open(dataPath(t, "conll04_dev.json"))
	if err != nil {
		t.Fatal(err)
	}
	sents, err := ReadSentences(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	x, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var s Scratch
	pairs := 0
	for _, sent := range sents {
		ge, _, err := sent.GoldRelations()
		if err != nil {
			t.Fatal(err)
		}
		for _, ents := range [][]Entity{ge, x.Entities(sent.Tokens)} {
			x.Relations.ClassifyScored(sent.Tokens, ents, &s) // fills s.norm, s.typ, s.geo
			for i := range ents {
				for j := range ents {
					if i == j {
						continue
					}
					slow := pairFeatures(nil, sent.Tokens, ents, i, j)
					fast := s.pairFeatures(nil, sent.Tokens, ents, i, j)
					if !slices.Equal(slow, fast) {
						t.Fatalf("%q %v pair %d,%d: features differ\nslow %v\nfast %v", sent.Tokens, ents, i, j, slow, fast)
					}
					pairs++
				}
			}
			want := x.Relations.classifyPlain(sent.Tokens, ents)
			got := x.Relations.ClassifyScored(sent.Tokens, ents, &s)
			if len(got) != len(want) {
				t.Fatalf("%q: fast %v, plain %v", sent.Tokens, got, want)
			}
			for k := range got {
				if got[k].Relation != want[k] || got[k].Margin < 0 {
					t.Fatalf("%q: fast %v, plain %v", sent.Tokens, got, want)
				}
			}
		}
	}
	t.Logf("%d pairs", pairs)
}

// BenchmarkClassify classifies the pairs of CoNLL04 dev's tagged entities (tagging
// not counted), reporting tokens per second and nanoseconds per ordered pair.
//
//	go test -run '^$' -bench Classify -cpu 1 ./loader/relclass
func BenchmarkClassify(b *testing.B) {
	f, err := os.Open(dataPath(b, "conll04_dev.json"))
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
	n, pairs := 0, 0
	ents := make([][]Entity, len(sents))
	for i, s := range sents {
		n += len(s.Tokens)
		ents[i] = x.Entities(s.Tokens)
		pairs += len(ents[i]) * (len(ents[i]) - 1)
	}
	var s Scratch
	x.Relations.ClassifyScored(sents[0].Tokens, ents[0], &s)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, sent := range sents {
			x.Relations.ClassifyScored(sent.Tokens, ents[i], &s)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(pairs), "ns/pair")
}
