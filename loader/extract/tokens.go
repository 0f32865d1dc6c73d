package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word or punctuation mark of the text.
type token struct {
	text       string // as written (curly apostrophes folded to ')
	lower      string // lower case
	start, end int    // byte offsets in the document text
	cap        bool   // starts with an upper-case letter
	upper      bool   // written in capitals with at least two letters ("US", "U.N.")
	word       bool   // starts with a letter or digit
	lineStart  bool   // first token of a line
	paraStart  bool   // first token after a blank line or of an indented line
	space      bool   // preceded by white space (or the start of the text)
}

// tokenize cuts text into tokens: words (letters, digits, marks; dotted abbreviations
// such as "U.S." and numbers such as "1,500" stay whole; internal apostrophes stay: "O'Neill"), a possessive "'s"
// and "n't" as tokens of their own, hyphens and every other punctuation mark as
// one-character tokens.
func tokenize(text string, toks []token) []token {
	toks = toks[:0]
	i := 0
	line, para := true, true
	space := true
	newlines := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == '\n' {
			line, space = true, true
			newlines++
			if newlines >= 2 {
				para = true
			}
			i += n
			continue
		}
		if unicode.IsSpace(r) {
			if newlines > 0 && r != '\r' {
				para = true // an indented line starts a paragraph
			}
			space = true
			i += n
			continue
		}
		newlines = 0
		start := i
		if m := negLen(text[i:]); m > 0 && len(toks) > 0 && !space {
			toks = appendTok(toks, text, i, i+m, line, space)
			i += m
		} else if isWordRune(r) {
			j := i + n
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) {
					j += n2
					continue
				}
				if (r2 == '\'' || r2 == '’') && j+n2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+n2:])
					if isWordRune(r3) {
						// "'s" and "n't" split off; other apostrophes stay inside.
						rest := text[j+n2:]
						if (r3 == 's' || r3 == 'S') && (len(rest) == 1 || !isWordByte(rest[1])) {
							break
						}
						if (r3 == 't' || r3 == 'T') && j-1 > i && (text[j-1] == 'n' || text[j-1] == 'N') && (len(rest) == 1 || !isWordByte(rest[1])) {
							j-- // "didn't" → "did" "n't"
							break
						}
						j += n2
						continue
					}
				}
				if (r2 == ',' || r2 == '.') && j+1 < len(text) && isDigit(text[j-1]) && isDigit(text[j+1]) {
					j++ // "1,500", "3.5": numbers stay whole, as the parser was trained
					continue
				}
				if r2 == '.' && j+1 < len(text) && isAbbrev(text[i:j], text[j+1:]) {
					j++ // "U." of "U.S."
					continue
				}
				break
			}
			// a trailing dot of a dotted abbreviation: "U.S."
			if j < len(text) && text[j] == '.' && strings.Contains(text[i:j], ".") {
				j++
			}
			toks = appendTok(toks, text, start, j, line, space)
			i = j
		} else if (r == '\'' || r == '’') && len(toks) > 0 && !space && i+n < len(text) && (text[i+n] == 's' || text[i+n] == 'S') &&
			(i+n+1 >= len(text) || !isWordByte(text[i+n+1])) {
			toks = appendTok(toks, text, i, i+n+1, line, space)
			i += n + 1
		} else {
			toks = appendTok(toks, text, i, i+n, line, space)
			i += n
		}
		if len(toks) > 0 && toks[len(toks)-1].start == start {
			toks[len(toks)-1].paraStart = para
		}
		line, space, para = false, false, false
	}
	return toks
}

// negLen returns the length of a leading "n't" (or "n’t") ending a word, else 0.
func negLen(s string) int {
	if len(s) < 3 || (s[0] != 'n' && s[0] != 'N') {
		return 0
	}
	m := 0
	switch {
	case s[1] == '\'':
		m = 2
	case strings.HasPrefix(s[1:], "’"):
		m = 4
	default:
		return 0
	}
	if len(s) <= m || (s[m] != 't' && s[m] != 'T') || (len(s) > m+1 && isWordByte(s[m+1])) {
		return 0
	}
	return m + 1
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// isAbbrev reports whether the dot after word is inside a dotted abbreviation: a
// single letter followed by ".X" ("U.S", "U.N", "D.C").
func isAbbrev(word, after string) bool {
	last := word
	if k := strings.LastIndexByte(word, '.'); k >= 0 {
		last = word[k+1:]
	}
	if len(last) != 1 || !(last[0] >= 'A' && last[0] <= 'Z' || last[0] >= 'a' && last[0] <= 'z') {
		return false
	}
	return len(after) > 0 && (after[0] >= 'A' && after[0] <= 'Z' || after[0] >= 'a' && after[0] <= 'z') &&
		(len(after) == 1 || after[1] == '.')
}

func appendTok(toks []token, text string, s, e int, line, space bool) []token {
	raw := text[s:e]
	t := token{text: raw, start: s, end: e, lineStart: line, space: space}
	if strings.Contains(raw, "’") {
		t.text = strings.ReplaceAll(raw, "’", "'")
	}
	t.lower = lowerASCII(t.text)
	r, _ := utf8.DecodeRuneInString(t.text)
	t.word = isWordRune(r)
	t.cap = unicode.IsUpper(r)
	if t.cap {
		letters, upper := 0, true
		for _, c := range t.text {
			if unicode.IsLetter(c) {
				letters++
				if !unicode.IsUpper(c) {
					upper = false
					break
				}
			}
		}
		t.upper = upper && letters >= 2
	}
	return append(toks, t)
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
		if c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for k := i; k < len(b); k++ {
				if b[k] >= utf8.RuneSelf {
					return strings.ToLower(s)
				}
				if b[k] >= 'A' && b[k] <= 'Z' {
					b[k] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// sentence is a range of tokens and its byte span in the text.
type sentence struct {
	first, last int // token range [first, last)
	start, end  int // byte offsets
}

// abbreviations after which a full stop does not end a sentence.
var abbreviations = setOf("mr mrs ms dr st gen col lt sgt capt maj gov sen rep prof jan feb mar apr aug sep sept oct nov dec no vs inc corp ltd co jr sr fig rev adm cmdr mt ft")

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// unionOf returns a set of the words of all the sets.
func unionOf(sets ...map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, s := range sets {
		for w := range s {
			m[w] = true
		}
	}
	return m
}

// maxSentence is the most tokens a sentence may have; longer runs are cut.
const maxSentence = 160

// lineEnds reports whether a line ending with token text ends a sentence: wrapped
// lines of newswire text do not.
func lineEnds(t string) bool {
	switch t {
	case ".", "!", "?", "\"", "”", ":", "'":
		return true
	}
	return false
}

// splitSentences cuts tokens into sentences: at a line break, and after ".", "!" or "?"
// (with closing quotes) when the next token starts a new sentence.
//
// When ts >= 0, the bytes [ts, te) (a headline at the start of the text) form a
// sentence of their own.
func splitSentences(toks []token, out []sentence, ts, te int) []sentence {
	out = out[:0]
	first := 0
	emit := func(last int) {
		if last > first {
			out = append(out, sentence{first: first, last: last, start: toks[first].start, end: toks[last-1].end})
		}
		first = last
	}
	for k := 0; k < len(toks); k++ {
		if k > first && (toks[k].paraStart || toks[k].lineStart && lineEnds(toks[k-1].text)) {
			emit(k)
		}
		if k-first >= maxSentence {
			emit(k) // a run-on "sentence" (a table, a list) is cut to bound the work per sentence
		}
		if ts >= 0 && k > first && (toks[k].start >= ts && toks[k-1].start < ts || toks[k].start >= te && toks[k-1].start < te) {
			emit(k)
		}
		t := toks[k].text
		if t != "." && t != "!" && t != "?" {
			continue
		}
		// a stop after an abbreviation or an initial ("J. Smith") does not end a sentence
		if t == "." && k > 0 && !toks[k].space {
			p := toks[k-1]
			if abbreviations[p.lower] || (len(p.text) == 1 && p.cap) {
				continue
			}
		}
		j := k + 1
		for j < len(toks) && !toks[j].lineStart && (toks[j].text == "." || toks[j].text == "\"" || toks[j].text == "”" || toks[j].text == "'" || toks[j].text == ")") {
			j++
		}
		if j >= len(toks) {
			continue
		}
		nx := toks[j]
		if nx.paraStart || nx.cap || nx.text == "\"" || nx.text == "“" || (nx.word && nx.text[0] >= '0' && nx.text[0] <= '9') {
			emit(j)
			k = j - 1
		}
	}
	emit(len(toks))
	return out
}

// titleCase reports whether a sentence of at least four words is written in title case
// or capitals, as headlines are: then capitalisation says nothing about names.
func titleCase(toks []token) bool {
	words, lower := 0, 0
	for _, t := range toks {
		if !t.word || len(t.text) < 4 || t.text[0] >= '0' && t.text[0] <= '9' {
			continue
		}
		words++
		if !t.cap {
			lower++
		}
	}
	return words >= 4 && (lower == 0 || lower == 1 && words >= 8)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
