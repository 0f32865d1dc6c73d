package extract

import (
	"strings"

	"github.com/newsgraph/newsgraph/loader/gazetteer"
)

// Names that are not entities of the story: the outlets a report is taken from, the
// wire's sign-off, by-lines, weekdays and time zones, weapon designations.

// outlets are news agencies, newspapers and broadcasters, written as gazetteer keys
// (lower case, hyphens as spaces). In news they are sources ("told AFP", "SANA news
// agency reported", the "REUTER" sign-off), not actors.
var outlets = phraseSet(`reuter | reuters | afp | agence france presse | associated press | ap | upi |
	united press international | sana | syrian arab news agency | irna | islamic republic news agency |
	bbc | cbs | cnn | nbc | fox news | sky news | al jazeera | al arabiya | tass | itar tass | ria novosti |
	interfax | sputnik | xinhua | kuna | wam | anadolu | anadolu agency | dpa | kyodo | yonhap | tasnim |
	press tv | new york times | washington post | wall street journal | financial times | asharq al awsat |
	al araby al jadeed | al araby | trt world | trt | jordan times | al masdar news | haaretz |
	jerusalem post | times of israel | daily star | al hayat | al manar | al mayadeen | orient news |
	enab baladi | syria direct | middle east eye | ara news | tehran times | kayhan`)

// outletHeads follow a name that is an outlet: "SANA news agency", "CBS television".
var outletHeads = setOf("news agency television tv radio newspaper daily network broadcaster channel")

// nonNames are capitalised words that are never entities: weekday abbreviations of
// datelines ("Wed 05 Apr 2017"), time zones, God in prayers.
var nonNames = setOf("mon tue tues wed thu thur thurs fri sat sun gmt utc god allah")

// weaponHeads follow a weapon's name: "Styx missiles", "Grad rockets".
var weaponHeads = setOf("missile missiles rocket rockets warhead warheads launcher launchers")

// phraseSet builds a set of phrases separated by '|', hyphens read as spaces.
func phraseSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Split(s, "|") {
		if p = strings.Join(strings.Fields(strings.ReplaceAll(p, "-", " ")), " "); p != "" {
			m[p] = true
		}
	}
	return m
}

// outletAt returns the length of an outlet name at k (see outlets), or 0.
func (x *state) outletAt(k, end int) int {
	for n := 4; n >= 1; n-- {
		e := k + n
		if e > end || !x.toks[e-1].word {
			continue
		}
		x.buf = x.buf[:0]
		for i := k; i < e; i++ {
			if x.toks[i].text == "-" {
				continue
			}
			if len(x.buf) > 0 {
				x.buf = append(x.buf, ' ')
			}
			x.buf = append(x.buf, x.toks[i].lower...)
		}
		if outlets[string(x.buf)] {
			return n
		}
	}
	return 0
}

// trySource skips, without a mention, a name at k that is not an entity of the story:
// an outlet (known, or by its head "X news agency", or the listener of "told X"), a
// by-line at the start of the text ("by Jane Roe and John Doe"), a weekday
// abbreviation or time zone, a weapon designation ("Pershing-2", "SS-20's", "Styx
// missiles"). It returns the number of tokens skipped.
func (x *state) trySource(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	t := toks[k]
	if t.lower == "by" && si <= 1 && x.bylineAt(si, k) {
		j := k + 1
		for j < sn.last && (toks[j].cap && toks[j].word || toks[j].lower == "and" || toks[j].text == "-") {
			j++
		}
		return j - k
	}
	if !t.cap {
		return 0
	}
	if nonNames[t.lower] && !(k+1 < sn.last && toks[k+1].cap && toks[k+1].word) {
		return 1 // but "Sun Hung Kai Properties"
	}
	if n := x.designation(si, k); n > 0 {
		return n
	}
	if n := x.outletAt(k, sn.last); n > 0 && x.quotedOutlet(k, n) {
		return n + x.outletHead(si, k+n)
	}
	// an unknown name right before an outlet head, or quoted as a listener ("told X that")
	if _, n := x.gazMatch(k, sn.last); n > 0 {
		return 0
	}
	n := x.nameLen(si, k)
	if n == 0 {
		return 0
	}
	if h := x.outletHead(si, k+n); h > 0 {
		return n + h
	}
	if k-1 >= sn.first && toks[k-1].lower == "told" && !x.gaz.IsFirstName(t.text) {
		return n
	}
	if k+n < sn.last && weaponHeads[toks[k+n].lower] {
		return n
	}
	return 0
}

// sourceWords after an outlet name (and its head) make it the source of a report:
// "IRNA said", "SANA reported", "IRNA, monitored by the BBC".
var sourceWords = setOf("said says reported reports quoted quoting cited citing carried referred added quoted showed")

// sourcePrev are words before an outlet name that make it a source: "told AFP",
// "according to SANA", "monitored by the BBC", "the news agency IRNA".
var sourcePrev = setOf("told to by agency from")

// quotedOutlet reports whether the article cites the outlet of n tokens at k as a
// source somewhere (see sourceContext): then none of its mentions is an entity.
func (x *state) quotedOutlet(k, n int) bool {
	w := x.toks[k].lower
	for si, sn := range x.sents {
		for j := sn.first; j+n <= sn.last; j++ {
			if x.toks[j].lower == w && x.outletAt(j, sn.last) == n && x.sourceContext(si, j, n) {
				return true
			}
		}
	}
	return false
}

// sourceContext reports whether the outlet of n tokens at k in sentence si is cited
// as a source: it signs the text off ("- REUTERS", a line of its own), has an outlet
// head ("SANA news agency"), is the subject of a verb of saying or an apposition
// ("IRNA, monitored by ..."), or follows "told", "according to", "by".
func (x *state) sourceContext(si, k, n int) bool {
	sn := x.sents[si]
	toks := x.toks
	e := k + n
	e += x.outletHead(si, e)
	if e >= sn.last || toks[e].text == "." && e+1 >= sn.last {
		if k == sn.first || toks[k-1].text == "-" {
			return true
		}
	}
	if e > k+n || e < sn.last && (sourceWords[toks[e].lower] || toks[e].text == ",") {
		return true
	}
	p := k - 1
	if p >= sn.first && toks[p].lower == "the" {
		p--
	}
	if p >= sn.first && toks[p].text == "(" && (p == sn.first || toks[p-1].text == ".") {
		return true // a credit opening a sentence: "(AFP and Agencies)"
	}
	return p >= sn.first && sourcePrev[toks[p].lower]
}

// outletHead returns the length of an outlet head at k ("news agency", "television"),
// or 0.
func (x *state) outletHead(si, k int) int {
	sn := x.sents[si]
	if k >= sn.last || x.toks[k].cap && !x.toks[k].upper && k+1 < sn.last && x.toks[k+1].cap {
		return 0
	}
	w := x.toks[k].lower
	if w == "news" && k+1 < sn.last && x.toks[k+1].lower == "agency" {
		return 2
	}
	if outletHeads[w] && w != "news" {
		return 1
	}
	return 0
}

// bylineAt reports whether "by" at k opens a by-line: it starts the sentence or
// follows the date ("March 3 2017 by ..."), and names that are not places or
// organisations follow it.
func (x *state) bylineAt(si, k int) bool {
	sn := x.sents[si]
	toks := x.toks
	if k+1 >= sn.last || !toks[k+1].cap {
		return false
	}
	if _, n := x.gazMatch(k+1, sn.last, gazetteer.Country, gazetteer.City, gazetteer.Organisation); n > 0 {
		return false // "by Russian warplanes"
	}
	if k == sn.first {
		return true
	}
	p := toks[k-1].lower
	_, month := months[p]
	return isNumber(p) || month
}

// designation returns the length of a weapon or code name at k: a word joined by a
// hyphen to a number ("Pershing-2", "SS-20's", "Karbala-7"), or a word of letters and
// digits ("SSN2"); 0 if there is none.
func (x *state) designation(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	n := 0
	switch {
	case k+2 < sn.last && toks[k+1].text == "-" && !toks[k+1].space && !toks[k+2].space && startsDigit(toks[k+2].text):
		n = 3
	case hasDigit(toks[k].text):
		n = 1
	default:
		return 0
	}
	if k+n < sn.last && toks[k+n].text == "'s" {
		n++
	} else if k+n < sn.last && toks[k+n].cap && toks[k+n].word {
		return 0 // part of a name: "Kanal-6 Television"
	}
	return n
}

func startsDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// notEntity reports whether tokens [s, e) of sentence si start with a name that is not
// an entity of the story (see trySource), for stages that find names of their own.
func (x *state) notEntity(si, s, e int) bool { return s < e && x.trySource(si, s) > 0 }
