// Package prose compares newsgraph's entity tagger (loader/ner) with
// github.com/jdkato/prose/v2 on the same data and machine. It is a separate Go module
// so that prose never becomes a dependency of newsgraph; see README.md.
package prose

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	prose "github.com/jdkato/prose/v2"
	"github.com/newsgraph/newsgraph/loader/ner"
)

// dataDir is ../shared/data seen from the repository root (NEWSGRAPH_DATA overrides).
func dataDir() string {
	if d := os.Getenv("NEWSGRAPH_DATA"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

func need(tb testing.TB, rel string) string {
	p := filepath.Join(dataDir(), rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("skipping: %s is absent (%v)", p, err)
	}
	return p
}

// ---- CoNLL-2003 reading: loader/ner's reader, the one its own evaluation uses ----

type doc struct {
	sents [][]ner.Token
	gold  [][]ner.Span
}

func readCoNLL(tb testing.TB, path string) []doc {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cds, err := ner.ReadCoNLL(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	docs := make([]doc, len(cds))
	for i, d := range cds {
		docs[i] = doc{sents: d.Sentences, gold: d.Gold}
	}
	return docs
}

// ---- scoring: exact spans, the same code for both taggers ----

func add(s *ner.Scores, gold, pred []ner.Span, keep func(string) bool) {
	if s.Types == nil {
		s.Types = map[string]ner.Counts{}
	}
	in := map[ner.Span]bool{}
	for _, g := range gold {
		if !keep(g.Label) {
			continue
		}
		in[g] = true
		c := s.Types[g.Label]
		c.Gold++
		s.Types[g.Label] = c
		s.Overall.Gold++
	}
	for _, p := range pred {
		if !keep(p.Label) {
			continue
		}
		c := s.Types[p.Label]
		c.Predicted++
		s.Overall.Predicted++
		if in[p] {
			c.Correct++
			s.Overall.Correct++
		}
		s.Types[p.Label] = c
	}
}

func all(string) bool         { return true }
func perLocOrg(l string) bool { return l == "PER" || l == "LOC" || l == "ORG" }

// ---- prose ----

var (
	proseOnce  sync.Once
	proseModel *prose.Model
)

// model loads prose's default model once: NewDocument decodes it from its embedded
// gob files on every call unless UsingModel is given.
func model() *prose.Model {
	proseOnce.Do(func() {
		d, err := prose.NewDocument("Load the model.", prose.WithSegmentation(false))
		if err != nil {
			panic(err)
		}
		proseModel = d.Model
	})
	return proseModel
}

// proseLabel maps prose's entity labels to CoNLL-2003 types. The default model knows
// only PERSON and GPE; ORG is mapped in case a model has it; anything else is ignored
// (prose has no MISC, and nothing of it is counted as MISC).
func proseLabel(l string) string {
	switch l {
	case "PERSON":
		return "PER"
	case "GPE", "LOC":
		return "LOC"
	case "ORG":
		return "ORG"
	}
	return ""
}

// proseSpans tags one sentence, given as tokens joined by single spaces, with prose
// (its own tokenizer, POS tagger and entity classifier; segmentation off) and maps
// its entities back to the sentence's tokens by character offsets. Entities are
// chunked from prose's per-token IOB labels by the rules of prose's own
// (*entityExtracter).chunk and coalesce, which do not keep offsets.
func proseSpans(toks []ner.Token) []ner.Span {
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.Text
	}
	text := strings.Join(words, " ")
	d, err := prose.NewDocument(text, prose.UsingModel(model()), prose.WithSegmentation(false))
	if err != nil {
		return nil
	}
	pt := d.Tokens()
	// character offsets of prose's tokens, found in order in text
	starts := make([]int, len(pt))
	pos := 0
	for i, t := range pt {
		j := strings.Index(text[pos:], t.Text)
		if j < 0 {
			starts[i] = -1
			continue
		}
		starts[i] = pos + j
		pos += j + len(t.Text)
	}
	// char offset → sentence token index
	tokAt := func(c int) int {
		for i, t := range toks {
			if c < t.End {
				return i
			}
		}
		return len(toks) - 1
	}
	var out []ner.Span
	emit := func(parts []int) {
		if len(parts) == 0 {
			return
		}
		labels := make([]string, len(parts))
		for k, p := range parts {
			labels[k] = pt[p].Label
		}
		lab := parseEntities(labels)
		first, last := parts[0], parts[len(parts)-1]
		if starts[first] < 0 || starts[last] < 0 {
			return
		}
		m := proseLabel(lab)
		if m == "" {
			return
		}
		s := tokAt(starts[first])
		e := tokAt(starts[last]+len(pt[last].Text)-1) + 1
		out = append(out, ner.Span{Start: s, End: e, Label: m})
	}
	// prose's chunk, with indices
	end := ""
	var parts []int
	for i, tok := range pt {
		label := tok.Label
		n := len(parts)
		if (label != "O" && label != end) ||
			(n > 0 && tok.Tag == pt[parts[n-1]].Tag) ||
			(n > 0 && tok.Tag == "CD" && pt[parts[n-1]].Label != "O") {
			end = strings.Replace(label, "B", "I", 1)
			parts = append(parts, i)
		} else if (label == "O" && end != "") || label == end {
			if label != "O" {
				parts = append(parts, i)
			}
			emit(parts)
			end = ""
			parts = nil
		}
	}
	// prose's chunk drops an entity still open at the end of the text; so do we.
	return out
}

// parseEntities is prose's: PERSON wins a two-token chunk that has B-PERSON,
// otherwise the first token's type.
func parseEntities(ents []string) string {
	if len(ents) == 2 && (ents[0] == "B-PERSON" || ents[1] == "B-PERSON") {
		return "PERSON"
	}
	if i := strings.IndexByte(ents[0], '-'); i >= 0 {
		return ents[0][i+1:]
	}
	return ents[0]
}

// ---- F1 table ----

// TestCompareF1 prints both taggers' exact-span scores on eng.testa: all types, and
// PER/LOC/ORG only (prose has no MISC).
//
//	go test -run TestCompareF1 -v
func TestCompareF1(t *testing.T) {
	path := need(t, filepath.Join("conll2003", "eng.testa"))
	docs := readCoNLL(t, path)
	tg, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	var ngAll, ngPLO, prAll, prPLO ner.Scores
	t0 := cpuTime()
	for _, d := range docs {
		pred := tg.Tag(d.sents)
		for i := range d.sents {
			add(&ngAll, d.gold[i], pred[i], all)
			add(&ngPLO, d.gold[i], pred[i], perLocOrg)
			ngAll.Tokens += len(d.sents[i])
		}
	}
	t1 := cpuTime()
	model()
	t2 := cpuTime()
	for _, d := range docs {
		for i, s := range d.sents {
			pred := proseSpans(s)
			add(&prAll, d.gold[i], pred, all)
			add(&prPLO, d.gold[i], pred, perLocOrg)
		}
	}
	t3 := cpuTime()
	prAll.Tokens = ngAll.Tokens
	// Cross-check: our scorer gives loader/ner's own EvalCoNLL figure.
	f, _ := os.Open(path)
	ev, err := ner.EvalCoNLL(tg, f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if ev.Overall != ngAll.Overall {
		t.Errorf("scorer disagrees with ner.EvalCoNLL: %+v vs %+v", ngAll.Overall, ev.Overall)
	}
	fmt.Printf("eng.testa, %d sentences, %d tokens; exact spans (conlleval rule)\n\n", countSents(docs), ngAll.Tokens)
	fmt.Printf("newsgraph loader/ner, all types:\n%s\n", ngAll.Table())
	fmt.Printf("newsgraph loader/ner, PER/LOC/ORG only:\n%s\n", ngPLO.Table())
	fmt.Printf("prose v2 (PERSON→PER, GPE/LOC→LOC, ORG→ORG, other labels ignored), all gold types:\n%s\n", prAll.Table())
	fmt.Printf("prose v2, PER/LOC/ORG only:\n%s\n", prPLO.Table())
	fmt.Printf("%-28s %8s %8s %12s\n", "tagger", "F1 all", "F1 P/L/O", "CPU tokens/s")
	fmt.Printf("%-28s %8.2f %8.2f %12.0f\n", "newsgraph loader/ner", ngAll.Overall.F1(), ngPLO.Overall.F1(), float64(ngAll.Tokens)/(t1-t0))
	fmt.Printf("%-28s %8.2f %8.2f %12.0f\n", "prose v2 (model loaded once)", prAll.Overall.F1(), prPLO.Overall.F1(), float64(ngAll.Tokens)/(t3-t2))
}

func countSents(docs []doc) int {
	n := 0
	for _, d := range docs {
		n += len(d.sents)
	}
	return n
}

// ---- throughput on raw news text ----

func readCorpus(b *testing.B) []string {
	path := need(b, filepath.Join("corpora", "fakes-syria-dev.jsonl"))
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var a struct{ Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			b.Fatal(err)
		}
		texts = append(texts, a.Title+"\n"+a.Text)
	}
	return texts
}

// corpusTokens counts the corpus in loader/ner's tokens: the common denominator of
// both benchmarks' tokens/s.
func corpusTokens(texts []string) int {
	n := 0
	for _, t := range texts {
		n += len(ner.Tokenize(t))
	}
	return n
}

// report adds tokens/s (wall) and cpu-tokens/s (process CPU time) to b.
func report(b *testing.B, tokens int, wall time.Duration, cpu float64) {
	total := float64(tokens) * float64(b.N)
	b.ReportMetric(total/wall.Seconds(), "tokens/s")
	if cpu > 0 {
		b.ReportMetric(total/cpu, "cpu-tokens/s")
	}
}

// BenchmarkNewsgraphTag: raw text → sentences and tokens (ner.SplitSentences) →
// spans (one document per article). Run with -cpu 1.
func BenchmarkNewsgraphTag(b *testing.B) {
	texts := readCorpus(b)
	tg, err := ner.Default()
	if err != nil {
		b.Fatal(err)
	}
	n := corpusTokens(texts)
	b.ResetTimer()
	c0, w0 := cpuTime(), time.Now()
	for b.Loop() {
		for _, t := range texts {
			tg.Tag(ner.SplitSentences(t))
		}
	}
	report(b, n, time.Since(w0), cpuTime()-c0)
}

// BenchmarkProseTag: raw text → prose's tokenizer, POS tagger and entity classifier
// (model loaded once, before the timer; segmentation off, entities do not use it).
func BenchmarkProseTag(b *testing.B) {
	texts := readCorpus(b)
	m := model()
	n := corpusTokens(texts)
	b.ResetTimer()
	c0, w0 := cpuTime(), time.Now()
	for b.Loop() {
		for _, t := range texts {
			d, err := prose.NewDocument(t, prose.UsingModel(m), prose.WithSegmentation(false))
			if err != nil {
				b.Fatal(err)
			}
			_ = d.Entities()
		}
	}
	report(b, n, time.Since(w0), cpuTime()-c0)
}

// cpuTime returns the CPU seconds the process has used (user and system).
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
