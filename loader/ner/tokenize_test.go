package ner

import (
	"strings"
	"testing"
)

func tokenTexts(toks []Token) string {
	var ws []string
	for _, t := range toks {
		ws = append(ws, t.Text)
	}
	return strings.Join(ws, " | ")
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"U.N. chief Ban Ki-moon met him.", "U.N. | chief | Ban | Ki-moon | met | him | ."},
		{"The U.S. and the US-Russia deal", "The | U.S. | and | the | US-Russia | deal"},
		{"Syria's army doesn't stop", "Syria | 's | army | does | n't | stop"},
		{"O'Neill said: \"No.\"", "O'Neill | said | : | \" | No | . | \""},
		{"It cost $1,000.50 (3.5%) on 1996-08-22.", "It | cost | $ | 1,000.50 | ( | 3.5 | % | ) | on | 1996-08-22 | ."},
		{"Mr. Smith of Acme Corp. said so, Jan. 5", "Mr. | Smith | of | Acme | Corp. | said | so | , | Jan. | 5"},
		{"wait... what -- now?", "wait | ... | what | -- | now | ?"},
		{"AT&T and R&D; e-mail.", "AT&T | and | R&D | ; | e-mail | ."},
		{"said.The end", "said | . | The | end"},
		{"“Quoted” words’ end", "“ | Quoted | ” | words | ’ | end"},
		{"Damascus, Syria — (SANA)", "Damascus | , | Syria | — | ( | SANA | )"},
		{"", ""},
		{"  \n\t ", ""},
	}
	for _, tc := range tests {
		toks := Tokenize(tc.in)
		if got := tokenTexts(toks); got != tc.want {
			t.Errorf("Tokenize(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
		for _, tok := range toks {
			if tc.in[tok.Start:tok.End] != tok.Text {
				t.Errorf("Tokenize(%q): token %q has offsets %d:%d", tc.in, tok.Text, tok.Start, tok.End)
			}
		}
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"He left. She stayed! Why? Nobody knows.", []string{"He left .", "She stayed !", "Why ?", "Nobody knows ."}},
		{"Mr. Smith met Gen. Jones in the U.S. on Monday.", []string{"Mr. Smith met Gen. Jones in the U.S. on Monday ."}},
		{`"We will win." he said.`, []string{`" We will win . " he said .`}},
		{`He said "no." Then he left.`, []string{`He said " no . "`, "Then he left ."}},
		{"First paragraph without stop\n\nSecond one", []string{"First paragraph without stop", "Second one"}},
		{"wrapped\nline continues.\n    Indented paragraph.", []string{"wrapped line continues .", "Indented paragraph ."}},
		{"It rose 3.5 pct. in 1987", []string{"It rose 3.5 pct . in 1987"}},
	}
	for _, tc := range tests {
		var got []string
		for _, s := range SplitSentences(tc.in) {
			var ws []string
			for _, tok := range s {
				ws = append(ws, tok.Text)
				if tc.in[tok.Start:tok.End] != tok.Text {
					t.Errorf("%q: bad offsets for %q", tc.in, tok.Text)
				}
			}
			got = append(got, strings.Join(ws, " "))
		}
		if strings.Join(got, " / ") != strings.Join(tc.want, " / ") {
			t.Errorf("SplitSentences(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// FuzzTokenize checks that tokens are non-empty, in order, non-overlapping, never
// contain spaces, match their offsets, and cover every non-space character.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"U.N. chief Ban Ki-moon's visit", "don't 1,000.5 $ U.S.-led", "a\u00a0b\u200bc", "\xff\xfe x", "'s n't ''", "...--..", "Ş. İ. Dž ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		end := 0
		for _, tok := range toks {
			if tok.Start < end || tok.End <= tok.Start || tok.End > len(s) {
				t.Fatalf("%q: bad token %+v after %d", s, tok, end)
			}
			if s[tok.Start:tok.End] != tok.Text {
				t.Fatalf("%q: token %q does not match offsets %d:%d", s, tok.Text, tok.Start, tok.End)
			}
			for _, r := range tok.Text {
				if isSpace(r) {
					t.Fatalf("%q: token %q holds a space", s, tok.Text)
				}
			}
			for _, r := range s[end:tok.Start] {
				if !isSpace(r) {
					t.Fatalf("%q: %q skipped", s, s[end:tok.Start])
				}
			}
			end = tok.End
		}
		for _, r := range s[end:] {
			if !isSpace(r) {
				t.Fatalf("%q: tail %q skipped", s, s[end:])
			}
		}
		// Sentences are the same tokens, in order.
		n := 0
		for _, sent := range SplitSentences(s) {
			if len(sent) == 0 {
				t.Fatalf("%q: empty sentence", s)
			}
			for _, tok := range sent {
				if n >= len(toks) || tok != toks[n] {
					t.Fatalf("%q: sentences differ from tokens at %d", s, n)
				}
				n++
			}
		}
		if n != len(toks) {
			t.Fatalf("%q: sentences hold %d tokens, want %d", s, n, len(toks))
		}
	})
}

// TestHasClitic checks the quick test of appendWord against the slow one.
func TestHasClitic(t *testing.T) {
	words := []string{"it's", "IT'S", "Syria's", "don't", "DON'T", "can’t", "Syria’s", "we’re", "WE'RE",
		"they'll", "I'd", "I'm", "O'Neill", "rock'n'roll", "Paris", "n't", "'s", "s", "", "İs", "KELVIN\u212a's",
		"ÀÉÎ's", "ÀÉÎ’S", "x’ll", "ab'", "a'b'c'd'e'f'g", "’", "é’t", "İ'S"}
	for _, w := range words {
		lw := strings.ToLower(w)
		slow := false
		for _, c := range append(clitics[:len(clitics):len(clitics)], "n't", "n’t") {
			if len(lw) > len(c) && strings.HasSuffix(lw, c) {
				slow = true
			}
		}
		if slow && !hasClitic(w) {
			t.Errorf("hasClitic(%q) = false, but it ends in a clitic", w)
		}
	}
}
