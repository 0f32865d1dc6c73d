package ner

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
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

// cpuTime returns the CPU seconds the process has used (user and system), or a
// negative number where that is unknown.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
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
	b.ReportMetric(float64(tokens*n)/(cpuTime()-cpu0), "tokens/cpu-s")
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

// minTestaF1 is the eng.testa F1 of the embedded model minus 0.5: a regression guard.
const minTestaF1 = 92.76

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
