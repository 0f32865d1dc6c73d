package extract

import (
	"strings"
	"unicode"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/gazetteer"
)

// mkind is the kind of a mention.
type mkind uint8

const (
	mName        mkind = iota + 1 // a proper name: "John Kerry", "Aleppo", "US"
	mDemonym                      // "Russian" in "Russian warplanes": the country as actor
	mPronoun                      // "he", "its"
	mRole                         // "the US secretary of state", "the foreign minister"
	mCounterpart                  // "his Russian counterpart"
	mFacility                     // "two hospitals", "Aleppo's historic citadel"
	mDistrict                     // "East Aleppo", "rebel-held eastern Aleppo"
)

// mention is one span of a sentence that names (or points to) an entity. Mentions are
// found by rules over the gazetteer; a statistical tagger can add mName mentions of
// its own spans and types before resolution.
type mention struct {
	s, e   int // token range of the mention [s, e)
	as     int // start of the alias span (with determiner and modifiers), <= s
	sent   int
	kind   mkind
	typ    graph.EntityType
	name   string // proposed canonical name
	gaz    *gazetteer.Entry
	via    gazetteer.Via
	actor  bool   // a capital standing for its state ("Washington said")
	scope  int    // index of the mention giving the country or body of a role, -1 if none
	role   string // role title as written ("Secretary of State")
	rclass string // class of the role ("foreign")
	facKey string // facility class ("medical")
	head   string // facility head noun as written ("hospitals")
	loc    int    // index of the mention locating a facility or district, -1 if none
	ent    *entity
	person bool // pronoun: personal (he/his) rather than it/its
	plural bool
	inner  bool // part of a larger mention (the "US" of "US Secretary of State John Kerry")
	// surname: a lone surname taken from the gazetteer, to be confirmed by the article
	surname  bool
	force    string           // forceArmy or forceRebels: named after the article's state (entities_forces.go)
	forceOf  *gazetteer.Entry // the state whose forces an army mention names ("Syrian troops", "troops allied to the Syrian regime")
	mods     int              // facility: words between the determiners and the head ("rebel chemical weapons")
	named    bool             // facility: a name comes first ("the al-Wafideen refugee camp")
	tagged   bool             // typed by the statistical Tagger, not by a rule or the gazetteer
	dateline bool             // the place of a dateline ("LONDON, March 5 -"): where the story was filed
	sure     bool             // typed by its head word or its context ("X Council", "the city of X")
	listed   bool             // one of a run of names whose commas were lost (placeNames)
}

// findMentions appends the mentions of sentence si to x.ments.
func (x *state) findMentions(si int) {
	sn := x.sents[si]
	toks := x.toks
	k := sn.first
	if x.creditLine(si) {
		return // "Youssef Diab, Paula Astih and Najla Habriri.": the reporters
	}
	dateline := x.datelineEnd(si)
	defer func(from int) {
		for i := from; i < len(x.ments); i++ {
			if x.ments[i].s < dateline {
				x.ments[i].dateline = true
			}
		}
	}(len(x.ments))
	for k < sn.last {
		t := &toks[k]
		if !t.word {
			if t.text == "[" { // bracketed credits and editor notes: "[Getty]"
				j := k + 1
				for j < sn.last && toks[j].text != "]" && j-k < 8 {
					j++
				}
				if j < sn.last && toks[j].text == "]" {
					k = j + 1
					continue
				}
			}
			k++
			continue
		}
		if n := x.trySource(si, k); n > 0 {
			k += n
			continue
		}
		if n := x.tryRole(si, k); n > 0 {
			k += n
			continue
		}
		if n := x.tryPronoun(si, k); n > 0 {
			k += n
			continue
		}
		if n := x.tryDistrict(si, k); n > 0 {
			k += n
			continue
		}
		if n := x.tryFacility(si, k); n > 0 {
			k += n
			continue
		}
		if n := x.tryForce(si, k); n > 0 {
			k += n
			continue
		}
		if n := x.tryGazetteer(si, k); n > 0 {
			k += n
			continue
		}
		if n := x.tryTagged(si, k); n > 0 {
			k += n
			continue
		}
		if n := x.tryUnknown(si, k); n > 0 {
			k += n
			continue
		}
		k++
	}
}

func (x *state) add(m mention) int {
	if m.scope == 0 {
		m.scope = -1
	}
	if m.loc == 0 {
		m.loc = -1
	}
	if m.as == 0 || m.as > m.s {
		m.as = m.s
	}
	if m.typ == graph.Person && m.kind == mName && m.e-m.s >= 2 {
		for k := m.s; k < m.e; k++ {
			x.nameWords[x.toks[k].lower] = true
		}
	}
	if m.typ == graph.City && m.kind == mName && m.gaz == nil && !m.inner && m.e-m.s >= 2 && x.pluralPlaceOf(m.sent, m.as) {
		if pieces := x.placeNames(m.s, m.e); len(pieces) > 1 {
			// "the towns of Misraba Ayn Tarma Arbin and Kafr Batna": the list's
			// commas were lost, and the place noun says there are several names
			for _, r := range pieces {
				p := m
				p.s, p.e, p.as, p.name, p.listed = r[0], r[1], r[0], x.text(r[0], r[1]), true
				x.ments = append(x.ments, p)
			}
			return len(x.ments) - 1
		}
	}
	x.ments = append(x.ments, m)
	return len(x.ments) - 1
}

// speakerAfterBody reports whether the capitalised words from token j of sentence si,
// after a body's head word, are a speaker's name run onto the body's by lost commas:
// one or two words, a first name among them or a speech verb right after ("member
// of the Kurdish National Council Mustafa Sino said", "Pathologist at the Aleppo
// University Hashim told reporters"). "Aleppo University Hospital" goes on.
func (x *state) speakerAfterBody(si, j int) bool {
	sn := x.sents[si]
	e := j
	for e < sn.last && e-j < 3 && x.toks[e].word && x.toks[e].cap && !stopCaps[x.toks[e].lower] && !orgHeads[x.toks[e].lower] {
		e++
	}
	if e == j || e-j > 2 || e >= sn.last || !speechVerbs[x.toks[e].lower] {
		return false
	}
	return x.gaz.IsFirstName(x.toks[j].text) || e-j == 2
}

// pluralPlaceOf reports whether a plural place noun and "of" come right before
// token k of sentence si: "the towns of", "the villages of".
func (x *state) pluralPlaceOf(si, k int) bool {
	return k-2 >= x.sents[si].first && x.toks[k-1].lower == "of" && districtPlurals[x.toks[k-2].lower]
}

// placeNamePrefixes are the first words of Arabic and Kurdish place names that take
// the next word with them ("Ayn Tarma", "Kafr Batna", "Deir Ezzor", "Sheikh Yassin").
var placeNamePrefixes = setOf("ayn ain ein al kafr kfar kafar tell tel tal tall deir dayr beit bayt bait bab jisr maarat maaret khan ras bir umm abu sheikh shaykh jabal jebel wadi karm karam bustan mazraat qasr ard tariq hay hayy harat qalaat qala nahr marj")

// placeNames splits the run of place names in tokens [s, e) into names: a word (with
// its hyphenated parts: "al-Reshidiya") is a name of its own unless it is a name
// prefix ("Ayn Tarma") or an "al-" word follows a plain one ("Bustan al-Qasr").
func (x *state) placeNames(s, e int) [][2]int {
	var units [][2]int
	for k := s; k < e; {
		j := k + 1
		for j+1 < e && x.toks[j].text == "-" && !x.toks[j].space && !x.toks[j-1].space {
			j += 2
		}
		units = append(units, [2]int{k, j})
		k = j
	}
	article := func(u [2]int) bool {
		return u[1]-u[0] > 1 && arabicArticles[x.toks[u[0]].lower] || u[1]-u[0] == 1 && fusedArticle(x.toks[u[0]].lower)
	}
	var out [][2]int
	for i := 0; i < len(units); i++ {
		r := units[i]
		if !x.toks[r[0]].cap && !article(r) || districtOf[x.toks[r[0]].lower] || provinceNouns[x.toks[r[0]].lower] {
			return nil // a lower-case word or a place noun inside ("Qaryatayn Town"): not a run of names
		}
		for i+1 < len(units) && (placeNamePrefixes[x.toks[r[1]-1].lower] && r[1]-r[0] == 1 || article(units[i+1]) && !article(units[i]) && r == units[i]) {
			i++
			r[1] = units[i][1]
		}
		out = append(out, r)
	}
	return out
}

// arabicArticles begin hyphenated Arabic names: "al-Hamidiya", "el-Bab", "ad-Dana".
var arabicArticles = setOf("al el ad as ash an ar at az")

// fusedArticle reports whether the lower-case word w is an Arabic name with its
// article written on ("Aljabal", "Alhamra", "Addawla"): "al" and a consonant, or a
// sun letter doubled. "Aleppo" and "Alan" are not.
func fusedArticle(w string) bool {
	if len(w) < 6 || w[0] != 'a' {
		return false
	}
	if w[1] == 'l' {
		return !strings.ContainsRune("aeiouyl", rune(w[2]))
	}
	return strings.ContainsRune("dstrzn", rune(w[1])) && w[2] == w[1]
}

// last returns the index of the last mention of sentence si ending at token k, or -1.
func (x *state) lastEndingAt(si, k int) int {
	if n := len(x.ments); n > 0 {
		m := &x.ments[n-1]
		if m.sent == si && m.e == k {
			return n - 1
		}
	}
	return -1
}

func (x *state) tryPronoun(si, k int) int {
	t := x.toks[k]
	switch {
	case personPron[t.lower]:
		x.add(mention{s: k, e: k + 1, sent: si, kind: mPronoun, typ: graph.Person, person: true})
		return 1
	case thingPron[t.lower]:
		x.add(mention{s: k, e: k + 1, sent: si, kind: mPronoun})
		return 1
	}
	return 0
}

// gazMatch returns the longest gazetteer match starting at k within [k, end) that the
// letter case allows, and its length.
func (x *state) gazMatch(k, end int, kinds ...gazetteer.Kind) (gazetteer.Match, int) {
	toks := x.toks
	max := x.gaz.MaxWords(toks[k].lower)
	if max == 0 {
		return gazetteer.Match{}, 0
	}
	if k+max > end {
		max = end - k
	}
	for n := max; n >= 1; n-- {
		if !toks[k+n-1].word && toks[k+n-1].text != "'s" {
			continue
		}
		key := x.key(k, k+n)
		for _, m := range x.gaz.Lookup(key) {
			if len(kinds) > 0 && !hasKind(kinds, m.Kind) {
				continue
			}
			if x.caseOK(m, k, k+n) {
				return m, n
			}
		}
		if m, ok := x.gaz.Near(x.keyList(k, k+n)); ok && toks[k+n-1].cap && (len(kinds) == 0 || hasKind(kinds, m.Kind)) && x.caseOK(m, k, k+n) {
			return m, n // "the British-based Syrian Obervatory for Human Rights"
		}
	}
	return gazetteer.Match{}, 0
}

func hasKind(ks []gazetteer.Kind, k gazetteer.Kind) bool {
	for _, v := range ks {
		if v == k {
			return true
		}
	}
	return false
}

// keyList returns the words of the gazetteer key of tokens [s, e) in x.words.
func (x *state) keyList(s, e int) []string {
	x.words = x.words[:0]
	for i := s; i < e; i++ {
		if x.toks[i].text != "-" {
			x.words = append(x.words, x.toks[i].lower)
		}
	}
	return x.words
}

// key builds the gazetteer key of tokens [s, e) in x.buf.
func (x *state) key(s, e int) string {
	x.buf = x.buf[:0]
	for i := s; i < e; i++ {
		if x.toks[i].text == "-" {
			continue
		}
		if len(x.buf) > 0 {
			x.buf = append(x.buf, ' ')
		}
		x.buf = append(x.buf, x.toks[i].lower...)
	}
	return string(x.buf)
}

// caseOK applies the letter-case rules: acronyms match only in capitals, multi-word
// organisation names in any case, everything else must start with a capital.
func (x *state) caseOK(m gazetteer.Match, s, e int) bool {
	toks := x.toks
	if gazetteer.IsAcronym(m.Surface) {
		for i := s; i < e; i++ {
			if toks[i].word && !toks[i].upper && len(toks[i].text) > 1 {
				return false
			}
		}
		return toks[s].cap
	}
	if m.Kind == gazetteer.Organisation && e-s > 1 {
		return true
	}
	if !toks[s].cap {
		return false
	}
	// "Washington Heights" yes, "New York times" no: a multi-word name keeps its capitals
	for i := s + 1; i < e; i++ {
		if toks[i].word && !toks[i].cap && !nameParticles[toks[i].lower] && unicode.IsUpper(firstRune(m.Surface, i-s)) {
			return false
		}
	}
	return true
}

// firstRune returns the first rune of the w-th word of phrase s (words as Split cuts).
func firstRune(s string, w int) rune {
	ws := gazetteer.Split(s)
	if w >= len(ws) {
		return 0
	}
	for _, r := range ws[w] {
		return r
	}
	return 0
}

func typeOf(k gazetteer.Kind) graph.EntityType {
	switch k {
	case gazetteer.Country:
		return graph.State
	case gazetteer.City:
		return graph.City
	case gazetteer.Organisation:
		return graph.Organisation
	case gazetteer.Person:
		return graph.Person
	}
	return graph.Other
}

// tryGazetteer finds a known name at k: countries and demonyms, cities, organisations,
// persons. A demonym followed by a force noun ("Syrian army") is an organisation, one
// followed by a state noun ("Syrian regime") is the state.
func (x *state) tryGazetteer(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	if n := x.tryProvince(si, k); n > 0 {
		return n
	}
	m, n := x.gazMatch(k, sn.last)
	if n == 0 {
		return x.tryLostApostrophe(si, k)
	}
	if n == 1 && stopCaps[toks[k].lower] && !toks[k].upper {
		return 0
	}
	e := k + n
	if m.Kind == gazetteer.Organisation && toks[k].upper && n == 1 && x.demonymOrg(si, e) {
		return 0 // "the WHO Health Emergencies Programme": a body of the WHO, named whole
	}
	men := mention{s: k, e: e, sent: si, typ: typeOf(m.Kind), name: m.Name, gaz: m.Entry, via: m.Via, kind: mName}
	if m.Via == gazetteer.ByDemonym {
		men.kind = mDemonym
		men.plural = strings.HasSuffix(toks[e-1].lower, "s") && !strings.HasSuffix(m.Name, "s")
		// demonym + force noun: an organisation ("the Syrian army" → Syrian Army)
		if e < sn.last {
			head := toks[e].lower
			if e+1 < sn.last {
				if f, ok := forceHeads[head+" "+toks[e+1].lower]; ok {
					return x.addForce(si, k, e+2, m, f)
				}
			}
			if f, ok := forceHeads[head]; ok {
				return x.addForce(si, k, e+1, m, f)
			}
			// "Syrian regime forces", "Iraqi government troops": the state's army
			if armyModifiers[head] && e+1 < sn.last && sideForces[toks[e+1].lower] {
				return x.addForce(si, k, e+2, m, "Army")
			}
			if x.demonymOrg(si, e) {
				return 0 // "Syrian National Coalition": the demonym starts an organisation's name
			}
			if stateHeads[head] {
				men.kind = mName
				men.e = e + 1
				men.as = x.detStart(si, k, e+1)
				x.add(men)
				return e + 1 - k
			}
		}
	}
	if m.Kind == gazetteer.City && e < sn.last && toks[e].cap && (orgHeads[toks[e].lower] || facHeads[toks[e].lower] || roadHeads[toks[e].lower]) {
		return 0 // "Aleppo University", "Castello Road": a longer name
	}
	if m.Kind == gazetteer.City && m.Capital && x.capitalActor(si, k, e) {
		if c := x.gaz.Country(m.Country); c != nil {
			men.actor = true
			men.typ = graph.State
			men.gaz = c
			men.name = c.Name
		}
	}
	if person := men; men.typ == graph.Person && (x.regime(si, &men) || x.leaderForce(si, &men)) {
		// "the Bashar Assad regime", "Assads troops": the state or its army, and the
		// person named inside
		person.inner = true
		x.add(person)
		x.add(men)
		return men.e - k
	}
	men.as = x.detStart(si, k, e)
	x.add(men)
	return n
}

// tryProvince finds a province named after its capital or by a name of its own:
// "Idlib province", "Quneitra governorate", "the province of Quneitra". It is a
// place of its own ("Idlib province"), not the city.
func (x *state) tryProvince(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	name := func(j int) int { // capitalised words from j, up to three
		n := 0
		for j+n < sn.last && n < 3 && toks[j+n].cap && toks[j+n].word && !stopCaps[toks[j+n].lower] && !provinceNouns[toks[j+n].lower] {
			n++
		}
		return n
	}
	if provinceNouns[toks[k].lower] && !toks[k].cap && k+2 < sn.last && toks[k+1].lower == "of" && k > sn.first && toks[k-1].lower == "the" {
		if n := name(k + 2); n > 0 {
			x.add(mention{s: k, e: k + 2 + n, as: k - 1, sent: si, kind: mName, typ: graph.City, name: x.text(k+2, k+2+n) + " province"})
			return 2 + n
		}
		return 0
	}
	if !toks[k].cap || k > sn.first && toks[k-1].cap && toks[k-1].word {
		return 0
	}
	n := name(k)
	if n == 0 || k+n >= sn.last || !provinceNouns[toks[k+n].lower] || toks[k+n].cap {
		return 0
	}
	if g, gn := x.gazMatch(k, k+n); gn == n && g.Kind != gazetteer.City {
		return 0 // "the Syrian province": a demonym, not a name
	}
	x.add(mention{s: k, e: k + n + 1, as: x.detStart(si, k, k+n+1), sent: si, kind: mName, typ: graph.City, name: x.text(k, k+n) + " province"})
	return n + 1
}

// tryLostApostrophe finds a known name whose possessive lost its apostrophe, as
// in texts stripped of punctuation: "Syrias Eastern Ghouta", "Aleppos southern
// Hamdaniya".
func (x *state) tryLostApostrophe(si, k int) int {
	t := x.toks[k]
	if !t.cap || t.upper || len(t.lower) < 4 || !strings.HasSuffix(t.lower, "s") || len(x.gaz.Lookup(t.lower)) > 0 {
		return 0
	}
	ms := x.gaz.Lookup(t.lower[:len(t.lower)-1])
	if len(ms) == 0 || ms[0].Via == gazetteer.ByDemonym || ms[0].Kind != gazetteer.Country && ms[0].Kind != gazetteer.City {
		return 0
	}
	m := ms[0]
	x.add(mention{s: k, e: k + 1, as: x.detStart(si, k, k+1), sent: si, kind: mName, typ: typeOf(m.Kind), name: m.Name, gaz: m.Entry, via: m.Via})
	return 1
}

// regime turns "the Assad regime", "the Putin government" into the state the person
// leads, extending the mention over the head noun.
func (x *state) regime(si int, m *mention) bool {
	sn := x.sents[si]
	if m.gaz == nil || m.e >= sn.last || !stateHeads[x.toks[m.e].lower] {
		return false
	}
	c := x.gaz.Country(m.gaz.CountryAt(x.published))
	if c == nil {
		return false
	}
	m.e++
	m.typ, m.name, m.gaz, m.via = graph.State, c.Name, c, gazetteer.ByAlias
	m.as = x.detStart(si, m.s, m.e)
	return true
}

// regimeOf turns "the regime of Assad" ("the government of ...") into the state the
// person leads, extending the mention back over the noun.
func (x *state) regimeOf(si int, m *mention) bool {
	sn := x.sents[si]
	if m.gaz == nil || m.s-2 < sn.first || x.toks[m.s-1].lower != "of" || !stateHeads[x.toks[m.s-2].lower] {
		return false
	}
	if n := len(x.ments); n > 0 && x.ments[n-1].e > m.s-2 {
		return false // the noun is part of a mention already
	}
	c := x.gaz.Country(m.gaz.CountryAt(x.published))
	if c == nil {
		return false
	}
	m.s -= 2
	m.typ, m.name, m.gaz, m.via = graph.State, c.Name, c, gazetteer.ByAlias
	m.as = x.detStart(si, m.s, m.e)
	return true
}

func (x *state) addForce(si, k, e int, m gazetteer.Match, head string) int {
	name := strings.TrimSpace(m.Surface) + " " + head
	// a curated organisation of that name wins ("Syrian Army")
	if ms := x.gaz.Lookup(x.key(k, e)); len(ms) > 0 && ms[0].Kind == gazetteer.Organisation {
		name = ms[0].Name
	} else if c := m.Entry; c != nil {
		name = titleWords(x.text(k, k+1)) + " " + head
	}
	x.add(mention{s: k, e: e, as: x.detStart(si, k, e), sent: si, kind: mName, typ: graph.Organisation, name: name, forceOf: m.Entry})
	return e - k
}

// capitalActor decides whether a capital at [s, e) stands for its government: after no
// locative preposition, it is followed by a verb or auxiliary ("Washington has said",
// "Moscow ends"), is a possessor of a relation noun ("Moscow's bombing"), is followed by
// a voice of the state ("Tehran radio"), is the object of a warning, condemnation or
// meeting verb ("warned Tehran"), the agent of a passive ("brokered by Moscow and
// Washington"), or the partner of talks ("talks with Moscow").
func (x *state) capitalActor(si, s, e int) bool {
	sn := x.sents[si]
	toks := x.toks
	if s-1 >= sn.first && locativePreps[toks[s-1].lower] {
		return false // a place: "a town near Damascus besieged by government forces"
	}
	if e < sn.last {
		nx := toks[e]
		if auxiliaries[nx.lower] && nx.lower != "'s" || speechVerbs[nx.lower] {
			return true
		}
		if nx.lower == "'s" && e+1 < sn.last {
			return true
		}
		if !nx.cap && nx.word && len(nx.lower) > 3 && !prepositions[nx.lower] && (strings.HasSuffix(nx.lower, "ed") ||
			(strings.HasSuffix(nx.lower, "s") && !strings.HasSuffix(nx.lower, "ss"))) {
			return true
		}
		if x.isVerbTrigger(e) {
			return true
		}
	}
	if e < sn.last && !toks[e].cap && (stateVoices[toks[e].lower] || e+1 < sn.last && !toks[e+1].cap && stateVoices[toks[e+1].lower]) {
		return true // the government's voice: "Tehran radio", "Baghdad war communiques"
	}
	if s-1 >= sn.first && x.partyVerb(s-1) {
		return true // the other party of a warning, a condemnation or a meeting: "warned Tehran"
	}
	if s-2 >= sn.first && toks[s-1].lower == "by" && strings.HasSuffix(toks[s-2].lower, "ed") {
		return true // the agent of a passive: "a deal brokered by Moscow"
	}
	if s-1 >= sn.first && toks[s-1].lower == "and" && len(x.ments) > 0 {
		if m := &x.ments[len(x.ments)-1]; m.actor && m.e == s-1 {
			return true // "by Moscow and Washington": coordinated with a capital that acts
		}
	}
	if s >= 2 && (toks[s-1].lower == "with" || toks[s-1].lower == "and") {
		for i := s - 2; i >= sn.first && i >= s-4; i-- {
			switch toks[i].lower {
			case "talks", "negotiations", "relations", "ties", "agreement", "deal", "dialogue", "contacts":
				return true
			}
		}
	}
	return false
}

// stateVoices are the nouns after a capital that make it its government's voice:
// "Tehran radio", "Baghdad war communiques", "Moscow officials".
var stateVoices = setOf("radio television tv communique communiques officials")

// partyVerbs are the relations whose object is a party, not a place: a capital after
// their verb is its government ("Washington warned Tehran", "condemned Moscow").
var partyVerbs = setOf("warned condemned met")

// partyVerb reports whether the word at k is a verb of a partyVerbs relation.
func (x *state) partyVerb(k int) bool {
	for _, t := range x.vocab.candidates(x.toks[k].lower) {
		if t.IsVerb() && len(t.Words) == 1 && partyVerbs[t.Relation] {
			return true
		}
	}
	return false
}

// groundVerb reports whether the word at k is a verb of bombing or seizing, whose object
// is a place.
func (x *state) groundVerb(k int) bool {
	for _, t := range x.vocab.candidates(x.toks[k].lower) {
		if t.IsVerb() && len(t.Words) == 1 && (t.Relation == "bombed" || t.Relation == "seized") {
			return true
		}
	}
	return false
}

func (x *state) isVerbTrigger(k int) bool {
	for _, t := range x.vocab.candidates(x.toks[k].lower) {
		if t.IsVerb() && len(t.Words) == 1 && t.Form != VerbIng {
			return true
		}
	}
	return false
}

// detStart returns the start of the alias span of a mention at k: a preceding "the",
// and modifiers such as "rebel-held".
func (x *state) detStart(si, k, end int) int {
	sn := x.sents[si]
	toks := x.toks
	s := k
	// "rebel - held", "government - controlled"
	if s-3 >= sn.first && toks[s-2].text == "-" && heldWords[toks[s-1].lower] && toks[s-3].word {
		s -= 3
	}
	if s-1 >= sn.first && (toks[s-1].lower == "the") && x.npEnds(si, end) {
		s--
	}
	return s
}

// npEnds reports whether the noun phrase of a name at k ends with the name: it is
// followed by punctuation, a verb, a preposition or a conjunction, not by a noun it
// modifies ("the Beirut-based group", "the Idlib province").
func (x *state) npEnds(si, e int) bool {
	sn := x.sents[si]
	for e < sn.last && (x.toks[e].cap || x.toks[e].text == "-" && !x.toks[e].space && e+1 < sn.last && x.toks[e+1].cap) {
		e++
	}
	if e >= sn.last {
		return true
	}
	t := x.toks[e]
	if !t.word {
		return t.text != "-" && t.text != "'s"
	}
	w := t.lower
	return prepositions[w] || auxiliaries[w] || clauseBreak[w] || speechVerbs[w] || w == "and" || w == "or" ||
		strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ly") || x.isVerbTrigger(e)
}

func titleWords(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if up {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(r)
		}
		up = r == ' '
	}
	return b.String()
}

// text returns the document text of tokens [s, e), with runs of white space as one
// space.
func (x *state) text(s, e int) string {
	if s >= e {
		return ""
	}
	t := x.src[x.toks[s].start:x.toks[e-1].end]
	for i := 0; i < len(t); i++ {
		if c := t[i]; c == '\n' || c == '\t' || c == '\r' || c == ' ' && i+1 < len(t) && t[i+1] == ' ' {
			return strings.Join(strings.Fields(t), " ")
		}
	}
	return t
}

// knownNamePart reports whether w (lower case) is a word of a person named earlier.
func (x *state) knownNamePart(w string) bool { return x.nameWords[w] }

// hyphenated reports whether a name joins words with a hyphen ("Deir al-Zor").
func hyphenated(toks []token) bool {
	for _, t := range toks {
		if t.text == "-" {
			return true
		}
	}
	return false
}

// ethnicAdjective guesses whether a capitalised word is an adjective of a people or
// creed ("Kurdish", "Islamist", "Shiite"), which is not an entity of its own.
func ethnicAdjective(w string) bool {
	for _, suf := range []string{"ish", "ist", "ists", "ic", "ian", "ians", "ese", "ite", "ites"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// hasParticle reports whether a name has a lower-case particle ("al", "bin").
func hasParticle(toks []token) bool {
	for _, t := range toks[1:] {
		if nameParticles[t.lower] && !t.cap {
			return true
		}
	}
	return false
}

func romanNumeral(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("IVXLC", s[i]) < 0 {
			return false
		}
	}
	return true
}

// tryDistrict finds "East Aleppo", "eastern Aleppo", "rebel-held eastern Aleppo": a
// direction word before a city is a district of that city.
func (x *state) tryDistrict(si, k int) int {
	sn := x.sents[si]
	dir, ok := directions[x.toks[k].lower]
	if !ok || k+1 >= sn.last {
		return 0
	}
	if x.toks[k+1].lower == "of" && k+2 < sn.last && k-1 >= sn.first && (x.toks[k-1].lower == "the" || heldWords[x.toks[k-1].lower]) {
		// "the east of Aleppo", "the rebel-held east of Aleppo": a part of the city
		// (without "the", "east of Aleppo" is a direction from it)
		m, n := x.gazMatch(k+2, sn.last, gazetteer.City)
		if n == 0 {
			return 0
		}
		city := x.add(mention{s: k + 2, e: k + 2 + n, sent: si, kind: mName, typ: graph.City, name: m.Name, gaz: m.Entry, via: m.Via, inner: true})
		x.add(mention{s: k, e: k + 2 + n, as: x.detStart(si, k, k+2+n), sent: si, kind: mDistrict, typ: graph.City, name: dir + " " + m.Name, loc: city})
		return 2 + n
	}
	m, n := x.gazMatch(k+1, sn.last, gazetteer.City)
	if n == 0 || k+1+n < sn.last && provinceNouns[x.toks[k+1+n].lower] {
		return 0 // "southern Idlib province": the province (tryProvince)
	}
	city := x.add(mention{s: k + 1, e: k + 1 + n, sent: si, kind: mName, typ: graph.City, name: m.Name, gaz: m.Entry, via: m.Via, inner: true})
	x.add(mention{s: k, e: k + 1 + n, as: x.detStart(si, k, k+1+n), sent: si, kind: mDistrict, typ: graph.City, name: dir + " " + m.Name, loc: city})
	return 1 + n
}

// tryRole finds role phrases: "US Secretary of State John Kerry" (a person with a
// role), "the US secretary of state" and "the foreign minister (Lavrov)" (the person
// holding the role), "his Russian counterpart".
func (x *state) tryRole(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	// his Russian counterpart
	if personPron[toks[k].lower] && (toks[k].lower == "his" || toks[k].lower == "her") {
		j := k + 1
		country := -1
		if j < sn.last {
			if m, n := x.gazMatch(j, sn.last, gazetteer.Country); n > 0 {
				country = x.add(mention{s: j, e: j + n, sent: si, kind: mDemonym, typ: graph.State, name: m.Name, gaz: m.Entry, via: m.Via, inner: true})
				j += n
			}
		}
		if j < sn.last && counterpartNouns[toks[j].lower] {
			x.add(mention{s: k, e: j + 1, sent: si, kind: mCounterpart, typ: graph.Person, scope: country})
			return j + 1 - k
		}
		if country >= 0 {
			x.ments = x.ments[:country]
		}
		return 0
	}
	max := x.gaz.RoleMaxWords()
	if k+max > sn.last {
		max = sn.last - k
	}
	n, class := 0, ""
	for l := max; l >= 1; l-- {
		if c, ok := x.gaz.RoleClass(x.key(k, k+l)); ok {
			n, class = l, c
			break
		}
	}
	if n == 0 {
		return 0
	}
	e := k + n
	role := x.text(k, e)
	scope := x.lastEndingAt(si, k)
	if scope >= 0 {
		sm := x.ments[scope]
		if sm.typ != graph.State && sm.typ != graph.Organisation {
			scope = -1
		}
	}
	start := k
	if scope >= 0 {
		start = x.ments[scope].s
		x.ments[scope].inner = true
	}
	as := start
	if as-1 >= sn.first && (toks[as-1].lower == "the" || toks[as-1].lower == "a" || toks[as-1].lower == "former") {
		as--
	}
	// a name follows: "... John Kerry", "... Ban Ki-moon"; ranks before it are skipped
	for e+1 < sn.last && toks[e].cap && personTitles[toks[e].lower] && toks[e+1].cap {
		e++
	}
	if e < sn.last && toks[e].cap && toks[e].word {
		if m, nn := x.gazMatch(e, sn.last, gazetteer.Person); nn > 0 {
			x.add(mention{s: e, e: e + nn, as: as, sent: si, kind: mName, typ: graph.Person, name: m.Name, gaz: m.Entry, via: m.Via, scope: scope, role: role, rclass: class})
			x.roleSpans = append(x.roleSpans, [2]int{start, e})
			return e + nn - k
		}
		if nn := x.nameLen(si, e); nn > 0 {
			x.add(mention{s: e, e: e + nn, as: as, sent: si, kind: mName, typ: graph.Person, name: x.text(e, e+nn), scope: scope, role: role, rclass: class})
			x.roleSpans = append(x.roleSpans, [2]int{start, e})
			return e + nn - k
		}
		if toks[e].cap && !stopCaps[toks[e].lower] {
			return 0 // "Secretary of State Department"? leave it to the other rules
		}
	}
	// "special envoy for Syria Staffan de Mistura", "Executive Director of the WHO
	// Peter Salama": the title's body or country, then the name
	if e+2 < sn.last && (toks[e].lower == "for" || toks[e].lower == "of") {
		j := e + 1
		if toks[j].lower == "the" {
			j++
		}
		if g, n := x.gazMatch(j, sn.last, gazetteer.Country, gazetteer.Organisation); n > 0 && g.Via != gazetteer.ByDemonym && j+n < sn.last && toks[j+n].cap {
			if nn := x.nameLen(si, j+n); nn >= 2 && !x.hasOrgHead(j+n, j+n+nn) {
				sc := x.add(mention{s: j, e: j + n, as: j, sent: si, kind: mName, typ: typeOf(g.Kind), name: g.Name, gaz: g.Entry, via: g.Via})
				if scope >= 0 {
					sc = scope // "UN special envoy for Syria X": the UN's envoy
				}
				x.add(mention{s: j + n, e: j + n + nn, as: as, sent: si, kind: mName, typ: graph.Person, name: x.text(j+n, j+n+nn), scope: sc, role: role, rclass: class})
				x.roleSpans = append(x.roleSpans, [2]int{start, j + n})
				return j + n + nn - k
			}
		}
	}
	// "the foreign minister (Lavrov)"
	if e+2 < sn.last && toks[e].text == "(" && toks[e+1].cap {
		nn := 0
		if _, l := x.gazMatch(e+1, sn.last, gazetteer.Person); l > 0 {
			nn = l
		} else {
			nn = x.nameLen(si, e+1)
		}
		if nn > 0 && e+1+nn < sn.last && toks[e+1+nn].text == ")" {
			m, _ := x.gazMatch(e+1, e+1+nn, gazetteer.Person)
			x.add(mention{s: e + 1, e: e + 1 + nn, as: as, sent: si, kind: mName, typ: graph.Person, name: x.text(e+1, e+1+nn), gaz: m.Entry, via: m.Via, scope: scope, role: role, rclass: class})
			x.roleSpans = append(x.roleSpans, [2]int{as, e})
			return e + 2 + nn - k
		}
	}
	// a bare role needs "the" or a scope: "the foreign minister", "US secretary of state"
	if scope >= 0 || (k-1 >= sn.first && toks[k-1].lower == "the") {
		if e < sn.last && (toks[e].lower == "of" || toks[e].lower == "'s") && scope < 0 {
			return 0 // "the president of France": leave "France" to the other rules
		}
		x.add(mention{s: start, e: e, as: as, sent: si, kind: mRole, typ: graph.Person, scope: scope, role: role, rclass: class})
		return e - k
	}
	return 0
}

// nameLen returns the length of a person name at k: two to four capitalised words
// ("John Kirby", "Ban Ki-moon"), or 0.
func (x *state) nameLen(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	j := k
	words := 0
	for j < sn.last && words < 4 {
		t := toks[j]
		if !t.word || !t.cap || stopCaps[t.lower] || isDateWord(t.lower) {
			break
		}
		if ms := x.gaz.Lookup(t.lower); len(ms) > 0 && words > 0 && (ms[0].Kind == gazetteer.Country) {
			break
		}
		j++
		words++
		// hyphenated parts: "Ki-moon", "al-Assad"; particles: "al-Assad", "de Mistura"
		for {
			if j+1 < sn.last && toks[j].text == "-" && !toks[j].space && toks[j+1].word && !toks[j+1].space {
				j += 2
				continue
			}
			if j+1 < sn.last && nameParticles[toks[j].lower] && !toks[j].cap && (toks[j+1].cap || toks[j+1].text == "-") {
				j++
				continue
			}
			break
		}
	}
	if words == 0 {
		return 0
	}
	if words == 1 && !x.gaz.IsFirstName(toks[k].text) {
		// a single word is a name when a title precedes it ("spokesman Kirby")
		return j - k
	}
	return j - k
}

// creditLine reports whether sentence si, the last of the article, only lists names:
// the reporters who wrote it ("Youssef Diab Paula Astih and Najla Habriri.").
func (x *state) creditLine(si int) bool {
	if si != len(x.sents)-1 || si == 0 {
		return false
	}
	sn := x.sents[si]
	names := 0
	for k := sn.first; k < sn.last; k++ {
		t := x.toks[k]
		switch {
		case t.word && t.cap && !stopCaps[t.lower]:
			names++
		case t.lower == "and" || t.text == "," || t.text == "." || t.text == "-":
		default:
			return false
		}
	}
	return names >= 2 && sn.last-sn.first <= 12
}

// datelineEnd returns the token after a wire dateline opening sentence si ("LONDON,
// March 5 -", "NEW YORK, March 6 -"), or -1.
func (x *state) datelineEnd(si int) int {
	sn := x.sents[si]
	toks := x.toks
	k := sn.first
	for k < sn.last && k < sn.first+3 && toks[k].word && toks[k].upper {
		k++
	}
	if k == sn.first || k+3 >= sn.last || toks[k].text != "," {
		return -1
	}
	if _, ok := months[strings.TrimSuffix(toks[k+1].lower, ".")]; !ok || !isNumber(toks[k+2].lower) || toks[k+3].text != "-" {
		return -1
	}
	return k + 4
}

func isDateWord(w string) bool {
	_, wd := weekdays[w]
	_, mo := months[w]
	if !wd && strings.HasSuffix(w, "s") {
		_, wd = weekdays[w[:len(w)-1]] // "Saturdays" (apostrophe lost)
	}
	return wd || mo
}

// tryFacility finds a facility noun phrase: "two hospitals", "medical facilities",
// "Aleppo's historic citadel".
func (x *state) tryFacility(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	// [possessor city 's] [adjectives] head
	poss := -1
	j := k
	if m, n := x.gazMatch(k, sn.last, gazetteer.City); n > 0 && k+n < sn.last && toks[k+n].lower == "'s" {
		poss = x.add(mention{s: k, e: k + n, sent: si, kind: mName, typ: graph.City, name: m.Name, gaz: m.Entry, via: m.Via})
		j = k + n + 1
	} else if g, n := x.gazMatch(k, k+1); n == 1 && g.Via == gazetteer.ByDemonym && k+1 < sn.last && !toks[k+1].cap && toks[k+1].word {
		// "Iraqi positions east of Basra": the demonym is a modifier (below)
	} else if toks[k].cap && !determiners[toks[k].lower] && !numberWords[toks[k].lower] && !(toks[k].lower[0] >= '0' && toks[k].lower[0] <= '9') {
		// only lower-case facility phrases here; named ones ("Aleppo University") are names
		if _, ok := facilityNoun[toks[k].lower]; !ok || k != sn.first {
			return 0
		}
	}
	start := j
	// modifiers: determiners, numbers, a demonym ("a Syrian army position"), and
	// lower-case adjectives and nouns ("a rebel chemical weapons depot")
	h := j
	demonym, named := -1, 0
	for h < sn.last && h-start < 5 {
		t := toks[h]
		if _, ok := facilityNoun[t.lower]; ok {
			// "the school building": the last facility noun is the head
			if h+1 < sn.last {
				if _, ok := facilityNoun[toks[h+1].lower]; ok && !toks[h+1].cap {
					h++
					continue
				}
			}
			break
		}
		// a name the gazetteer does not know before the head: "the al-Wafideen
		// refugee camp", "The Al Fawwar camp"
		if h > start && h == x.afterDeterminers(start, h)+named && named < 3 && (t.cap || nameParticles[t.lower] && h+2 < sn.last && toks[h+1].text == "-" && toks[h+2].cap) {
			if _, n := x.gazMatch(h, sn.last); n == 0 && !stopCaps[t.lower] {
				if !t.cap {
					h += 2 // "al-"
					named += 2
				}
				named++
				h++
				continue
			}
		}
		if t.cap && demonym < 0 && named == 0 && h == x.afterDeterminers(start, h) {
			if g, n := x.gazMatch(h, h+1); n == 1 && g.Via == gazetteer.ByDemonym {
				demonym = h
				h++
				continue
			}
		}
		lead := h == x.afterDeterminers(start, h) // only determiners and numbers so far
		if !t.word || t.cap && !(lead && determiners[t.lower]) || !((numberWords[t.lower] || determiners[t.lower]) && lead || isNumber(t.lower) || x.facilityModifier(t.lower)) {
			break
		}
		if !lead && h-x.afterDeterminers(start, h)-named >= 3 {
			break // "lines transportation hubs apartment buildings markets": a list, not a name
		}
		h++
	}
	if h >= sn.last {
		if poss >= 0 {
			x.ments = x.ments[:poss]
		}
		return 0
	}
	class, ok := facilityNoun[toks[h].lower]
	if ok && h+1 < sn.last && districtNoun[toks[h+1].lower] {
		ok = false // "the strategic port city of Basra": a kind of town, not a facility
	}
	if !ok {
		if poss >= 0 {
			x.ments = x.ments[:poss]
		}
		return 0
	}
	// "medical facilities": the modifier refines the class
	if class == "facility" && h > start && (toks[h-1].lower == "medical" || toks[h-1].lower == "health") {
		class = "medical"
	}
	e := h + 1
	// do not swallow the first word of a following name ("hospital Aleppo")
	coreStart := start
	for coreStart < h && (determiners[toks[coreStart].lower] || numberWords[toks[coreStart].lower]) {
		coreStart++
	}
	// "health facilities", "army positions", but not "facility" or "positions" alone as
	// generic words without modifiers
	if needsModifier[class] && h == coreStart && poss < 0 {
		return 0
	}
	if demonym >= 0 {
		g, _ := x.gazMatch(demonym, demonym+1)
		x.add(mention{s: demonym, e: demonym + 1, sent: si, kind: mDemonym, typ: graph.State, name: g.Name, gaz: g.Entry, via: g.Via, inner: true})
	}
	if named > 0 && h == coreStart+named && toks[h].cap {
		return 0 // "the Aleppo University": a name (tryUnknown)
	}
	m := mention{s: coreStart, e: e, as: start, sent: si, kind: mFacility, typ: graph.Facility, facKey: class, head: toks[h].text, loc: poss,
		mods: h - coreStart, named: named > 0, plural: strings.HasSuffix(toks[h].lower, "s") && !strings.HasSuffix(toks[h].lower, "ss")}
	if poss >= 0 {
		m.s, m.as = k, k
		if k-1 >= sn.first && toks[k-1].lower == "the" {
			m.as = k - 1
		}
		x.ments[poss].inner = true
	}
	x.add(m)
	return e - k
}

// demonymOrg reports whether the capitalised words from token e (after a demonym)
// end, within four words, in an organisation head: "National Coalition", "Revolution
// General Commission", "National Coalitions (SNC)".
func (x *state) demonymOrg(si, e int) bool {
	sn := x.sents[si]
	for j := e; j < sn.last && j < e+4; j++ {
		t := x.toks[j]
		if !t.word || !t.cap {
			return false
		}
		if _, n := x.gazMatch(j, sn.last); n > 0 && j == e {
			return false // a known name follows: "Iranian Revolutionary Guards"
		}
		w := t.lower
		if militaryUnits[w] {
			return false // "Iraqi Brigade 604": a unit of the state's army
		}
		if orgHeads[w] {
			return j+1 >= sn.last || !x.toks[j+1].cap
		}
		if strings.HasSuffix(w, "s") && orgHeads[w[:len(w)-1]] {
			return j+1 >= sn.last || !x.toks[j+1].cap
		}
	}
	return false
}

// districtPlurals open lists of places: "the villages of al-Foua and Kefraya".
var districtPlurals = setOf("districts neighbourhoods neighborhoods suburbs quarters towns villages cities")

// placeNounOf reports whether a place noun and "of" come before the name at token k,
// perhaps with a demonym or a direction between: "the village of Rityan", "the
// villages of al-Foua", "the mountains of Iraqi Kurdistan", "the province of northern
// Hama". The name is then a place.
func (x *state) placeNounOf(si, k int) bool {
	first := x.sents[si].first
	if j := k - 1; j > first && x.toks[j].lower != "of" {
		if _, dir := directions[x.toks[j].lower]; !dir && !x.isDemonymWord(x.toks[j].text) {
			return false
		}
		k = j
	}
	if k-2 < first || x.toks[k-1].lower != "of" {
		return false
	}
	n := x.toks[k-2].lower
	return districtOf[n] || districtPlurals[n] || landforms[n] || placeOfNouns[n]
}

// waterNouns head the names of bodies of water, which are no entity of the schema:
// "the Strait of Hormuz", "the Gulf", "the Red Sea".
var waterNouns = setOf("strait straits gulf sea ocean river waterway bay")

// waterName reports whether the name at [k, e) is a body of water: its head (the word
// before "of", or its last word) is a water noun.
func (x *state) waterName(k, e int) bool {
	head := x.toks[e-1].lower
	for i := k + 1; i < e-1; i++ {
		if x.toks[i].lower == "of" {
			head = x.toks[i-1].lower
			break
		}
	}
	return waterNouns[head]
}

// placeNounsAfter are the place nouns that make the name before them a place: "the
// Hayan area", "Hardatnin village", "the Haj Omran border area".
var placeNounsAfter = setOf("district neighbourhood neighborhood suburb quarter town village city area region province governorate border")

// placeOfNouns are the place nouns besides districts and landforms that make the
// name after "of" a place: "the province of Idlib", "the outskirts of Douma".
var placeOfNouns = setOf("region regions province provinces governorate area areas outskirts countryside")

// isDemonymWord reports whether word is a demonym of the gazetteer: "Iraqi".
func (x *state) isDemonymWord(word string) bool {
	ms := x.gaz.Lookup(strings.ToLower(word))
	return len(ms) > 0 && ms[0].Via == gazetteer.ByDemonym
}

// listedPlace reports whether the mention ending at token k (before "and" or a
// comma) is a place of a list opened by "the towns of": "the towns of Misraba, Arbin
// and Kafr Batna".
func (x *state) listedPlace(si, k int) bool {
	for i := len(x.ments) - 1; i >= 0 && x.ments[i].sent == si; i-- {
		m := &x.ments[i]
		if m.e == k {
			return m.typ == graph.City && m.sure
		}
		if m.e < k {
			return false
		}
	}
	return false
}

// militaryUnits are the heads of units of an army, not of bodies of their own.
var militaryUnits = setOf("forces force army police navy brigade brigades division battalion regiment guard guards")

// hasOrgHead reports whether a word of tokens [s, e) heads organisations' names
// ("Health Emergencies Programme" is no person).
func (x *state) hasOrgHead(s, e int) bool {
	for k := s; k < e; k++ {
		if orgHeads[x.toks[k].lower] {
			return true
		}
	}
	return false
}

// roleStarts reports whether a role title starts at token k of sentence si.
func (x *state) roleStarts(si, k int) bool {
	last := x.sents[si].last
	for l := min(x.gaz.RoleMaxWords(), last-k); l >= 1; l-- {
		if _, ok := x.gaz.RoleClass(x.key(k, k+l)); ok {
			return true
		}
	}
	return false
}

// headBeforeOf reports whether the name [k, e) joins an organisation head to its
// complement: "Army of Islam", "Council for Foreign Relations".
func (x *state) headBeforeOf(k, e int) bool {
	for i := k + 1; i < e-1; i++ {
		if w := x.toks[i].lower; (w == "of" || w == "for") && orgHeads[x.toks[i-1].lower] {
			return true
		}
	}
	return false
}

// afterDeterminers returns the first token in [s, end) that is not a determiner or
// a number word.
func (x *state) afterDeterminers(s, end int) int {
	for s < end && (determiners[x.toks[s].lower] || numberWords[x.toks[s].lower] || isNumber(x.toks[s].lower)) {
		s++
	}
	return s
}

// facilityModifier reports whether a lower-case word can modify a facility noun: an
// adjective or a noun ("popular", "weapons", "refugee", "training"), not a function
// word or an event word ("bombed", "hit").
func (x *state) facilityModifier(w string) bool {
	if facilityModifiers[w] {
		return true
	}
	if strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") && w != "training" && w != "housing" && w != "parking" {
		return false // a participle: "targeted positions", "receiving treatment"
	}
	if isAdjective(w) {
		return true
	}
	if len(w) < 3 || notModifiers[w] || lightVerbs[w] || clauseBreak[w] || locativePreps[w] || stopCaps[w] {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return len(x.vocab.candidates(w)) == 0
}

// tryTagged takes a Tagger's span starting at k (see Config.Tagger).
func (x *state) tryTagged(si, k int) int {
	sp, ok := x.tagged[k]
	if !ok || sp.end > x.sents[si].last {
		return 0
	}
	if sp.end-k == 1 && peoples[x.toks[k].lower] {
		return 0 // "the Kurds", "Shiite residents": a people, no person or body
	}
	if x.waterName(k, sp.end) {
		return sp.end - k // a body of water: no entity type fits it
	}
	if w := x.toks[k].lower; sp.end-k == 1 && sp.typ != graph.Person && x.gaz.BySurname(w, x.published) != nil && len(x.gaz.Lookup(w)) == 0 {
		return 0 // a well-known surname the tagger took for a place or body: "the regime of Assad"
	}
	if n := x.routeEnds(si, k, sp.end); n > 0 {
		return n
	}
	if n := x.knownPlaceFirst(si, k, sp.end); n > 0 {
		return n
	}
	if sp.typ == graph.Person {
		for j := k + 2; j < sp.end; j++ {
			if x.toks[j].cap && x.roleStarts(si, j) {
				// "Peter Salama Executive Director": the title ends the name
				x.add(mention{s: k, e: j, as: x.detStart(si, k, j), sent: si, kind: mName, typ: graph.Person, name: x.text(k, j), tagged: true})
				return j - k
			}
		}
	}
	if sp.typ == graph.Organisation {
		for j := k + 2; j < sp.end; j++ {
			if orgHeads[x.toks[j-1].lower] && x.speakerAfterBody(si, j) {
				// "the Aleppo University Hashim told reporters": the body ends
				// before its speaker's name
				x.add(mention{s: k, e: j, as: x.detStart(si, k, j), sent: si, kind: mName, typ: graph.Organisation, name: x.text(k, j), sure: true})
				return j - k
			}
		}
	}
	typ, sure := sp.typ, true
	if sn := x.sents[si]; x.placeNounOf(si, k) || sp.end < sn.last && placeNounsAfter[x.toks[sp.end].lower] ||
		sp.typ == graph.Person && k-1 >= sn.first && x.groundVerb(k-1) ||
		k-1 >= sn.first && (x.toks[k-1].lower == "and" || x.toks[k-1].text == ",") && x.listedPlace(si, k-1) {
		typ = graph.City // "the Syrian city of Qamishli", "the villages of al-Foua and Kefraya"
	} else if sp.end-k > 1 && (orgHeads[x.toks[sp.end-1].lower] || x.headBeforeOf(k, sp.end)) {
		typ = graph.Organisation // "Army of Islam", "Syrian National Coalition": the head types it
	} else {
		sure = false
	}
	x.add(mention{s: k, e: sp.end, as: x.detStart(si, k, sp.end), sent: si, kind: mName, typ: typ, name: x.text(k, sp.end), tagged: !sure, sure: sure})
	return sp.end - k
}

// routeEnds adds the two places of a hyphenated pair of names that a route noun
// follows ("the Haj Omran-Rawandiz axis", "the Aleppo-Damascus highway") when the
// name k..end is such a pair, and returns its length; else 0.
func (x *state) routeEnds(si, k, end int) int {
	sn := x.sents[si]
	if end >= sn.last || !routeNouns[x.toks[end].lower] {
		return 0
	}
	for h := k + 1; h+1 < end; h++ {
		if t := x.toks[h]; t.text != "-" || t.space || x.toks[h+1].space || !x.toks[h+1].cap {
			continue
		}
		for _, r := range [2][2]int{{k, h}, {h + 1, end}} {
			typ, name := graph.City, x.text(r[0], r[1])
			men := mention{s: r[0], e: r[1], as: r[0], sent: si, kind: mName, typ: typ, name: name, sure: true}
			if g, n := x.gazMatch(r[0], r[1]); n == r[1]-r[0] {
				men.typ, men.name, men.gaz, men.via = typeOf(g.Kind), g.Name, g.Entry, g.Via
			}
			x.add(men)
		}
		return end - k
	}
	return 0
}

// knownPlaceFirst splits a tagged span that runs a place the article named before
// into a known name ("what happened in Khan Sheikhoun UN special envoy ...", the
// comma lost): it adds the place and returns its length, and the scan goes on with
// the name after it; else 0.
func (x *state) knownPlaceFirst(si, k, end int) int {
	for c := k + 1; c < end; c++ {
		if _, n := x.gazMatch(c, end); n != end-c {
			continue
		}
		name := x.text(k, c)
		for i := range x.ments {
			if m := &x.ments[i]; m.typ == graph.City && m.kind == mName && x.text(m.s, m.e) == name {
				x.add(mention{s: k, e: c, as: k, sent: si, kind: mName, typ: graph.City, name: name, gaz: m.gaz, via: m.via, sure: true})
				return c - k
			}
		}
	}
	return 0
}

// routeNouns follow the pair of places a route joins: "the Haj Omran-Rawandiz axis".
var routeNouns = setOf("axis road highway motorway route corridor railway railroad pipeline")

// tryUnknown finds capitalised names the gazetteer does not know and types them by
// their head word ("... Council" organisation, "... Hospital" facility), by a first
// name or title (person), or by "district of" (city); others are "other".
func (x *state) tryUnknown(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	t := toks[k]
	if !t.cap || stopCaps[t.lower] || isDateWord(t.lower) || auxiliaries[t.lower] || x.headline[si] || peoples[t.lower] {
		return 0
	}
	if personTitles[t.lower] {
		return 0 // "Maj. Gen. Igor Konashenkov": the name starts after the titles
	}
	firstName := x.gaz.IsFirstName(t.text) || personStarters[t.lower]
	// extend over capitalised words, hyphen parts and "of"/"for"/"the" inside names
	j := k
	for j < sn.last {
		u := toks[j]
		if u.word && u.cap && !isDateWord(u.lower) && (j == k || !stopCaps[u.lower]) {
			if firstName && j-k >= 2 && x.roleStarts(si, j) {
				break // "Peter Salama Executive Director of ...": the title ends the name
			}
			if j-k >= 2 && orgHeads[toks[j-1].lower] && x.speakerAfterBody(si, j) {
				break // "the Aleppo University Hashim told reporters": the body, then its speaker
			}
			if j > k {
				kinds := []gazetteer.Kind{gazetteer.Country, gazetteer.City}
				if firstName {
					kinds = kinds[:1] // "Peter Salama" is not Peter in Salama
				}
				// a known place ends the name unless it is a small town ("Abu Hassan")
				if gm, n := x.gazMatch(j, sn.last, kinds...); n > 0 && !orgHeads[toks[j+n-1].lower] && !(j+n < sn.last && orgHeads[toks[j+n].lower] && toks[j+n].cap) &&
					(gm.Kind == gazetteer.Country || gm.Capital || gm.Population >= 500000) {
					break
				}
			}
			j++
			for j+1 < sn.last && toks[j].text == "-" && !toks[j].space && toks[j+1].word && !toks[j+1].space && !hyphenSuffixes[toks[j+1].lower] {
				j += 2
			}
			continue
		}
		if (u.lower == "of" || u.lower == "for") && j > k && j+1 < sn.last && toks[j+1].cap && orgHeads[toks[j-1].lower] {
			j++
			continue
		}
		if nameParticles[u.lower] && !u.cap && j > k && j+1 < sn.last {
			if toks[j+1].cap && toks[j+1].word {
				j++
				continue
			}
			if j+2 < sn.last && toks[j+1].text == "-" && toks[j+2].word && toks[j+2].cap {
				j += 2
				continue
			}
		}
		break
	}
	if j == k {
		return 0
	}
	if _, ok := x.gaz.RoleClass(x.key(k, j)); ok {
		return j - k // a title ("Executive Director"), not a name
	}
	if j-k == 1 && !t.upper && !x.knownNamePart(t.lower) && (x.gaz.IsCommonWord(t.lower) || ethnicAdjective(t.lower)) {
		return 1 // "Comment", "Talks", "Kurdish": a capitalised word, not a name
	}
	if j-k == 1 && !t.upper && !x.knownNamePart(t.lower) {
		// a well-known surname: "Putin", "Assad" (or "Assads", its possessive)
		p := x.gaz.BySurname(t.lower, x.published)
		if p == nil && strings.HasSuffix(t.lower, "s") {
			p = x.gaz.BySurname(t.lower[:len(t.lower)-1], x.published)
		}
		if p != nil && len(x.gaz.Lookup(t.lower)) == 0 {
			m := mention{s: k, e: j, as: k, sent: si, kind: mName, typ: graph.Person, name: p.Name, gaz: p, via: gazetteer.ByAlias, surname: true}
			if x.regime(si, &m) || x.regimeOf(si, &m) || x.leaderForce(si, &m) {
				m.surname = false
			}
			// kept only if the article names the person's country (see resolve)
			x.add(m)
			return m.e - k
		}
	}
	if j-k == 1 && strings.HasSuffix(t.text, "s") && len(t.text) > 3 {
		// "Assads", "Hezbollahs": a possessive that lost its apostrophe
		if ms := x.gaz.Lookup(t.lower[:len(t.lower)-1]); len(ms) > 0 && ms[0].Via != gazetteer.ByDemonym {
			m := ms[0]
			x.add(mention{s: k, e: j, as: k, sent: si, kind: mName, typ: typeOf(m.Kind), name: m.Name, gaz: m.Entry, via: m.Via})
			return 1
		}
	}
	if n := x.routeEnds(si, k, j); n > 0 {
		return n
	}
	last := toks[j-1].lower
	prev := ""
	if k-1 >= sn.first {
		prev = toks[k-1].lower
	}
	men := mention{s: k, e: j, as: k, sent: si, kind: mName, name: x.text(k, j)}
	if j-k > 1 && strings.HasSuffix(last, "s") && !orgHeads[last] && orgHeads[last[:len(last)-1]] && j < sn.last && (toks[j].text == "(" || x.roleStarts(si, j)) {
		// "the Syrian National Coalitions (SNC) vice-president": a possessive that
		// lost its apostrophe
		last = last[:len(last)-1]
		men.name = men.name[:len(men.name)-1]
	}
	if waterNouns[last] {
		// a body of water ("the Strait of Hormuz", "the Gulf"): no entity type fits it
		if j+1 < sn.last && toks[j].lower == "of" && toks[j+1].cap {
			for j++; j < sn.last && toks[j].cap; j++ {
			}
		}
		return j - k
	}
	switch {
	case orgHeads[last] && (j-k > 1 || t.upper) || x.headBeforeOf(k, j):
		men.typ = graph.Organisation // "Syrian National Coalition", "Army of Islam"
		men.sure = !t.upper || j-k > 1
	case facHeads[last] && j-k > 1:
		men.typ = graph.Facility
	case x.placeNounOf(si, k):
		men.typ = graph.City // "the village of Rityan", "the villages of al-Foua"
		men.sure = true
	case j < sn.last && placeNounsAfter[toks[j].lower]:
		men.typ = graph.City // "the Hayan area", "Hardatnin village", "the Haj Omran border area"
		men.sure = true
	case (prev == "and" || prev == ",") && x.listedPlace(si, k-1):
		men.typ = graph.City // "the villages of al-Foua and Kefraya"
		men.sure = true
	case locativePreps[prev] && (hasParticle(toks[k:j]) || hyphenated(toks[k:j])):
		men.typ = graph.City // "in Khan Sheikhun", "near Deir al-Zor"
	case k-1 >= sn.first && x.groundVerb(k-1):
		men.typ = graph.City // "jets bombed Khan Sheikhoun": what is bombed or seized is ground
	case firstName && j-k >= 2 && j-k <= 5:
		men.typ = graph.Person
	case personTitles[prev] && j-k <= 3:
		men.typ = graph.Person
	case k == sn.first && j-k == 1:
		if !x.knownNamePart(t.lower) {
			return 0 // a capitalised first word says nothing
		}
		men.typ = graph.Other // resolved to the person whose name it is part of
	case j-k >= 2 && j-k <= 5 && hasParticle(toks[k:j]) && !hyphenated(toks[k:j]) && x.gaz.IsFirstName(toks[k].text):
		men.typ = graph.Person // "Abdel al Rahman"
	case t.upper && j-k == 1 && len(t.text) >= 2 && !romanNumeral(t.text):
		men.typ = graph.Organisation // acronyms: "OPEC", "IBM"
	default:
		men.typ = graph.Other
	}
	men.as = x.detStart(si, k, j)
	x.add(men)
	return j - k
}
