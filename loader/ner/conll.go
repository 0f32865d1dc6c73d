package ner

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// conllDoc is one document of a CoNLL-2003 file: its sentences and the gold spans.
type conllDoc struct {
	sents [][]Token
	gold  [][]Span
}

// CoNLLDoc is one document of a CoNLL-2003 file: its sentences (tokens with offsets as
// if the words were joined by single spaces) and, per sentence, the gold spans.
type CoNLLDoc struct {
	Sentences [][]Token
	Gold      [][]Span
}

// ReadCoNLL reads a file in the CoNLL-2003 layout (see readCoNLL), for tools that
// score taggers on it the way EvalCoNLL does.
func ReadCoNLL(r io.Reader) ([]CoNLLDoc, error) {
	docs, err := readCoNLL(r)
	if err != nil {
		return nil, err
	}
	out := make([]CoNLLDoc, len(docs))
	for i, d := range docs {
		out[i] = CoNLLDoc{Sentences: d.sents, Gold: d.gold}
	}
	return out, nil
}

// readCoNLL reads a file in the CoNLL-2003 layout (word POS chunk tag, IOB1 or IOB2
// tags, blank lines between sentences, -DOCSTART- lines between documents). Only the
// first and last columns are read. A file without -DOCSTART- lines is one document.
func readCoNLL(r io.Reader) ([]conllDoc, error) {
	var docs []conllDoc
	var cur conllDoc
	var words, tags []string
	flushSent := func() {
		if len(words) == 0 {
			return
		}
		sent := make([]Token, len(words))
		off := 0
		for i, w := range words {
			sent[i] = Token{w, off, off + len(w)}
			off += len(w) + 1
		}
		cur.sents = append(cur.sents, sent)
		cur.gold = append(cur.gold, spansIOB(tags))
		words, tags = nil, nil
	}
	flushDoc := func() {
		flushSent()
		if len(cur.sents) > 0 {
			docs = append(docs, cur)
		}
		cur = conllDoc{}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
			flushSent()
		case f[0] == "-DOCSTART-":
			flushDoc()
		case len(f) < 2:
			return nil, fmt.Errorf("line %d: want word and tag, have %q", n, sc.Text())
		default:
			tag := f[len(f)-1]
			if tag != "O" && (len(tag) < 3 || tag[1] != '-' || !strings.ContainsRune("IB", rune(tag[0]))) {
				return nil, fmt.Errorf("line %d: bad tag %q", n, tag)
			}
			words = append(words, f[0])
			tags = append(tags, tag)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	flushDoc()
	return docs, nil
}

// spansIOB reads spans from IOB1 or IOB2 tags the way conlleval does: a span starts
// at B-X, or at I-X after a token that is not of type X.
func spansIOB(tags []string) []Span {
	var out []Span
	start, typ := -1, ""
	for i, t := range tags {
		tt := ""
		if t != "O" {
			tt = t[2:]
		}
		begins := tt != "" && (t[0] == 'B' || tt != typ)
		if start >= 0 && (tt != typ || begins) {
			out = append(out, Span{start, i, typ})
			start, typ = -1, ""
		}
		if begins {
			start, typ = i, tt
		}
	}
	if start >= 0 {
		out = append(out, Span{start, len(tags), typ})
	}
	return out
}

// bilou returns the BILOU labels of a sentence of n tokens with these spans. Spans of
// unknown types are left out.
func bilou(n int, spans []Span) []int8 {
	ls := make([]int8, n)
	for _, s := range spans {
		t := -1
		for k, name := range typeNames {
			if name == s.Label {
				t = k
			}
		}
		if t < 0 || s.Start < 0 || s.End > n || s.End <= s.Start {
			continue
		}
		if s.End-s.Start == 1 {
			ls[s.Start] = label(t, posU)
			continue
		}
		ls[s.Start] = label(t, posB)
		for i := s.Start + 1; i < s.End-1; i++ {
			ls[i] = label(t, posI)
		}
		ls[s.End-1] = label(t, posL)
	}
	return ls
}

// Counts are the numbers behind precision and recall for one entity type.
type Counts struct {
	Gold, Predicted, Correct int
}

// Precision is Correct/Predicted in percent (0 when nothing was predicted).
func (c Counts) Precision() float64 { return pct(c.Correct, c.Predicted) }

// Recall is Correct/Gold in percent (0 when there is no gold span).
func (c Counts) Recall() float64 { return pct(c.Correct, c.Gold) }

// F1 is the harmonic mean of precision and recall, in percent.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// Scores are exact-span scores as conlleval counts them: a predicted span is correct
// when a gold span has the same first token, last token and type.
type Scores struct {
	Types   map[string]Counts // per type: PER, LOC, ORG, MISC (and any other gold type)
	Overall Counts
	Tokens  int // tokens evaluated
}

// Table formats the scores as a text table, one row per type and one overall, ending
// with a line "F1 <overall F1>".
func (s Scores) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %7s %7s %7s %7s %7s\n", "type", "gold", "found", "P", "R", "F1")
	row := func(name string, c Counts) {
		fmt.Fprintf(&b, "%-8s %7d %7d %7.2f %7.2f %7.2f\n", name, c.Gold, c.Predicted, c.Precision(), c.Recall(), c.F1())
	}
	seen := map[string]bool{}
	for _, t := range typeNames {
		seen[t] = true
		row(t, s.Types[t])
	}
	var extra []string
	for t := range s.Types {
		if !seen[t] {
			extra = append(extra, t)
		}
	}
	slices.Sort(extra)
	for _, t := range extra {
		row(t, s.Types[t])
	}
	row("overall", s.Overall)
	fmt.Fprintf(&b, "F1 %.2f\n", s.Overall.F1())
	return b.String()
}

// add counts one sentence's predicted spans against its gold spans.
func (s *Scores) add(gold, pred []Span) {
	if s.Types == nil {
		s.Types = map[string]Counts{}
	}
	inGold := make(map[Span]bool, len(gold))
	for _, g := range gold {
		inGold[g] = true
		c := s.Types[g.Label]
		c.Gold++
		s.Types[g.Label] = c
		s.Overall.Gold++
	}
	for _, p := range pred {
		c := s.Types[p.Label]
		c.Predicted++
		s.Overall.Predicted++
		if inGold[p] {
			c.Correct++
			s.Overall.Correct++
		}
		s.Types[p.Label] = c
	}
}

// EvalCoNLL tags a file in the CoNLL-2003 layout (word POS chunk tag, IOB1 tags,
// -DOCSTART- between documents) document by document and scores the spans found
// against the file's tags with the exact-span rule of conlleval. Only the words and
// the tags are read: real text has no POS or chunk columns.
func EvalCoNLL(t *Tagger, r io.Reader) (Scores, error) {
	docs, err := readCoNLL(r)
	if err != nil {
		return Scores{}, fmt.Errorf("ner: eval: %w", err)
	}
	return evalDocs(t, docs), nil
}

func evalDocs(t *Tagger, docs []conllDoc) Scores {
	var s Scores
	s.Types = map[string]Counts{}
	for _, d := range docs {
		pred := t.Tag(d.sents)
		for i := range d.sents {
			s.add(d.gold[i], pred[i])
			s.Tokens += len(d.sents[i])
		}
	}
	return s
}
