package depparse

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Score holds CoNLL 2018-style attachment figures: every word counts,
// punctuation included.
type Score struct {
	Words    int
	UPOS     int // words with the gold UPOS
	UAS      int // words with the gold head
	LAS      int // words with the gold head and full relation
	ULAS     int // words with the gold head and universal relation (subtype dropped)
	Elapsed  time.Duration
	Rels     map[string]*RelScore // per gold relation (full)
	Sentence int
}

// RelScore counts one relation: gold words bearing it, and of those the
// ones parsed with the right head and relation; Pred counts predictions.
type RelScore struct {
	Gold, Correct, Pred int
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// UPOSAcc returns UPOS accuracy in percent.
func (s Score) UPOSAcc() float64 { return pct(s.UPOS, s.Words) }

// UASPct returns the unlabeled attachment score in percent.
func (s Score) UASPct() float64 { return pct(s.UAS, s.Words) }

// LASPct returns the labeled attachment score in percent.
func (s Score) LASPct() float64 { return pct(s.LAS, s.Words) }

// ULASPct returns LAS on universal relations (subtypes dropped) in percent.
func (s Score) ULASPct() float64 { return pct(s.ULAS, s.Words) }

// TokensPerSec returns the parsing speed.
func (s Score) TokensPerSec() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Words) / s.Elapsed.Seconds()
}

func universal(rel string) string {
	r, _, _ := strings.Cut(rel, ":")
	return r
}

// Evaluate parses the gold words of sents with p and scores the result.
func Evaluate(p *Parser, sents []Sentence) Score {
	sc := Score{Rels: map[string]*RelScore{}}
	words := make([][]string, len(sents))
	for i, s := range sents {
		words[i] = s.Words()
	}
	start := time.Now()
	out := make([][]Token, len(sents))
	for i := range sents {
		out[i] = p.Parse(words[i])
	}
	sc.Elapsed = time.Since(start)
	for i, s := range sents {
		sc.score(s.Tokens, out[i])
	}
	return sc
}

func (sc *Score) rel(r string) *RelScore {
	x := sc.Rels[r]
	if x == nil {
		x = &RelScore{}
		sc.Rels[r] = x
	}
	return x
}

func (sc *Score) score(gold, pred []Token) {
	sc.Sentence++
	for j, g := range gold {
		q := pred[j]
		sc.Words++
		r := sc.rel(g.Rel)
		r.Gold++
		sc.rel(q.Rel).Pred++
		if g.UPOS == q.UPOS {
			sc.UPOS++
		}
		if g.Head == q.Head {
			sc.UAS++
			if g.Rel == q.Rel {
				sc.LAS++
				r.Correct++
			}
			if universal(g.Rel) == universal(q.Rel) {
				sc.ULAS++
			}
		}
	}
}

// Report writes a table of the figures, the top relations by frequency,
// and a final line "LAS <number>".
func (s Score) Report(w io.Writer, topRels int) {
	fmt.Fprintf(w, "sentences %d  words %d  tokens/s %.0f\n", s.Sentence, s.Words, s.TokensPerSec())
	fmt.Fprintf(w, "UPOS %.2f\nUAS  %.2f\nLAS (universal relation) %.2f\n", s.UPOSAcc(), s.UASPct(), s.ULASPct())
	if topRels > 0 {
		rels := make([]string, 0, len(s.Rels))
		for r, x := range s.Rels {
			if x.Gold > 0 {
				rels = append(rels, r)
			}
		}
		slices.SortFunc(rels, func(a, b string) int {
			if d := s.Rels[b].Gold - s.Rels[a].Gold; d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		fmt.Fprintf(w, "%-14s %6s %7s %7s %7s\n", "relation", "gold", "recall", "prec", "F1")
		for _, r := range rels[:min(topRels, len(rels))] {
			x := s.Rels[r]
			rec, prec := pct(x.Correct, x.Gold), pct(x.Correct, x.Pred)
			f1 := 0.0
			if rec+prec > 0 {
				f1 = 2 * rec * prec / (rec + prec)
			}
			fmt.Fprintf(w, "%-14s %6d %7.2f %7.2f %7.2f\n", r, x.Gold, rec, prec, f1)
		}
	}
	fmt.Fprintf(w, "LAS %.2f\n", s.LASPct())
}
