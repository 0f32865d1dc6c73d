package depparse

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Token is one word of a parsed sentence.
type Token struct {
	Form string
	UPOS string // Universal POS tag
	Head int    // 1-based index of the head word, 0 for the root
	Rel  string // Universal Dependencies relation, with subtype ("nsubj:pass", "obl:tmod", "nmod:poss", "compound", "acl:relcl" ...)
}

// Sentence is one sentence of a CoNLL-U file: its word lines in order.
// Multiword-token lines ("1-2") and empty nodes ("1.1") are left out.
type Sentence struct {
	ID     string // the "# sent_id" comment, if any
	Tokens []Token
	Line   int // line number of the sentence's first word line
}

// Words returns the forms of the sentence's tokens.
func (s Sentence) Words() []string {
	w := make([]string, len(s.Tokens))
	for i, t := range s.Tokens {
		w[i] = t.Form
	}
	return w
}

// ReadCoNLLU reads the sentences of a CoNLL-U stream. Errors carry the line
// number ("line 12: ..."); the caller adds the file name.
func ReadCoNLLU(r io.Reader) ([]Sentence, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	var out []Sentence
	var cur Sentence
	lineNo := 0
	flush := func() error {
		if len(cur.Tokens) == 0 {
			cur = Sentence{}
			return nil
		}
		for i, t := range cur.Tokens {
			if t.Head < 0 || t.Head > len(cur.Tokens) {
				return fmt.Errorf("line %d: word %d has head %d outside the sentence of %d words", cur.Line+i, i+1, t.Head, len(cur.Tokens))
			}
		}
		out = append(out, cur)
		cur = Sentence{}
		return nil
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		if strings.HasPrefix(line, "#") {
			if v, ok := strings.CutPrefix(line, "# sent_id ="); ok {
				cur.ID = strings.TrimSpace(v)
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 10 {
			return nil, fmt.Errorf("line %d: want 10 tab-separated fields, got %d", lineNo, len(f))
		}
		if strings.ContainsAny(f[0], "-.") {
			continue // multiword token or empty node
		}
		id, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, fmt.Errorf("line %d: bad word id %q: %w", lineNo, f[0], err)
		}
		if id != len(cur.Tokens)+1 {
			return nil, fmt.Errorf("line %d: word id %d out of sequence (want %d)", lineNo, id, len(cur.Tokens)+1)
		}
		head := 0
		if f[6] != "_" {
			head, err = strconv.Atoi(f[6])
			if err != nil {
				return nil, fmt.Errorf("line %d: bad head %q: %w", lineNo, f[6], err)
			}
		}
		if len(cur.Tokens) == 0 {
			cur.Line = lineNo
		}
		cur.Tokens = append(cur.Tokens, Token{Form: f[1], UPOS: f[3], Head: head, Rel: f[7]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", lineNo+1, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}
