package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word or punctuation mark. Start and End are byte offsets into the text
// the token was read from (the sentence or document), End exclusive; Text is
// text[Start:End].
type Token struct {
	Text       string
	Start, End int
}

// abbreviations keep their final period in Tokenize ("Mr.", "Corp.", "Jan.").
// Single letters followed by a period ("J.") are kept too.
var abbreviations = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`mr mrs ms dr prof sr jr st mt ft gen lt col maj capt cmdr sgt
		adm brig cpl pvt rev sen rep gov pres supt insp hon messrs mme mlle
		corp inc ltd co cos bros plc llc assn dept univ govt
		jan feb mar apr jun jul aug sep sept oct nov dec tue tues thu thur thurs fri
		vol vs etc approx ave blvd rd hwy
		ala ariz ark calif colo conn fla kan kans ky md mich minn neb nebr nev okla tenn tex wis wisc wyo
		u.s u.n u.k e.u a.m p.m`) {
		abbreviations[a] = true
	}
}

// Tokenize splits news text into tokens the way CoNLL-2003 is tokenized: punctuation
// is split off, but words keep inner hyphens ("Ki-moon", "US-Russia"), inner periods
// of abbreviations and numbers ("U.S.", "3.5", "Mr."), inner commas of numbers
// ("1,000") and inner apostrophes of names ("O'Neill"); the clitics "'s", "'re", "'ve",
// "'ll", "'d", "'m" and "n't" are tokens of their own ("does n't", "Syria 's").
// Offsets are byte offsets into text. Invalid UTF-8 bytes are treated as letters.
func Tokenize(text string) []Token {
	return appendTokens(make([]Token, 0, len(text)/5+1), text)
}

// appendTokens appends the tokens of text to toks (see Tokenize).
func appendTokens(toks []Token, text string) []Token {
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isSpace(r) {
			i += n
			continue
		}
		if !isWordRune(r) {
			end := i + n
			// Runs of the same dash or period ("--", "...") stay together.
			if r == '-' || r == '.' {
				for end < len(text) && text[end] == byte(r) {
					end++
				}
			}
			toks = append(toks, Token{text[i:end], i, end})
			i = end
			continue
		}
		end := scanWord(text, i)
		toks = appendWord(toks, text, i, end)
		i = end
	}
	return toks
}

// scanWord returns the end of the word starting at i: word runes joined by inner
// hyphens, periods, commas, apostrophes and ampersands that have a word rune on both sides.
func scanWord(text string, i int) int {
	end := i
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		if isWordRune(r) {
			end += n
			continue
		}
		if !isJoiner(r) || end == i {
			break
		}
		next, m := utf8.DecodeRuneInString(text[end+n:])
		if end+n >= len(text) || !isWordRune(next) {
			break
		}
		_ = m
		prev, _ := utf8.DecodeLastRuneInString(text[i:end])
		switch r {
		case ',':
			// Only digit groups: "1,000".
			if !isDigit(prev) || !isDigit(next) {
				return end
			}
		case '.':
			// "3.5", "U.S", "a.m", "www.reuters.com" — but not "said.The".
			if !(isDigit(prev) && isDigit(next)) && !(isLetter(prev) && isLetter(next) && (shortRunBefore(text[i:end]) || unicode.IsLower(next))) {
				return end
			}
		}
		end += n
	}
	// A trailing period belongs to an abbreviation ("U.S.", "Mr.", "J.").
	if end < len(text) && text[end] == '.' && (end+1 >= len(text) || text[end+1] != '.') && isAbbreviation(text[i:end]) {
		end++
	}
	return end
}

// shortRunBefore reports whether the letters since the last period (or the start) are
// at most two, as in "U.S" or "Ph.D".
func shortRunBefore(s string) bool {
	n := 0
	for j := len(s); j > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if r == '.' {
			break
		}
		n++
		j -= size
	}
	return n <= 2
}

func isAbbreviation(w string) bool {
	if strings.ContainsRune(w, '.') {
		// "U.S", "a.m", "Ph.D": letters with inner periods.
		for _, r := range w {
			if r != '.' && !isLetter(r) {
				return false
			}
		}
		return true
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	if len(w) > 6 {
		return false
	}
	return abbreviations[strings.ToLower(w)]
}

var clitics = []string{"'s", "'re", "'ve", "'ll", "'d", "'m", "’s", "’re", "’ve", "’ll", "’d", "’m"}

// appendWord appends text[i:end], splitting off clitics ("'s", "n't").
func appendWord(toks []Token, text string, i, end int) []Token {
	w := text[i:end]
	if !hasClitic(w) {
		return append(toks, Token{w, i, end})
	}
	lw := strings.ToLower(w)
	for _, c := range clitics {
		if len(lw) > len(c) && strings.HasSuffix(lw, c) {
			cut := end - len(c)
			return append(toks, Token{text[i:cut], i, cut}, Token{text[cut:end], cut, end})
		}
	}
	for _, c := range []string{"n't", "n’t"} {
		if len(lw) > len(c) && strings.HasSuffix(lw, c) {
			cut := end - len(c)
			return append(toks, Token{text[i:cut], i, cut}, Token{text[cut:end], cut, end})
		}
	}
	return append(toks, Token{w, i, end})
}

// hasClitic is a quick test before appendWord lower-cases a word: every clitic has
// an apostrophe ("'", or "’" which starts with the byte 0xe2) in its last five
// bytes, and lower-casing leaves apostrophes and the letters after them where they
// are, so a word without either byte there has none.
func hasClitic(w string) bool {
	for k := max(0, len(w)-6); k < len(w); k++ {
		if w[k] == '\'' || w[k] == 0xe2 {
			return true
		}
	}
	return false
}

// SplitSentences tokenizes text and splits the tokens into sentences: after ".", "!",
// "?" (and any closing quotes or brackets after them) when the next token does not
// start with a lower-case letter, and at blank lines or indented new lines (new
// paragraphs). Offsets are byte offsets into text.
func SplitSentences(text string) [][]Token {
	return splitTokens(text, Tokenize(text), nil)
}

// splitTokens appends the sentences of the tokens of text to out (see
// SplitSentences).
func splitTokens(text string, toks []Token, out [][]Token) [][]Token {
	start := 0
	for i := range toks {
		if i > start && paragraphBreak(text[toks[i-1].End:toks[i].Start]) {
			out = append(out, toks[start:i:i])
			start = i
		}
		if !isTerminal(toks[i].Text) {
			continue
		}
		j := i + 1
		for j < len(toks) && isCloser(toks[j].Text) && toks[j].Start == toks[j-1].End {
			j++
		}
		if j < len(toks) {
			r, _ := utf8.DecodeRuneInString(toks[j].Text)
			if unicode.IsLower(r) || isTerminal(toks[j].Text) || toks[j].Text == "," {
				continue
			}
		}
		out = append(out, toks[start:j:j])
		start = j
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}

// paragraphBreak reports whether the space between two tokens holds a blank line or
// a new line followed by indentation.
func paragraphBreak(space string) bool {
	nl := strings.IndexByte(space, '\n')
	if nl < 0 {
		return false
	}
	rest := space[nl+1:]
	return strings.IndexByte(rest, '\n') >= 0 || strings.HasPrefix(rest, "  ") || strings.HasPrefix(rest, "\t")
}

func isTerminal(s string) bool {
	return s == "." || s == "!" || s == "?" || s == "..." || s == "?!" || s == "!?"
}

func isCloser(s string) bool {
	switch s {
	case "\"", "'", "”", "’", ")", "]", "»":
		return true
	}
	return false
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\n' || r == '\t' || r == '\r' || unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

func isLetter(r rune) bool {
	return r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') || r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r) || r == utf8.RuneError)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r) }

func isWordRune(r rune) bool { return isLetter(r) || isDigit(r) }

func isJoiner(r rune) bool {
	switch r {
	case '-', '.', ',', '\'', '’', '&', '‐', '‑':
		return true
	}
	return false
}
