package ner

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// sharedData is the shared data folder beside the repository clone.
const sharedData = "../../../shared/data"

// dataFile returns the path of a file in the shared data, skipping the test when it
// is absent.
func dataFile(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(sharedData, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("skipping: %s is absent (%v)", p, err)
	}
	return p
}

func mustDefault(tb testing.TB) *Tagger {
	tb.Helper()
	t, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// readArticles reads the texts of a JSON Lines corpus as sentences of tokens.
func readArticles(tb testing.TB, path string) [][][]Token {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var docs [][][]Token
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var a struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, SplitSentences(a.Text))
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return docs
}

// BenchmarkTag tags the FA-KES development articles with every feature on (both
// stages) and reports tokens per second.
func BenchmarkTag(b *testing.B) {
	docs := readArticles(b, dataFile(b, "corpora/fakes-syria-dev.jsonl"))
	t := mustDefault(b)
	tokens := 0
	for _, d := range docs {
		for _, s := range d {
			tokens += len(s)
		}
	}
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			t.Tag(d)
		}
		n++
	}
	b.ReportMetric(float64(tokens*n)/b.Elapsed().Seconds(), "tokens/s")
	if cpu := cpuTime() - cpu0; cpu0 >= 0 && cpu > 0 {
		// CPU seconds of the whole process (GC included): steadier than wall time
		// when other programs share the machine.
		b.ReportMetric(float64(tokens*n)/cpu, "tokens/cpu-s")
	}
}

func TestDeterministic(t *testing.T) {
	tg := mustDefault(t)
	text := "U.N. Secretary-General Ban Ki-moon met Russian Foreign Minister Sergei Lavrov in Moscow on Monday. " +
		"Lavrov said Moscow would not block the Security Council resolution. " +
		"EU officials in Brussels welcomed the US-Russia deal, Reuters reported."
	doc := SplitSentences(text)
	first := tg.Tag(doc)
	for range 3 {
		if again := tg.Tag(SplitSentences(text)); !reflect.DeepEqual(first, again) {
			t.Fatalf("same text, different spans:\n%v\n%v", first, again)
		}
	}
	var got []string
	for si, spans := range first {
		for _, s := range spans {
			var ws []string
			for _, tok := range doc[si][s.Start:s.End] {
				ws = append(ws, tok.Text)
			}
			got = append(got, s.Label+":"+strings.Join(ws, " "))
		}
	}
	t.Logf("%v", got)
}

// minTestaF1 is the eng.testa F1 of the embedded model (93.60) minus 0.5: a
// regression guard.
const minTestaF1 = 93.10

func TestEvalTesta(t *testing.T) {
	path := dataFile(t, "conll2003/eng.testa")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := EvalCoNLL(mustDefault(t), f)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s (%d tokens)\n%s", path, s.Tokens, s.Table())
	if got := s.Overall.F1(); got < minTestaF1 {
		t.Errorf("eng.testa F1 %.2f, want at least %.2f", got, minTestaF1)
	}
}

func TestSpansIOB(t *testing.T) {
	tests := []struct {
		tags string
		want []Span
	}{
		{"O O", nil},
		{"I-PER I-PER O I-LOC", []Span{{0, 2, "PER"}, {3, 4, "LOC"}}},
		{"I-PER B-PER I-PER", []Span{{0, 1, "PER"}, {1, 3, "PER"}}},
		{"I-ORG I-MISC", []Span{{0, 1, "ORG"}, {1, 2, "MISC"}}},
		{"B-LOC I-LOC B-LOC", []Span{{0, 2, "LOC"}, {2, 3, "LOC"}}},
		{"O I-MISC", []Span{{1, 2, "MISC"}}},
	}
	for _, tc := range tests {
		got := spansIOB(strings.Fields(tc.tags))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("spansIOB(%s) = %v, want %v", tc.tags, got, tc.want)
		}
		// BILOU labels decode to the same spans.
		if back := spansOf(bilou(len(strings.Fields(tc.tags)), tc.want)); !reflect.DeepEqual(back, tc.want) {
			t.Errorf("BILOU round trip of %v = %v", tc.want, back)
		}
	}
}

const tinyCoNLL = `-DOCSTART- -X- O O

EU NNP I-NP I-ORG
rejects VBZ I-VP O
German JJ I-NP I-MISC
call NN I-NP O
. . O O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- O O

BRUSSELS NNP I-NP I-LOC
1996-08-22 CD I-NP O
`

func TestEvalCoNLLTiny(t *testing.T) {
	s, err := EvalCoNLL(mustDefault(t), strings.NewReader(tinyCoNLL))
	if err != nil {
		t.Fatal(err)
	}
	if s.Overall.Gold != 4 || s.Tokens != 9 {
		t.Errorf("gold %d tokens %d, want 4 and 9", s.Overall.Gold, s.Tokens)
	}
	table := s.Table()
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "F1 ") {
		t.Errorf("table does not end with an F1 line:\n%s", table)
	}
	if s.Overall.F1() < 50 {
		t.Errorf("F1 %.1f on an easy snippet:\n%s", s.Overall.F1(), table)
	}
	if _, err := EvalCoNLL(mustDefault(t), strings.NewReader("word POS chunk X-BAD\n")); err == nil {
		t.Error("a bad tag was accepted")
	}
}

func TestScores(t *testing.T) {
	var s Scores
	s.add([]Span{{0, 2, "PER"}, {3, 4, "LOC"}}, []Span{{0, 2, "PER"}, {3, 4, "ORG"}})
	tests := []struct {
		name    string
		c       Counts
		p, r, f float64
	}{
		{"overall", s.Overall, 50, 50, 50},
		{"PER", s.Types["PER"], 100, 100, 100},
		{"LOC", s.Types["LOC"], 0, 0, 0},
		{"ORG", s.Types["ORG"], 0, 0, 0},
	}
	for _, tc := range tests {
		if tc.c.Precision() != tc.p || tc.c.Recall() != tc.r || tc.c.F1() != tc.f {
			t.Errorf("%s: P/R/F1 %.1f/%.1f/%.1f, want %.1f/%.1f/%.1f", tc.name, tc.c.Precision(), tc.c.Recall(), tc.c.F1(), tc.p, tc.r, tc.f)
		}
	}
	if !strings.HasSuffix(s.Table(), "F1 50.00\n") {
		t.Errorf("table:\n%s", s.Table())
	}
}

func TestTagEdgeCases(t *testing.T) {
	tg := mustDefault(t)
	tests := []struct {
		name string
		doc  [][]Token
	}{
		{"nil", nil},
		{"empty sentence", [][]Token{{}}},
		{"empty and one", [][]Token{{}, Tokenize("Paris")}},
		{"odd tokens", [][]Token{{{Text: ""}, {Text: "\xff"}, {Text: "<S>"}, {Text: "</S>"}, {Text: strings.Repeat("X", 300)}}}},
	}
	for _, tc := range tests {
		got := tg.Tag(tc.doc)
		if len(got) != len(tc.doc) {
			t.Errorf("%s: %d sentences of spans, want %d", tc.name, len(got), len(tc.doc))
		}
		for si, spans := range got {
			for _, s := range spans {
				if s.Start < 0 || s.End > len(tc.doc[si]) || s.End <= s.Start {
					t.Errorf("%s: bad span %+v", tc.name, s)
				}
			}
		}
	}
}

func TestTagExamples(t *testing.T) {
	tg := mustDefault(t)
	tests := []struct {
		text string
		want []string // "LABEL:words" that must be found
	}{
		{"Russian Foreign Minister Sergei Lavrov met John Kerry in Geneva on Friday.",
			[]string{"MISC:Russian", "PER:Sergei Lavrov", "PER:John Kerry", "LOC:Geneva"}},
		{"The European Union and NATO condemned the attack on Aleppo, the Syrian Observatory for Human Rights said.",
			[]string{"ORG:European Union", "ORG:NATO", "LOC:Aleppo"}},
	}
	for _, tc := range tests {
		doc := SplitSentences(tc.text)
		found := map[string]bool{}
		for si, spans := range tg.Tag(doc) {
			for _, s := range spans {
				var ws []string
				for _, tok := range doc[si][s.Start:s.End] {
					ws = append(ws, tok.Text)
				}
				found[s.Label+":"+strings.Join(ws, " ")] = true
			}
		}
		for _, w := range tc.want {
			if !found[w] {
				t.Errorf("%q: %s not found (found %v)", tc.text, w, found)
			}
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	tg := mustDefault(t)
	var buf bytes.Buffer
	if err := tg.Save(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	doc := SplitSentences("Prime Minister Theresa May flew to Washington to meet Donald Trump. May said Britain would stay in NATO.")
	if a, b := tg.Tag(doc), again.Tag(doc); !reflect.DeepEqual(a, b) {
		t.Errorf("reloaded model tags differently:\n%v\n%v", a, b)
	}
	if !reflect.DeepEqual(tg.Info(), again.Info()) {
		t.Errorf("info %+v, reloaded %+v", tg.Info(), again.Info())
	}
}

func TestLoadErrors(t *testing.T) {
	var good bytes.Buffer
	if err := mustDefault(t).Save(&good); err != nil {
		t.Fatal(err)
	}
	var notModel bytes.Buffer
	zw := gzip.NewWriter(&notModel)
	zw.Write([]byte("hello"))
	zw.Close()
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not gzip", []byte("newsgraph-ner\n")},
		{"wrong magic", notModel.Bytes()},
		{"truncated", good.Bytes()[:good.Len()/2]},
	}
	for _, tc := range tests {
		if _, err := Load(bytes.NewReader(tc.data)); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestConcurrentTag(t *testing.T) {
	tg := mustDefault(t)
	texts := []string{
		"Israeli jets struck Damascus airport, the Syrian army said on Sunday.",
		"Angela Merkel told Bundestag members in Berlin that Germany would help.",
		"Shares of Apple Inc. rose 3 percent on the Nasdaq in New York.",
	}
	want := make([][][]Span, len(texts))
	for i, s := range texts {
		want[i] = tg.Tag(SplitSentences(s))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				i := (g + k) % len(texts)
				if got := tg.Tag(SplitSentences(texts[i])); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("goroutine %d: %q tagged differently", g, texts[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestTagText checks that TagText gives the mentions of SplitSentences and Tag, on
// a few texts and on the FA-KES development articles when they are present.
func TestTagText(t *testing.T) {
	tg := mustDefault(t)
	texts := []string{
		"",
		"   ",
		"U.N. Secretary-General Ban Ki-moon met Russian Foreign Minister Sergei Lavrov in Moscow on Monday.",
		"Israeli jets struck Damascus airport, the Syrian army said on Sunday.\n\nANGELA MERKEL IN BERLIN\n\nShe didn't say.",
	}
	if _, err := os.Stat(filepath.Join(sharedData, "corpora/fakes-syria-dev.jsonl")); err == nil {
		f, err := os.Open(filepath.Join(sharedData, "corpora/fakes-syria-dev.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() && len(texts) < 150 {
			var a struct{ Text string }
			if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			texts = append(texts, a.Text)
		}
		f.Close()
	}
	for _, text := range texts {
		var want []TextSpan
		doc := SplitSentences(text)
		for si, spans := range tg.Tag(doc) {
			for _, s := range spans {
				want = append(want, TextSpan{doc[si][s.Start].Start, doc[si][s.End-1].End, s.Label})
			}
		}
		if got := tg.TagText(text); !reflect.DeepEqual(got, want) {
			t.Errorf("TagText(%.60q):\n got %v\nwant %v", text, got, want)
		}
	}
}

// TestViterbiTag checks the unrolled viterbi against the generic one, with scores
// that tie often.
func TestViterbiTag(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var trans [numLabels * numLabels]float32
	var start [numLabels]float32
	var vb1, vb2 viterbiBuf[float32]
	for trial := range 2000 {
		scale := float32(1 + trial%3*100)
		for i := range trans {
			trans[i] = float32(r.IntN(5)-2) * scale
		}
		for i := range start {
			start[i] = float32(r.IntN(5) - 2)
		}
		n := 1 + r.IntN(40)
		em := make([]float32, n*numLabels)
		for i := range em {
			em[i] = float32(r.IntN(7)-3) * scale / 3
			if i%numLabels == 0 && trial%2 == 0 {
				em[i] += float32(r.IntN(3)) * scale // O often far ahead
			}
		}
		want, got := make([]int8, n), make([]int8, n)
		viterbi(em, n, &trans, &start, want, &vb1)
		viterbiTag(em, n, &trans, &start, got, &vb2)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d: viterbiTag %v, viterbi %v", trial, got, want)
		}
	}
}

// TestLoadCollect loads models, drops them and collects them (their tables may live
// outside the Go heap and are unmapped then) while the default tagger keeps tagging.
func TestLoadCollect(t *testing.T) {
	tg := mustDefault(t)
	text := "Russian Foreign Minister Sergei Lavrov met John Kerry in Geneva on Friday."
	want := tg.TagText(text)
	for range 3 {
		x, err := Load(bytes.NewReader(embeddedModel))
		if err != nil {
			t.Fatal(err)
		}
		if got := x.TagText(text); !reflect.DeepEqual(got, want) {
			t.Fatalf("loaded model: %v, default: %v", got, want)
		}
		x = nil
		runtime.GC()
		runtime.GC()
		if got := tg.TagText(text); !reflect.DeepEqual(got, want) {
			t.Fatalf("after a collection: %v, want %v", got, want)
		}
	}
}
