package extract

import (
	"strconv"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/gazetteer"
)

// arg is one argument found for a relation: an entity and whether a pronoun or a
// generic noun led to it (which lowers confidence).
type arg struct {
	ent      *entity
	m        int // mention index, -1 for generic nouns
	indirect bool
	end      int // token after the argument
}

// topMention returns the outermost mention covering token k, or -1.
func (x *state) topMention(k int) int {
	return x.tokMent[k]
}

// indexMentions fills x.tokMent: for each token, the outermost mention covering it.
func (x *state) indexMentions() {
	if cap(x.tokMent) < len(x.toks) {
		x.tokMent = make([]int, len(x.toks))
	}
	x.tokMent = x.tokMent[:len(x.toks)]
	for i := range x.tokMent {
		x.tokMent[i] = -1
	}
	for i := range x.ments {
		m := &x.ments[i]
		if m.inner {
			continue
		}
		for k := m.as; k < m.e; k++ {
			if c := x.tokMent[k]; c < 0 || x.ments[c].e-x.ments[c].as < m.e-m.as {
				x.tokMent[k] = i
			}
		}
	}
}

// actorEnt returns the entity a mention stands for as an actor: a capital city in an
// actor's place is its state.
func (x *state) actorEnt(mi int) *entity {
	m := &x.ments[mi]
	e := m.ent
	if e == nil {
		return nil
	}
	if e.ref.Type == graph.City && e.gaz != nil && e.gaz.Capital {
		if c := x.gaz.Country(e.gaz.Country); c != nil {
			se := x.entityFor(graph.State, c.Name, mi)
			se.gaz = c
			se.addAlias(x.text(m.s, m.e))
			return se
		}
	}
	return e
}

// subjectsLeft finds the subject of a verb at token k: the nearest mention to the left
// in the same clause that is not inside a prepositional phrase or a possessive, and
// those coordinated with it ("Syrian and Russian warplanes").
func (x *state) subjectsLeft(si, k int) []arg {
	sn := x.sents[si]
	toks := x.toks
	for j := k - 1; j >= sn.first && j >= k-25; j-- {
		t := toks[j]
		if clauseBreak[t.lower] && t.lower != "after" && t.lower != "before" && t.lower != "since" {
			if t.lower == "who" || t.lower == "which" {
				continue // "Kerry, who met Lavrov": the subject is before "who"
			}
			return nil
		}
		if speechVerbs[t.lower] && !t.cap && j < k-1 {
			return nil // "X said the rebels captured Y": X did not capture Y
		}
		mi := x.topMention(j)
		if mi < 0 {
			continue
		}
		m := &x.ments[mi]
		j = m.as
		if x.possessor(mi) {
			continue // a possessor or the first part of a compound: "Kerry's warning", "the Iran-contra scandal"
		}
		if m.as-1 >= sn.first && x.verbLike(m.as-1) {
			continue // the object of an earlier verb: "X phoned Y to deliver"
		}
		if x.inPPAt(si, m.as) || m.as-1 >= sn.first && toks[m.as-1].lower == "by" {
			continue // inside a prepositional phrase: "forces backed by X seized"
		}
		if !actorType(m) {
			if m.kind == mFacility || m.typ == graph.City {
				return nil
			}
			continue
		}
		out := []arg{x.argOf(mi)}
		out = x.coordinatedLeft(si, mi, out)
		// "travelling to France, Germany and Italy, Funaro hopes to visit": a list in a
		// prepositional phrase is not the subject either
		if lm := out[len(out)-1].m; len(out) > 1 && lm >= 0 && x.inPPAt(si, x.ments[lm].as) {
			j = x.ments[lm].as
			continue
		}
		return out
	}
	return nil
}

// verbLike reports whether token k is a verb of the vocabulary or a past form.
func (x *state) verbLike(k int) bool {
	t := x.toks[k]
	if t.cap || !t.word {
		return false
	}
	if lightVerbs[t.lower] {
		return true
	}
	for _, tr := range x.vocab.candidates(t.lower) {
		if tr.IsVerb() && len(tr.Words) == 1 {
			return true
		}
	}
	return false
}

// modifier reports whether a name mention modifies a noun instead of heading its noun
// phrase: a possessor ("Japan's policy"), the first part of a compound ("Iran-contra",
// "U.S.-led"), a name before a common noun ("the Tower Commission report"). Demonyms,
// which always stand before their noun, are not modifiers.
func (x *state) modifier(mi int) bool {
	m := &x.ments[mi]
	if m.kind != mName && m.kind != mDistrict {
		return false
	}
	sn := x.sents[m.sent]
	if m.e >= sn.last {
		return false
	}
	t := x.toks[m.e]
	if t.text == "'s" || t.text == "-" && !t.space {
		return true
	}
	if t.word && !t.cap && !x.npEnds(m.sent, m.e) && !placeHeads[t.lower] && !actorNouns[t.lower] && !npFollowers[t.lower] {
		return true
	}
	return false
}

// possessor reports whether a name mention is a possessor ("Japan's") or the first
// part of a hyphenated compound ("Iran-contra").
func (x *state) possessor(mi int) bool {
	m := &x.ments[mi]
	if m.kind != mName && m.kind != mDistrict {
		return false
	}
	sn := x.sents[m.sent]
	if m.e >= sn.last {
		return false
	}
	t := x.toks[m.e]
	return t.text == "'s" || t.text == "-" && !t.space
}

// inPPAt reports whether the noun phrase starting at token k is governed by a
// preposition, looking back over determiners and adjectives.
func (x *state) inPPAt(si, k int) bool {
	sn := x.sents[si]
	for j := k - 1; j >= sn.first && j >= k-4; j-- {
		w := x.toks[j].lower
		if inPP(w) {
			return true
		}
		if !(determiners[w] || numberWords[w] || isAdjective(w) && !x.toks[j].cap) {
			return false
		}
	}
	return false
}

// inPP reports whether a word before a mention makes it part of a prepositional phrase
// (subordinators such as "after" open a clause instead).
func inPP(w string) bool {
	return prepositions[w] && w != "by" && w != "after" && w != "before" && w != "since" && w != "until"
}

func actorType(m *mention) bool {
	if m.ent == nil {
		return false
	}
	switch m.ent.ref.Type {
	case graph.Person, graph.State, graph.Organisation:
		return true
	case graph.City:
		return m.ent.gaz != nil && m.ent.gaz.Capital
	}
	return false
}

func (x *state) argOf(mi int) arg {
	m := &x.ments[mi]
	return arg{ent: x.actorEnt(mi), m: mi, indirect: m.kind == mPronoun || m.kind == mRole || m.kind == mCounterpart, end: m.e}
}

// coordinatedLeft adds mentions joined to mention mi by "and" or commas on its left.
func (x *state) coordinatedLeft(si, mi int, out []arg) []arg {
	sn := x.sents[si]
	toks := x.toks
	cur := mi
	for n := 0; n < 4; n++ {
		j := x.ments[cur].as - 1
		if j < sn.first || (toks[j].lower != "and" && toks[j].text != ",") {
			return out
		}
		j--
		if j >= sn.first && toks[j].text == "," {
			j--
		}
		if j < sn.first {
			return out
		}
		pi := x.topMention(j)
		if pi < 0 || x.ments[pi].e != j+1 || !actorType(&x.ments[pi]) {
			return out
		}
		out = append(out, x.argOf(pi))
		cur = pi
	}
	return out
}

// coordinatedRight adds mentions joined to mention mi by "and" or commas on its right.
func (x *state) coordinatedRight(si, mi int, out []arg, actors bool) []arg {
	sn := x.sents[si]
	toks := x.toks
	cur := mi
	for n := 0; n < 4; n++ {
		j := x.ments[cur].e
		if j < sn.last && toks[j].text == "," {
			j++
		}
		if j < sn.last && (toks[j].lower == "and" || toks[j].lower == "or") {
			j++
		} else if j == x.ments[cur].e {
			return out
		}
		if j >= sn.last {
			return out
		}
		ni := x.topMention(j)
		if ni < 0 || x.ments[ni].as != j || x.ments[ni].ent == nil || (actors && !actorType(&x.ments[ni])) {
			return out
		}
		out = append(out, x.argOf(ni))
		cur = ni
	}
	return out
}

// skippable reports whether token k may stand between a verb or preposition and its
// object: determiners, numbers, adjectives and participles ("the rebel-held district").
func (x *state) skippable(k int) bool {
	t := x.toks[k]
	if t.text == "-" {
		return true
	}
	if !t.word || t.cap {
		return false
	}
	if determiners[t.lower] || numberWords[t.lower] || heldWords[t.lower] || hedgeWords[t.lower] || isNumber(t.lower) {
		return true
	}
	if prepositions[t.lower] || auxiliaries[t.lower] || clauseBreak[t.lower] || personPron[t.lower] || thingPron[t.lower] || t.lower == "and" || t.lower == "or" {
		return false
	}
	if _, ok := facilityNoun[t.lower]; ok {
		return false
	}
	if districtNoun[t.lower] {
		return false
	}
	if len(x.vocab.candidates(t.lower)) > 0 {
		return false
	}
	return isAdjective(t.lower) || facilityModifiers[t.lower]
}

// objectsRight finds the object starting at token k: after determiners and adjectives,
// a mention; "the district of X" is X; a generic place ("residential districts") is
// the latest city; for relations about events (condemned), an event noun ("attacks on
// X") gives its own object X.
func (x *state) objectsRight(si, k int, rel string, depth int) []arg {
	sn := x.sents[si]
	toks := x.toks
	j := k
	for j < sn.last && j-k < 5 {
		if mi := x.topMention(j); mi >= 0 {
			m := &x.ments[mi]
			if m.kind == mPronoun && possessives[toks[j].lower] {
				return nil // "criticising his role": the object is what is his
			}
			if m.ent == nil || x.modifier(mi) {
				return nil // "meet NASDAQ's requirement", "meet U.S. complaints"
			}
			out := []arg{x.argOf(mi)}
			return x.coordinatedRight(si, mi, out, false)
		}
		t := toks[j]
		if j+2 < sn.last && toks[j+1].text == "-" && heldWords[toks[j+2].lower] {
			j += 3 // "rebel-held"
			continue
		}
		if districtNoun[t.lower] {
			// "the district of Farafira"
			if j+2 < sn.last && toks[j+1].lower == "of" {
				if mi := x.topMention(j + 2); mi >= 0 && x.ments[mi].ent != nil {
					return []arg{x.argOf(mi)}
				}
			}
			if e := x.recentCity(si); e != nil {
				return []arg{{ent: e, m: -1, indirect: true, end: j + 1}}
			}
			return nil
		}
		if depth == 0 && (rel == "condemned" || rel == "warned") {
			if tr, n := x.nounAt(j); tr != nil {
				p := j + n
				if p < sn.last && hasPrep(tr.Preps, toks[p].lower) {
					return x.objectsRight(si, p+1, rel, 1)
				}
			}
		}
		if !x.skippable(j) {
			return nil
		}
		j++
	}
	return nil
}

func hasPrep(ps []string, w string) bool {
	for _, p := range ps {
		if p == w {
			return true
		}
	}
	return false
}

// recentCity returns the city mentioned last in this or the two sentences before.
func (x *state) recentCity(si int) *entity {
	return x.recentName(si, func(m *mention) bool {
		return !(m.ent.gaz != nil && m.ent.gaz.Capital && m.actor) && !x.landmark(m)
	})
}

// recentCapital returns the capital city named last in this sentence or the two
// before it ("the capital" after "Damascus"), or nil.
func (x *state) recentCapital(si int) *entity {
	return x.recentName(si, func(m *mention) bool { return m.ent.gaz != nil && m.ent.gaz.Capital })
}

// recentName returns the city named last in sentence si or the two before it for
// which ok holds, or nil.
func (x *state) recentName(si int, ok func(*mention) bool) *entity {
	for i := x.sentMent[si+1] - 1; i >= 0; i-- {
		m := &x.ments[i]
		if m.sent < si-2 {
			break
		}
		if m.ent != nil && m.ent.ref.Type == graph.City && m.kind == mName && ok(m) {
			return m.ent
		}
	}
	return nil
}

// landmark reports whether place mention m only measures a distance ("10km northeast
// of Damascus", "20 miles from Aleppo"): the place told is elsewhere.
func (x *state) landmark(m *mention) bool {
	k := m.as
	if k-2 < x.sents[m.sent].first {
		return false
	}
	p, d := x.toks[k-1].lower, x.toks[k-2].lower
	return (p == "of" || p == "from") && distanceWords[d] && d != "near" && d != "outside"
}

// lastCity returns the city mentioned last in this sentence or any before it.
func (x *state) lastCity(si int) *entity {
	for i := x.sentMent[si+1] - 1; i >= 0; i-- {
		m := &x.ments[i]
		if m.ent != nil && m.ent.ref.Type == graph.City && m.kind == mName && !(m.ent.gaz != nil && m.ent.gaz.Capital && m.actor) && !x.landmark(m) {
			return m.ent
		}
	}
	return nil
}

// byAgent finds "by X" after token k within the clause.
func (x *state) byAgent(si, k int) []arg {
	sn := x.sents[si]
	toks := x.toks
	for j := k; j < sn.last && j < k+10; j++ {
		t := toks[j]
		if clauseBreak[t.lower] || t.text == ";" {
			return nil
		}
		if t.lower == "by" {
			jj := j + 1
			for jj < sn.last && jj-j < 5 {
				if mi := x.topMention(jj); mi >= 0 && x.ments[mi].ent != nil {
					if !actorType(&x.ments[mi]) {
						return nil
					}
					return x.coordinatedRight(si, mi, []arg{x.argOf(mi)}, true)
				}
				if !x.skippable(jj) {
					return nil
				}
				jj++
			}
			return nil
		}
	}
	return nil
}

// nounAt returns the longest noun phrase of the vocabulary starting at token k.
func (x *state) nounAt(k int) (*Trigger, int) {
	for _, t := range x.vocab.candidates(x.toks[k].lower) {
		if t.IsVerb() {
			continue
		}
		if n := x.matchTrigger(k, t); n > 0 {
			return t, n
		}
	}
	return nil, 0
}

// matchTrigger returns the length of trigger t at token k, or 0.
func (x *state) matchTrigger(k int, t *Trigger) int {
	n := len(t.Words)
	if k+n > len(x.toks) {
		return 0
	}
	for i := 1; i < n; i++ {
		if x.toks[k+i].lower != t.Words[i] {
			return 0
		}
	}
	return n
}

// triggerAt returns the longest vocabulary phrase starting at token k; a noun wins
// over a verb form after a determiner or possessive ("its bombing", "the attacks") or
// before "of".
func (x *state) triggerAt(k int) (*Trigger, int) {
	t, n := x.anyTriggerAt(k)
	if t == nil || !t.IsVerb() {
		return t, n
	}
	if k > 0 && (t.Form == VerbBase || t.Form == VerbS) && prepositions[x.toks[k-1].lower] && x.toks[k-1].lower != "to" {
		if nt, nn := x.nounAt(k); nt != nil {
			return nt, nn
		}
		return nil, 0 // "by telephone": a noun the vocabulary does not list
	}
	nt, nn := x.nounAt(k)
	if nt == nil || nn < n {
		return t, n
	}
	prev := ""
	if k > 0 {
		prev = x.toks[k-1].lower
	}
	next := ""
	if k+nn < len(x.toks) {
		next = x.toks[k+nn].lower
	}
	if determiners[prev] || prev == "'s" || isAdjective(prev) && !auxiliaries[prev] || numberWords[prev] || next == "of" || hasPrep(nt.Preps, next) && t.Form != VerbPast && t.Form != VerbParticiple {
		return nt, nn
	}
	// "the terrorist attacks", "a deadly strike": a determiner shortly before
	if k > 1 && determiners[x.toks[k-2].lower] && x.toks[k-1].word && !x.toks[k-1].cap && !auxiliaries[prev] && x.tokMent[k-1] < 0 {
		return nt, nn
	}
	if (t.Form == VerbIng || t.Form == VerbS) && !auxiliaries[prev] && (prepositions[prev] || prev == "and") {
		return nt, nn
	}
	return t, n
}

func (x *state) anyTriggerAt(k int) (*Trigger, int) {
	for _, t := range x.vocab.candidates(x.toks[k].lower) {
		n := len(t.Words)
		if k+n > len(x.toks) {
			continue
		}
		ok := true
		for i := 1; i < n; i++ {
			if x.toks[k+i].lower != t.Words[i] {
				ok = false
				break
			}
		}
		if ok {
			return t, n
		}
	}
	return nil, 0
}

// passive reports whether the verb at k is in the passive voice ("were bombed",
// "had been seized", "was reportedly shelled").
func (x *state) passive(si, k int, t *Trigger) bool {
	if t.Form != VerbParticiple && t.Form != VerbPast {
		return false
	}
	sn := x.sents[si]
	for j := k - 1; j >= sn.first && j >= k-3; j-- {
		w := x.toks[j].lower
		if beForms[w] {
			return w != "'s" || j > sn.first
		}
		if !(hedgeWords[w] || w == "also" || w == "allegedly" || w == "reportedly" || w == "not" || w == "n't" || w == "repeatedly" || w == "heavily") {
			return false
		}
	}
	return false
}

// relations extracts the relations of sentence si.
func (x *state) relations(si int) {
	sn := x.sents[si]
	toks := x.toks
	for k := sn.first; k < sn.last; k++ {
		if x.tokMent[k] >= 0 && x.ments[x.tokMent[k]].kind != mFacility {
			continue
		}
		t, n := x.triggerAt(k)
		if t == nil || k+n > sn.last {
			continue
		}
		if t.IsVerb() {
			x.verbRelation(si, k, n, t)
		} else {
			x.nounRelation(si, k, n, t)
		}
		_ = toks
		k += n - 1
	}
}

func (x *state) verbRelation(si, k, n int, t *Trigger) {
	sn := x.sents[si]
	toks := x.toks
	if t.Form == VerbIng && k > sn.first && (determiners[toks[k-1].lower] || toks[k-1].text == "'s") {
		return // "the bombing", "its shelling": a noun, see the noun entries
	}
	var subj, obj []arg
	conf := 0.9
	end := k + n
	if x.passive(si, k, t) {
		obj = x.subjectsLeftAny(si, k)
		subj = x.byAgent(si, end)
		conf = 0.85
	} else {
		subj = x.subjectsLeft(si, k)
		j := end
		if j < sn.last && hasPrep(t.Preps, toks[j].lower) {
			j++
		}
		if j < sn.last && toks[j].lower == "that" && t.Relation == "warned" {
			obj = x.firstActorAfter(si, j+1, subj)
			for i := range obj {
				obj[i].end = 0 // the complement's hedges are not the warning's
			}
			conf = 0.75
		} else {
			obj = x.objectsRight(si, j, t.Relation, 0)
		}
	}
	x.emit(si, k, end, t.Relation, subj, obj, conf)
}

// subjectsLeftAny is subjectsLeft for the patient of a passive verb, which may be any
// kind of entity ("two hospitals were bombed").
func (x *state) subjectsLeftAny(si, k int) []arg {
	sn := x.sents[si]
	toks := x.toks
	for j := k - 1; j >= sn.first && j >= k-12; j-- {
		if clauseBreak[toks[j].lower] {
			return nil
		}
		mi := x.topMention(j)
		if mi < 0 {
			continue
		}
		m := &x.ments[mi]
		j = m.as
		if m.ent == nil {
			return nil
		}
		if m.as-1 >= sn.first && inPP(toks[m.as-1].lower) {
			continue
		}
		return x.coordinatedLeft(si, mi, []arg{x.argOf(mi)})
	}
	return nil
}

// firstActorAfter returns the first actor mentioned from token k to the end of the
// sentence that is not one of the subjects: "warned that it could end talks with
// Russia" warned Russia.
func (x *state) firstActorAfter(si, k int, subj []arg) []arg {
	sn := x.sents[si]
	for j := k; j < sn.last && j < k+12; j++ {
		mi := x.topMention(j)
		if mi < 0 {
			continue
		}
		m := &x.ments[mi]
		j = m.e - 1
		if !actorType(m) || x.possessor(mi) {
			continue
		}
		e := x.actorEnt(mi)
		same := false
		for _, s := range subj {
			if s.ent == e {
				same = true
			}
		}
		if !same {
			return []arg{x.argOf(mi)}
		}
	}
	return nil
}

// nounRelation handles event nouns: "air strikes on X", "its bombing of X", "the
// bombardment of X by Y", "Russian air strikes on X", "talks with X".
func (x *state) nounRelation(si, k, n int, t *Trigger) {
	sn := x.sents[si]
	toks := x.toks
	end := k + n
	var obj []arg
	objEnd := end
	if end < sn.last && hasPrep(t.Preps, toks[end].lower) {
		obj = x.objectsRight(si, end+1, t.Relation, 1)
		for _, o := range obj {
			if o.end > objEnd {
				objEnd = o.end
			}
		}
	}
	// agent: "by X" after the object
	subj := x.byAgent(si, objEnd)
	conf := 0.8
	// a possessor or an adjective before the noun: "its bombing", "Kerry's warning",
	// "Russian air strikes", "US-led strikes"
	if len(subj) == 0 {
		j := k - 1
		for j >= sn.first && k-j <= 3 && x.topMention(j) < 0 && x.skippable(j) && toks[j].lower != "the" && toks[j].lower != "a" {
			j--
		}
		if j >= sn.first && toks[j].text == "'s" {
			j--
		}
		if j >= sn.first {
			if mi := x.topMention(j); mi >= 0 && actorType(&x.ments[mi]) && x.ments[mi].kind != mFacility {
				subj = x.coordinatedLeft(si, mi, []arg{x.argOf(mi)})
				conf = 0.75
			}
		}
	}
	// the subject of a light verb governing the noun: "X launched air strikes on Y"
	if len(subj) == 0 {
		j := k - 1
		for j >= sn.first && k-j <= 4 && (x.skippable(j) || toks[j].lower == "the" || toks[j].lower == "a") {
			j--
		}
		if j >= sn.first && lightVerbs[toks[j].lower] {
			subj = x.subjectsLeft(si, j)
			conf = 0.7
		}
	}
	if len(subj) > 0 && len(obj) == 0 && t.Relation == "warned" {
		obj = x.priorObject(si, subj)
		conf = 0.65
	}
	x.emit(si, k, objEnd, t.Relation, subj, obj, conf)
}

// sentenceSubject returns the subject of the sentence's main clause: its first actor
// mention that is not in a prepositional phrase, before token k.
func (x *state) sentenceSubject(si, k int) []arg {
	sn := x.sents[si]
	for j := sn.first; j < k; j++ {
		mi := x.topMention(j)
		if mi < 0 {
			continue
		}
		m := &x.ments[mi]
		if m.as-1 >= sn.first && prepositions[x.toks[m.as-1].lower] {
			j = m.e - 1
			continue
		}
		if actorType(m) {
			return []arg{x.argOf(mi)}
		}
		j = m.e - 1
	}
	return nil
}

// priorObject returns the object of a relation already found in this sentence with
// the same subject: "X phoned Y to deliver the ultimatum" warned Y.
func (x *state) priorObject(si int, subj []arg) []arg {
	for i := len(x.stmts) - 1; i >= 0; i-- {
		s := &x.stmts[i]
		if s.sent != si {
			break
		}
		if s.Subject == subj[0].ent.ref && s.Object.Type != graph.City && s.Object.Type != graph.Facility {
			return []arg{{ent: x.byKey[slugKey(s.Object.Type, s.Object.Name)], m: -1, indirect: true}}
		}
	}
	return nil
}

// emit records subject × object statements of a relation.
func (x *state) emit(si, from, to int, rel string, subj, obj []arg, conf float64) {
	if len(subj) == 0 || len(obj) == 0 {
		return
	}
	for _, a := range append(subj[:len(subj):len(subj)], obj...) {
		if a.m >= 0 && x.ments[a.m].sent == si && a.end > to {
			to = a.end
		}
	}
	mod, speaker := x.modality(si, from, to, subj)
	x.emitPairs(si, from, rel, subj, obj, conf, mod, speaker, nil)
}

// emitPairs records the statements of every subject × object pair that fits the
// relation, with the confidence lowered for indirect arguments, and calls added (if
// not nil) with each subject and object it stated.
func (x *state) emitPairs(si, at int, rel string, subj, obj []arg, conf float64, mod graph.Modality, speaker *entity, added func(s, o *entity)) {
	for _, s := range subj {
		for _, o := range obj {
			if o.ent != nil && !objectFits(rel, o.ent) {
				o.ent = x.capitalState(o.ent)
			}
			if s.m >= 0 && x.ments[s.m].dateline || o.m >= 0 && x.ments[o.m].dateline {
				continue // the place a story was filed from takes no part in it
			}
			if s.ent == nil || o.ent == nil || s.ent == o.ent || s.ent.ref.Type == graph.Other || !objectFits(rel, o.ent) {
				continue
			}
			c := conf
			if s.indirect {
				c *= 0.85
			}
			if o.indirect {
				c *= 0.85
			}
			x.addStmt(si, s.ent, rel, o.ent, "", c, mod, speaker, x.eventDate(si, at))
			if added != nil {
				added(s.ent, o.ent)
			}
		}
	}
}

// capitalState returns the state whose capital city e is, or e: the object of
// "warned Tehran", "met Moscow" is the government seated there.
func (x *state) capitalState(e *entity) *entity {
	if e.ref.Type != graph.City || e.gaz == nil || !e.gaz.Capital {
		return e
	}
	c := x.gaz.Country(e.gaz.Country)
	if c == nil {
		return e
	}
	st := x.entityFor(graph.State, c.Name, -1)
	if st.gaz == nil {
		st.gaz = c
	}
	return st
}

// objectFits reports whether an entity can be the object of a relation: one talks to,
// warns or condemns actors (a capital city stands for its state), kills people, seizes
// ground (places and facilities, not the troops "taken by" someone); other relations
// take any typed entity.
func objectFits(rel string, e *entity) bool {
	t := e.ref.Type
	switch rel {
	case "met", "warned", "condemned":
		return t == graph.Person || t == graph.State || t == graph.Organisation || (t == graph.Facility || t == graph.City) && rel == "condemned"
	case "killed":
		return t == graph.Person || t == graph.Organisation
	case "seized":
		return t == graph.City || t == graph.State || t == graph.Facility
	}
	return t != graph.Other
}

func (x *state) addStmt(si int, s *entity, rel string, o *entity, role string, conf float64, mod graph.Modality, speaker *entity, date time.Time) {
	sn := x.sents[si]
	key := s.ref.IRI() + " " + rel + " " + o.ref.IRI() + " " + strconv.Itoa(sn.start)
	if i, ok := x.stmtKey[key]; ok {
		if x.stmts[i].Confidence < conf {
			x.stmts[i].Confidence = conf
		}
		return
	}
	if conf > 1 {
		conf = 1
	}
	st := stmt{Statement: graph.Statement{
		Subject: s.ref, Predicate: rel, Object: o.ref, Role: role,
		Sentence: x.src[sn.start:sn.end], Start: sn.start, End: sn.end,
		EventDate: date, Confidence: conf, Modality: mod,
	}, sent: si}
	if speaker != nil && mod == graph.Reported {
		r := speaker.ref
		st.Speaker = &r
	}
	x.used[s], x.used[o] = true, true
	if speaker != nil {
		x.used[speaker] = true
	}
	x.stmtKey[key] = len(x.stmts)
	x.stmts = append(x.stmts, st)
}

// modality reads negation and hedging in the clause of a relation (from its subject to
// the end of its arguments) and reported speech ("X said that ...", quotes).
func (x *state) modality(si, from, to int, subj []arg) (graph.Modality, *entity) {
	sn := x.sents[si]
	toks := x.toks
	start := from
	for _, s := range subj {
		if s.m >= 0 && x.ments[s.m].sent == si && x.ments[s.m].as < start {
			start = x.ments[s.m].as
		}
	}
	if start > sn.first {
		start-- // "suspected Russian"
	}
	if to > sn.last {
		to = sn.last
	}
	hedged, negated := false, false
	for k := start; k < to; k++ {
		w := toks[k].lower
		if toks[k].cap && k != sn.first && (w == "may" || w == "march") {
			continue // months
		}
		if negWords[w] {
			negated = true
		}
		if hedgeWords[w] {
			hedged = true
		}
		if w == "said" && k+1 < sn.last && toks[k+1].lower == "to" {
			hedged = true
		}
	}
	switch {
	case negated:
		return graph.Negated, nil
	case hedged:
		return graph.Hedged, nil
	}
	if sp := x.speaker(si, from); sp != nil {
		return graph.Reported, sp
	}
	return graph.Asserted, nil
}

// speaker returns who is reported to say what token k is part of: the subject of a
// speech verb before it ("X said on Tuesday that ..."), or of one after a closing
// quotation mark ("'...,' Kirby said").
func (x *state) speaker(si, k int) *entity {
	sn := x.sents[si]
	toks := x.toks
	quote := false
	for j := sn.first; j < k; j++ {
		w := toks[j].lower
		if w == "\"" || w == "“" || w == "”" {
			quote = !quote
		}
		if speechVerbs[w] && !toks[j].cap && w != "warned" && w != "accused" && !(j+1 < sn.last && toks[j+1].lower == "to") {
			if ss := x.subjectsLeft(si, j); len(ss) > 0 {
				return ss[0].ent
			}
		}
	}
	if !quote {
		return nil
	}
	for j := k; j < sn.last; j++ {
		w := toks[j].lower
		if w == "\"" || w == "”" || w == "“" {
			for jj := j + 1; jj < sn.last && jj < j+8; jj++ {
				if speechVerbs[toks[jj].lower] && !toks[jj].cap {
					if ss := x.subjectsLeft(si, jj); len(ss) > 0 {
						return ss[0].ent
					}
					// "said Kirby"
					if jj+1 < sn.last {
						if mi := x.topMention(jj + 1); mi >= 0 && actorType(&x.ments[mi]) {
							return x.actorEnt(mi)
						}
					}
				}
			}
			return nil
		}
	}
	return nil
}

// eventDate returns the date a sentence gives for its event: a weekday ("on
// Wednesday": the last one on or before publication), a date ("19 September", "May
// 3"), "yesterday"; else the publication date.
func (x *state) eventDate(si, k int) time.Time {
	pub := x.published
	if pub.IsZero() {
		return pub
	}
	sn := x.sents[si]
	toks := x.toks
	best, bestDist := time.Time{}, 1<<30
	for j := sn.first; j < sn.last; j++ {
		t := toks[j]
		var d time.Time
		switch {
		case t.cap:
			if wd, ok := weekdays[t.lower]; ok {
				back := (int(pub.Weekday()) - wd + 7) % 7
				d = pub.AddDate(0, 0, -back)
			} else if mo, ok := months[t.lower]; ok && (t.lower != "may" && t.lower != "march" || j > sn.first) {
				day := 0
				if j+1 < sn.last && isNumber(toks[j+1].lower) {
					day, _ = strconv.Atoi(toks[j+1].lower)
				} else if j-1 >= sn.first && isNumber(toks[j-1].lower) {
					day, _ = strconv.Atoi(toks[j-1].lower)
				} else if j-1 >= sn.first && (toks[j-1].lower == "in" || toks[j-1].lower == "since") {
					day = 1
				}
				if day >= 1 && day <= 31 {
					y := pub.Year()
					if j+2 < sn.last && len(toks[j+2].lower) == 4 && isNumber(toks[j+2].lower) {
						y, _ = strconv.Atoi(toks[j+2].lower)
					}
					d = time.Date(y, time.Month(mo), day, 0, 0, 0, 0, pub.Location())
					if d.After(pub.AddDate(0, 0, 7)) && y == pub.Year() {
						d = d.AddDate(-1, 0, 0)
					}
				}
			}
		case t.lower == "yesterday":
			d = pub.AddDate(0, 0, -1)
		case t.lower == "today":
			d = pub
		}
		if d.IsZero() {
			continue
		}
		dist := j - k
		if dist < 0 {
			dist = -dist
		}
		if dist < bestDist {
			best, bestDist = d, dist
		}
	}
	if best.IsZero() {
		return pub
	}
	return best
}

// structural adds holds_role, located_in, based_in, lives_in and member_of.
func (x *state) structural() {
	for _, e := range x.ents {
		for _, r := range e.roles {
			if r.scope == nil || r.scope == e {
				continue
			}
			x.addStmt(r.sent, e, "holds_role", r.scope, r.title, 0.9, graph.Asserted, nil, x.published)
		}
	}
	done := map[*entity]bool{}
	for i := range x.ments {
		m := &x.ments[i]
		e := m.ent
		if e == nil || done[e] {
			continue
		}
		if e.parent != nil && (e.ref.Type == graph.City || e.ref.Type == graph.Facility) && e.parent != e {
			done[e] = true
			x.addStmt(m.sent, e, "located_in", e.parent, "", 0.85, graph.Asserted, nil, x.published)
		}
	}
	// cities of the gazetteer lie in their country
	for _, e := range x.ents {
		if e.ref.Type != graph.City || e.gaz == nil || e.gaz.Kind != gazetteer.City || e.mentions == 0 {
			continue
		}
		c := x.gaz.Country(e.gaz.Country)
		if c == nil {
			continue
		}
		// only where the text puts the two together: a sentence that mentions the
		// city and its country (by name or demonym)
		si := x.sentWithCountry(e, c.Name)
		if si < 0 {
			continue
		}
		ce := x.entityFor(graph.State, c.Name, e.first)
		ce.gaz = c
		x.addStmt(si, e, "located_in", ce, "", 0.6, graph.Asserted, nil, x.published)
	}
	// patterns after a mention: ", located north-west of Y", "based in Y", "lives in Y",
	// "a member of Y"
	for i := range x.ments {
		m := &x.ments[i]
		if m.ent == nil || m.inner {
			continue
		}
		x.afterPatterns(i)
		x.basedPattern(i)
		x.localPattern(i)
		x.possessivePlace(i)
		x.demonymPlace(i)
		x.appositiveRole(i)
		x.affiliatePattern(i)
	}
}

// demonymPlace reads "the northeastern Syrian city of Qamishli", "Iraqi Kurdistan",
// "the Kurdish town of Rawandiz" (no state: nothing): the place lies in the state of
// the demonym.
func (x *state) demonymPlace(i int) {
	m := &x.ments[i]
	if m.ent.ref.Type != graph.City || m.kind != mName {
		return
	}
	sn := x.sents[m.sent]
	toks := x.toks
	if d := i - 1; d >= 0 && x.ments[d].kind == mDemonym && x.ments[d].e == m.s && x.ments[d].sent == m.sent && x.ments[d].ent != nil && x.ments[d].ent.ref.Type == graph.State {
		// "the rugged mountains of Iraqi Kurdistan": a region named with its state
		if g := m.ent.gaz; (g != nil || m.sure) && (g == nil || g.Country == "" || g.Country == x.ments[d].ent.ref.Name) {
			x.addStmt(m.sent, m.ent, "located_in", x.ments[d].ent, "", 0.75, graph.Asserted, nil, x.published)
		}
		return
	}
	k := m.as
	if k-2 < sn.first || toks[k-1].lower != "of" || !districtOf[toks[k-2].lower] {
		return
	}
	for j := i - 1; j >= 0 && x.ments[j].sent == m.sent; j-- {
		d := &x.ments[j]
		if d.e < k-4 {
			return
		}
		if d.kind != mDemonym || d.ent == nil || d.ent.ref.Type != graph.State || d.e > k-2 {
			continue
		}
		if g := m.ent.gaz; g != nil && g.Country != "" && g.Country != d.ent.ref.Name {
			return
		}
		x.addStmt(m.sent, m.ent, "located_in", d.ent, "", 0.75, graph.Asserted, nil, x.published)
		return
	}
}

// affiliateNouns join a group to the body it belongs to: "Al-Qaida affiliate Al-Nusra
// Front", "Al-Nusra Front, an affiliate of Al-Qaida".
var affiliateNouns = setOf("affiliate affiliates branch offshoot wing arm faction franchise")

// affiliateNamed returns the mention of B in "A affiliate B" ("Al-Qaida affiliate
// Al-Nusra Front", "Hamas's armed wing the Qassam Brigades") when organisation
// mention i is A, else -1; noun reports whether an affiliate noun follows A at all.
func (x *state) affiliateNamed(i int) (b int, noun bool) {
	m := &x.ments[i]
	if m.ent == nil || m.ent.ref.Type != graph.Organisation {
		return -1, false
	}
	sn := x.sents[m.sent]
	toks := x.toks
	k := m.e
	if k < sn.last && toks[k].text == "'s" {
		k++
	}
	for j := k; j < sn.last && j <= k+1; j++ {
		if affiliateNouns[toks[j].lower] {
			if j+1 < sn.last && toks[j+1].lower == "the" {
				j++
			}
			return x.orgAt(i, j+1), true
		}
	}
	return -1, false
}

// orgAt returns the organisation mention after mention i in its sentence that starts
// at token j and names another entity, or -1.
func (x *state) orgAt(i, j int) int {
	m := &x.ments[i]
	for n := i + 1; n < len(x.ments) && x.ments[n].sent == m.sent; n++ {
		if o := &x.ments[n]; o.s == j && o.ent != nil && o.ent.ref.Type == graph.Organisation && o.ent != m.ent {
			return n
		}
	}
	return -1
}

// affiliatePattern reads "A affiliate B" and "B, an affiliate of A" at organisation
// mention i (A): B is a member of A.
func (x *state) affiliatePattern(i int) {
	m := &x.ments[i]
	if m.ent.ref.Type != graph.Organisation || m.inner {
		return
	}
	if n, noun := x.affiliateNamed(i); noun {
		if n >= 0 {
			x.addStmt(m.sent, x.ments[n].ent, "member_of", m.ent, "", 0.8, graph.Asserted, nil, x.published)
		}
		return
	}
	// "Al-Nusra Front, an affiliate of Al-Qaida"
	sn := x.sents[m.sent]
	toks := x.toks
	k := m.e
	if k < sn.last && toks[k].text == "'s" {
		k++
	}
	if k < sn.last && toks[k].text == "," {
		k++
	}
	if k+3 < sn.last && (toks[k].lower == "an" || toks[k].lower == "a" || toks[k].lower == "the") && affiliateNouns[toks[k+1].lower] && toks[k+2].lower == "of" {
		b := k + 3
		if toks[b].lower == "the" {
			b++
		}
		if n := x.orgAt(i, b); n >= 0 {
			x.addStmt(m.sent, m.ent, "member_of", x.ments[n].ent, "", 0.8, graph.Asserted, nil, x.published)
		}
	}
}

// roleAt returns the length and the text of the longest role title at token k of
// sentence si, or 0.
func (x *state) roleAt(si, k int) (int, string) {
	last := x.sents[si].last
	for l := min(x.gaz.RoleMaxWords(), last-k); l >= 1; l-- {
		if _, ok := x.gaz.RoleClass(x.key(k, k+l)); ok {
			return l, x.text(k, k+l)
		}
	}
	return 0, ""
}

// appositiveRole reads a role written after a person's name: "Zahran Alloush, leader
// of the Army of Islam", "Hisham Marwah, the SNC vice-president", "Adbul-Jabbar
// Mohsen, chief of the defence ministry": holds_role with the body or state named.
func (x *state) appositiveRole(i int) {
	m := &x.ments[i]
	if m.ent.ref.Type != graph.Person || m.kind != mName || m.role != "" {
		return
	}
	sn := x.sents[m.sent]
	toks := x.toks
	k := m.e
	if k < sn.last && toks[k].text == "," {
		k++
	}
	if k < sn.last && (toks[k].lower == "the" || toks[k].lower == "a" || toks[k].lower == "an") {
		k++
	}
	if k >= sn.last {
		return
	}
	// the mention starting at token j, if any
	at := func(j int) *mention {
		if j >= sn.last || x.tokMent[j] < 0 {
			return nil
		}
		o := &x.ments[x.tokMent[j]]
		if o.s != j || o.ent == nil {
			return nil
		}
		if t := o.ent.ref.Type; t != graph.Organisation && t != graph.State {
			return nil
		}
		return o
	}
	// TITLE of [the] SCOPE
	if n, title := x.roleAt(m.sent, k); n > 0 {
		j := k + n
		if j < sn.last && toks[j].lower == "of" {
			j++
			if j < sn.last && toks[j].lower == "the" {
				j++
			}
			if o := at(j); o != nil {
				x.addStmt(m.sent, m.ent, "holds_role", o.ent, title, 0.8, graph.Asserted, nil, x.published)
			}
		}
		return
	}
	// SCOPE [(ACRONYM)] TITLE
	if o := at(k); o != nil {
		j := o.e
		if j+2 < sn.last && toks[j].text == "(" && toks[j+2].text == ")" {
			j += 3
		}
		if n, title := x.roleAt(m.sent, j); n > 0 {
			x.addStmt(m.sent, m.ent, "holds_role", o.ent, title, 0.8, graph.Asserted, nil, x.published)
		}
	}
}

// possessivePlace reads "Syria's southwestern Quneitra province", "Iraq's second
// city, Basra" and "Syrias Eastern Ghouta" (an apostrophe lost): the place lies in
// the state whose possessive mention i is.
func (x *state) possessivePlace(i int) {
	m := &x.ments[i]
	if m.ent.ref.Type != graph.State || m.kind != mName {
		return
	}
	sn := x.sents[m.sent]
	toks := x.toks
	k := m.e
	switch {
	case k < sn.last && toks[k].text == "'s":
		k++
	case strings.EqualFold(x.text(m.s, m.e), m.ent.ref.Name+"s"):
	default:
		return
	}
	for n := i + 1; n < len(x.ments) && x.ments[n].sent == m.sent; n++ {
		o := &x.ments[n]
		if o.inner || o.ent == nil {
			continue
		}
		if o.s > k+3 || o.ent.ref.Type != graph.City || o.ent == m.ent {
			return
		}
		// only modifiers between: "southwestern", "second city ,"
		for j := k; j < o.s; j++ {
			if t := toks[j]; t.cap || t.word && (prepositions[t.lower] || auxiliaries[t.lower] || x.isVerbTrigger(j)) || !t.word && t.text != "," {
				return
			}
		}
		if g := o.ent.gaz; g != nil && g.Country != "" && g.Country != m.ent.ref.Name {
			return // a gazetteer city of another country
		}
		x.addStmt(m.sent, o.ent, "located_in", m.ent, "", 0.75, graph.Asserted, nil, x.published)
		return
	}
}

// modifiersOnly reports whether tokens [s, e) are lower-case words that can modify a
// noun ("rights group" in "a London-based rights group Amnesty"), not a verb or a
// function word.
func (x *state) modifiersOnly(s, e int) bool {
	for k := s; k < e; k++ {
		t := x.toks[k]
		if !t.word || t.cap || auxiliaries[t.lower] || speechVerbs[t.lower] || prepositions[t.lower] || x.isVerbTrigger(k) || strings.HasSuffix(t.lower, "ed") {
			return false
		}
	}
	return true
}

// localNouns are the people a "local" phrase names: "a local resident", "a local
// activist".
var localNouns = setOf("resident residents activist activists journalist doctor official farmer shopkeeper")

// localPattern reads "a local resident Malik Kasab said" and "Mustafa Sultan, a local
// activist": the person lives in the place the article told last.
func (x *state) localPattern(i int) {
	m := &x.ments[i]
	if m.ent.ref.Type != graph.Person || m.kind != mName {
		return
	}
	sn := x.sents[m.sent]
	toks := x.toks
	local := func(k int) bool { // "local NOUN" at k
		return k >= sn.first && k+1 < sn.last && toks[k].lower == "local" && localNouns[toks[k+1].lower]
	}
	found := local(m.s - 2)
	if !found {
		k := m.e
		for k < sn.last && !toks[k].word {
			k++
		}
		if k < sn.last && (toks[k].lower == "a" || toks[k].lower == "another") {
			found = local(k + 1)
		}
	}
	if !found {
		return
	}
	if c := x.lastCity(m.sent); c != nil {
		x.addStmt(m.sent, m.ent, "lives_in", c, "", 0.7, graph.Asserted, nil, x.published)
	}
}

// basedPattern reads "the Britain-based monitor X", "the British-based Observatory"
// (based_in) and "Osama Said, a Douma-based activist" (lives_in) at place mention i.
func (x *state) basedPattern(i int) {
	m := &x.ments[i]
	t := m.ent.ref.Type
	if t != graph.City && t != graph.State {
		return
	}
	sn := x.sents[m.sent]
	toks := x.toks
	j := m.e
	if j+1 >= sn.last || toks[j].text != "-" || toks[j].space || toks[j+1].lower != "based" {
		return
	}
	// the organisation or person the phrase modifies: the next mention within three
	// words ("a London-based rights group, the Syrian Observatory"), else the person
	// it stands in apposition to ("X, a Douma-based activist")
	var who *entity
	for n := i + 1; n < len(x.ments) && x.ments[n].sent == m.sent; n++ {
		o := &x.ments[n]
		if o.s > j+4 || !x.modifiersOnly(j+2, o.s) {
			break
		}
		if o.ent != nil && !o.inner && (o.ent.ref.Type == graph.Organisation || o.ent.ref.Type == graph.Person) {
			who = o.ent
			break
		}
	}
	if who == nil && i > 0 {
		p := &x.ments[i-1]
		as := m.as
		if as > sn.first && (toks[as-1].lower == "a" || toks[as-1].lower == "an") {
			as--
		}
		if toks[as].lower == "a" || toks[as].lower == "an" {
			for k := as - 1; k >= sn.first && k >= as-1 && !toks[k].word; k-- {
				as = k
			}
			if p.sent == m.sent && p.ent != nil && p.e == as && p.ent.ref.Type == graph.Person {
				who = p.ent
			}
		}
	}
	if who == nil {
		who = x.basedBody(i, j+2)
	}
	if who == nil {
		return
	}
	rel := "based_in"
	if who.ref.Type == graph.Person {
		rel = "lives_in"
	}
	x.addStmt(m.sent, who, rel, m.ent, "", 0.75, graph.Asserted, nil, x.published)
}

// monitorWords are words of the names of the bodies that monitor a war or rights
// (lower case): "the Britain-based monitor" and "the Britain-based group" are the
// Syrian Observatory for Human Rights an article quoted before, "the New York-based
// group" Human Rights Watch.
var monitorWords = setOf("observatory monitor monitoring watch rights amnesty")

// bodyNouns are the words a definite "the X-based ..." phrase names such a body by.
var bodyNouns = setOf("group organisation organization monitor watchdog observatory")

// basedBody returns the organisation a definite "the Britain-based monitor" at
// place mention i names without its name (k is the word after "based"): the
// monitoring or rights body mentioned last in the five sentences before. Other
// bodies are not told this way often enough to pick one: in "the head of the
// Britain-based group" after "an AFP correspondent" and the rebels, the group is
// still the Observatory; and "the Aleppo-based rebel group" is none of them.
func (x *state) basedBody(i, k int) *entity {
	m := &x.ments[i]
	sn := x.sents[m.sent]
	toks := x.toks
	if m.as <= sn.first || toks[m.as-1].lower != "the" {
		return nil
	}
	if k < sn.last && toks[k].lower == "monitoring" {
		k++
	}
	if k >= sn.last || !bodyNouns[toks[k].lower] {
		return nil
	}
	for n := i - 1; n >= 0 && x.ments[n].sent >= m.sent-5; n-- {
		o := &x.ments[n]
		if o.ent == nil || o.inner || o.ent.ref.Type != graph.Organisation || o.sent == m.sent {
			continue
		}
		for _, w := range strings.Fields(strings.ToLower(o.ent.ref.Name)) {
			if monitorWords[w] {
				return o.ent
			}
		}
	}
	return nil
}

// sentWithCountry returns the first sentence where the country, by name or
// demonym, closely precedes a mention of e: "the Turkish town of Nusaybin", "Iraq's
// second city, Basra", "Syrias Aleppo"; or -1. A country named elsewhere in the
// sentence says nothing of where the city lies ("Tehran radio said Iran ...").
func (x *state) sentWithCountry(e *entity, country string) int {
	for i := range x.ments {
		c := &x.ments[i]
		if c.ent == nil || c.ent.ref.Type != graph.State || c.ent.ref.Name != country {
			continue
		}
		for j := i + 1; j < len(x.ments) && x.ments[j].sent == c.sent && x.ments[j].s-c.e <= 4; j++ {
			m := &x.ments[j]
			if m.ent != e {
				continue
			}
			ok := true
			for k := c.e; k < m.s; k++ {
				if t := &x.toks[k]; !t.word && t.text != "," && t.text != "'s" || clauseBreak[t.lower] || t.lower == "and" || t.lower == "or" {
					ok = false
				}
			}
			if ok {
				return c.sent
			}
		}
	}
	return -1
}

func (x *state) afterPatterns(i int) {
	m := &x.ments[i]
	sn := x.sents[m.sent]
	toks := x.toks
	j := m.e
	if j < sn.last && toks[j].text == "," {
		j++
	}
	if j >= sn.last {
		return
	}
	w := toks[j].lower
	rel := ""
	switch {
	case locatedWords[w] && (m.ent.ref.Type == graph.City || m.ent.ref.Type == graph.Facility):
		rel = "located_in"
	case (w == "based" || w == "headquartered") && m.ent.ref.Type == graph.Organisation:
		rel = "based_in"
	case (w == "lives" || w == "living" || w == "resident" || w == "residing") && m.ent.ref.Type == graph.Person:
		rel = "lives_in"
	case w == "a" || w == "is" || w == "was" || w == "as":
		if j+2 < sn.last && (toks[j+1].lower == "member" || toks[j+1].lower == "members") && toks[j+2].lower == "of" {
			rel = "member_of"
			j += 2
		}
	case w == "who" && j+1 < sn.last && (toks[j+1].lower == "lives" || toks[j+1].lower == "lived"):
		rel = "lives_in"
		j++
	}
	if rel == "" {
		return
	}
	// the preposition within a few words: "located north - west of", "based in"
	for k := j + 1; k < sn.last && k <= j+5; k++ {
		p := toks[k].lower
		if p == "of" || p == "in" || p == "near" {
			objs := x.objectsRight(m.sent, k+1, rel, 1)
			for _, o := range objs {
				oe := o.ent
				if oe == nil {
					continue
				}
				// "north-west of Aleppo's citadel": the citadel's city
				if rel == "located_in" && oe.ref.Type == graph.Facility && oe.parent != nil {
					oe = oe.parent
				}
				if rel == "member_of" && oe.ref.Type != graph.Organisation {
					continue
				}
				if oe.ref.Type == graph.Person {
					continue
				}
				x.addStmt(m.sent, m.ent, rel, oe, "", 0.8, graph.Asserted, nil, x.published)
			}
			return
		}
	}
}
