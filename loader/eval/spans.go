package eval

import (
	"fmt"
	"strconv"
	"strings"
)

// Span is a typed span of tokens [Start, End) of one sentence.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
}

// ScoreSpans counts, per type, gold and predicted spans and the predicted spans
// that match a gold span exactly (same first and last token and same type).
// Each gold span matches at most one predicted span.
func ScoreSpans(gold, pred []Span) map[string]Counts {
	by := map[string]Counts{}
	left := map[Span]int{}
	for _, g := range gold {
		c := by[g.Type]
		c.Gold++
		by[g.Type] = c
		left[g]++
	}
	for _, p := range pred {
		c := by[p.Type]
		c.Predicted++
		if left[p] > 0 {
			left[p]--
			c.Correct++
		}
		by[p.Type] = c
	}
	return by
}

// DecodeTags reads spans from BILOU, BIOES, IOB2 or IOB1 tags ("B-Peop",
// "I-Peop", "L-Peop", "U-Loc", "O"): a span starts at B-, U- or S-, or at I- after
// a token not of its type, and ends at L-, E- or U-, or before a token that does
// not continue it.
func DecodeTags(tags []string) ([]Span, error) {
	var out []Span
	start, typ := -1, ""
	closeSpan := func(end int) {
		if start >= 0 {
			out = append(out, Span{Start: start, End: end, Type: typ})
		}
		start, typ = -1, ""
	}
	for i, t := range tags {
		if t == "O" || t == "" {
			closeSpan(i)
			continue
		}
		p, ty, ok := strings.Cut(t, "-")
		if !ok || len(p) != 1 || ty == "" {
			return nil, fmt.Errorf("token %d: bad tag %q", i, t)
		}
		switch p {
		case "B", "U", "S":
			closeSpan(i)
			start, typ = i, ty
		case "I", "L", "E":
			if start < 0 || typ != ty {
				closeSpan(i)
				start, typ = i, ty
			}
		default:
			return nil, fmt.Errorf("token %d: bad tag %q", i, t)
		}
		if p == "U" || p == "S" || p == "L" || p == "E" {
			closeSpan(i + 1)
		}
	}
	closeSpan(len(tags))
	return out, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
