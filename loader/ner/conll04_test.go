package ner

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// evalCoNLL04 scores PER, LOC and ORG on CoNLL04 sentences (Peop, Loc, Org; Other
// spans and predicted MISC spans are left out, the two do not mean the same). Each
// sentence is its own document. CoNLL04 marks spans by other rules than CoNLL-2003
// (titles belong to persons: "President Lincoln"), so this measures transfer to
// other news and other annotators rather than accuracy.
func evalCoNLL04(tb testing.TB, tg *Tagger, path string) Scores {
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var sents []struct {
		Tokens []string `json:"tokens"`
		Tags   []string `json:"tags"`
	}
	if err := json.Unmarshal(b, &sents); err != nil {
		tb.Fatal(err)
	}
	names := map[string]string{"Peop": "PER", "Loc": "LOC", "Org": "ORG"}
	var s Scores
	for _, x := range sents {
		toks := make([]Token, len(x.Tokens))
		off := 0
		for i, w := range x.Tokens {
			toks[i] = Token{w, off, off + len(w)}
			off += len(w) + 1
		}
		var gold []Span
		for i := 0; i < len(x.Tags); i++ {
			tag := x.Tags[i]
			if tag == "O" {
				continue
			}
			typ := names[tag[2:]]
			j := i
			if tag[0] == 'B' {
				for j < len(x.Tags) && x.Tags[j][0] != 'L' {
					j++
				}
			}
			if typ != "" && j < len(x.Tags) {
				gold = append(gold, Span{i, j + 1, typ})
			}
			i = j
		}
		var pred []Span
		for _, p := range tg.Tag([][]Token{toks})[0] {
			if p.Label != "MISC" {
				pred = append(pred, p)
			}
		}
		s.add(gold, pred)
		s.Tokens += len(toks)
	}
	return s
}

func TestEvalCoNLL04(t *testing.T) {
	path := dataFile(t, "conll04/conll04_train.json")
	s := evalCoNLL04(t, mustDefault(t), path)
	t.Logf("%s, PER/LOC/ORG only (%d tokens)\n%s", path, s.Tokens, s.Table())
	if !strings.HasPrefix(s.Table(), "type") || s.Overall.F1() < 50 {
		t.Errorf("F1 %.2f on CoNLL04", s.Overall.F1())
	}
}
