package extract

import (
	"slices"
	"strings"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/depparse"
)

// Relations from the dependency parse. Every sentence is parsed once (loader/depparse,
// Universal Dependencies relations); each trigger phrase of the vocabulary then finds
// its arguments in the tree instead of by word adjacency:
//
//   - agents: nsubj, obl:agent and "by" obliques, for event nouns their possessor
//     ("Russia's bombing") and demonym or name modifiers ("Russian air strikes"), the
//     subject of a light verb that governs the noun ("X launched strikes on Y");
//   - patients: obj, nsubj:pass, obliques and nominal modifiers with the trigger's
//     prepositions ("strikes on X", "talks with X", "bombing of X");
//   - inherited arguments: a conjunct verb shares its head's subject and object, an
//     xcomp its controller ("X vowed to attack Y"), a relative clause its head noun
//     ("the town, which was seized by rebels"), a participle the noun it modifies
//     ("forces attacking the town", "the town seized by rebels");
//   - coordination on either side: the conjuncts of every argument;
//   - an argument word that is not itself a name stands for the name it governs
//     ("the village of Hayan", "Syrian army units", "Russian warplanes").
//
// Modality comes from the tree too: negation and hedges on the trigger and the verbs
// that govern it, conditionals, questions, "suspected" agents, and reported speech
// with its speaker (the subject of a speech verb whose complement holds the trigger,
// or "according to X").

// tree is the dependency parse of one sentence in the sentence's token indices.
type tree struct {
	si          int      // the sentence
	first, last int      // token range of the sentence
	head        []int    // per word (token - first): head word, -1 for the root
	rel         []string // per word: dependency relation
	upos        []string // per word: part of speech
	kids        [][]int  // per word: dependents, in text order
	words       []string // scratch: the parser's input
}

// parseSentence fills x.tr with the parse of sentence si.
func (x *state) parseSentence(si int) *tree {
	sn := x.sents[si]
	tr := &x.tr
	n := sn.last - sn.first
	tr.si, tr.first, tr.last = si, sn.first, sn.last
	tr.words = tr.words[:0]
	for k := sn.first; k < sn.last; k++ {
		tr.words = append(tr.words, x.toks[k].text)
	}
	// each sentence is parsed once an article: the events and the classifier's gate
	// read the same parse
	var toks []depparse.Token
	if at := x.parseAt[si]; at >= 0 {
		toks = x.parses[at : at+n]
	} else {
		toks = x.parser.Parse(tr.words)
		x.parseAt[si] = len(x.parses)
		x.parses = append(x.parses, toks...)
	}
	tr.head = resize(tr.head, n)
	tr.rel = resizeS(tr.rel, n)
	tr.upos = resizeS(tr.upos, n)
	if cap(tr.kids) < n {
		tr.kids = make([][]int, n)
	}
	tr.kids = tr.kids[:n]
	for i := range tr.kids {
		tr.kids[i] = tr.kids[i][:0]
	}
	for i, t := range toks {
		tr.head[i] = t.Head - 1
		tr.rel[i] = t.Rel
		tr.upos[i] = t.UPOS
	}
	for i := range toks {
		if h := tr.head[i]; h >= 0 && h < n {
			tr.kids[h] = append(tr.kids[h], i)
		}
	}
	return tr
}

func resize(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func resizeS(s []string, n int) []string {
	if cap(s) < n {
		return make([]string, n)
	}
	return s[:n]
}

// baseRel is a relation without its subtype: "nsubj" of "nsubj:pass".
func baseRel(r string) string {
	if i := strings.IndexByte(r, ':'); i >= 0 {
		return r[:i]
	}
	return r
}

// caseWord returns the preposition (case dependent, lower case) of word w, or "".
// A multi-word preposition ("according to", "in front of") is its first word.
func (x *state) caseWord(tr *tree, w int) string {
	for _, c := range tr.kids[w] {
		if tr.rel[c] == "case" {
			return x.toks[tr.first+c].lower
		}
	}
	return ""
}

func (x *state) lowerAt(tr *tree, w int) string { return x.toks[tr.first+w].lower }

// treeRelations extracts the event relations of sentence si from its parse.
// Sentences without a trigger phrase are not parsed: parsing is most of the
// extractor's time, and they have no event to read.
func (x *state) treeRelations(si int) {
	sn := x.sents[si]
	if x.sentMent[si+1] == x.sentMent[si] {
		return // no name, pronoun or facility: no argument for an event
	}
	found := false
	for k := sn.first; k < sn.last && !found; k++ {
		if t, n := x.triggerAt(k); t != nil && k+n <= sn.last {
			found = true
		}
	}
	if !found && !x.twoPlaces(si) && !x.leadsTeam(si) && !x.hasWord(si, parseWords) {
		return
	}
	tr := x.parseSentence(si)
	x.parallelPronouns(tr)
	for k := sn.first; k < sn.last; k++ {
		if x.tokMent[k] >= 0 && x.ments[x.tokMent[k]].kind != mFacility {
			continue
		}
		t, n := x.triggerAt(k)
		if t == nil || k+n > sn.last {
			continue
		}
		h := tr.spanHead(k-sn.first, n)
		x.treeEvent(si, tr, h, k-sn.first, n, t)
		k += n - 1
	}
	x.treeStructural(si, tr)
	x.responsibility(si, tr)
	x.teamLeaders(si, tr)
	x.weaponUse(si, tr)
	x.judgements(si, tr)
	x.includedMembers(si, tr)
}

// judgements reads condemnations said as judgements: who calls an act horrific or
// heinous condemns its author or, for "this", "it" or an act without one, the target
// of the violence told last. "Trump said these heinous actions by the Assad regime
// ..." (Trump condemned Syria), "de Mistura said this was horrific" and "the White
// House considered it as unacceptable" (they condemned the town attacked).
func (x *state) judgements(si int, tr *tree) {
	for a := range tr.head {
		if !condemningWords[x.lowerAt(tr, a)] {
			continue
		}
		// what the judgement is of, and who makes it
		judged, judge := -1, -1
		g := tr.head[a]
		switch {
		case tr.rel[a] == "amod" && g >= 0:
			judged = g // "these heinous actions"
		case tr.hasKid(a, "cop"):
			for _, c := range tr.kids[a] {
				if tr.rel[c] == "nsubj" {
					judged = c // "this was horrific"
				}
			}
		case g >= 0 && tr.rel[a] == "advmod" && tr.hasKid(g, "cop"):
			for _, c := range tr.kids[g] {
				if tr.rel[c] == "nsubj" {
					judged = c // "this was horrific, I'm sure ...", read as one predicate
				}
			}
		case g >= 0 && judgeVerbs[x.lowerAt(tr, g)] && (tr.rel[a] == "xcomp" || baseRel(tr.rel[a]) == "obl"):
			for _, c := range tr.kids[g] {
				switch tr.rel[c] {
				case "obj":
					judged = c // "considered it as unacceptable"
				case "nsubj":
					judge = c
				}
			}
		}
		if judged < 0 {
			continue
		}
		if v := tr.head[judged]; v >= 0 {
			if t, _ := x.triggerAt(tr.first + v); t != nil && t.Relation == "condemned" {
				continue // "to condemn this horrific attack": the verb's own statement
			}
		}
		if judge < 0 {
			// the subject of the speech verb over the judgement
			for v := tr.head[judged]; v >= 0 && judge < 0; v = tr.head[v] {
				if speechVerbs[x.lowerAt(tr, v)] {
					if ag := x.agentsOf(tr, v); len(ag) > 0 {
						judge = ag[0]
					}
				}
			}
		}
		var speaker *entity
		if judge >= 0 {
			if args := x.treeArgs(tr, judge, true, nil); len(args) > 0 {
				speaker = args[0].ent
			}
		}
		if speaker == nil {
			_, speaker = x.treeModality(tr, a, nil)
		}
		if speaker == nil {
			continue
		}
		// the act's author ("actions by the regime"), else the target of the last
		// violence for an act or a pronoun that names none
		var obj []arg
		for _, c := range tr.kids[judged] {
			if baseRel(tr.rel[c]) == "nmod" && x.caseWord(tr, c) == "by" || tr.rel[c] == "obl:agent" {
				obj = x.treeArgs(tr, c, true, obj)
			}
		}
		lj := x.lowerAt(tr, judged)
		if len(obj) == 0 && (judgedPronouns[lj] || actNouns[lj]) && x.lastViol.rel != "" && si-max(x.lastViol.sent, x.lastViol.told) <= 8 {
			// the event as a whole: a facility hit stands for the place it is in
			var seen []*entity
			for _, e := range x.lastViol.obj {
				if e.ref.Type == graph.Facility && e.parent != nil {
					e = e.parent
				}
				if !slices.Contains(seen, e) {
					seen = append(seen, e)
					obj = append(obj, arg{ent: e, m: -1, indirect: true})
				}
			}
		}
		x.emitTree(si, tr.first+a, "condemned", []arg{{ent: speaker, m: -1}}, obj, 0.6, graph.Asserted, nil)
	}
}

// weaponUse reads the use of weapons as an attack: "the rebels had used chemical
// weapons in Aleppo" (the rebels attacked Aleppo), "gas dropped by Syrian aircraft"
// (a bombing). Where someone says a side used banned weapons (chemical, chlorine,
// sarin, cluster...), the speaker condemns that side: "the United States said the
// deaths were caused by sarin dropped by Syrian aircraft".
func (x *state) weaponUse(si int, tr *tree) {
	for v := range tr.head {
		lv := x.lowerAt(tr, v)
		if !useVerbs[lv] || !tr.isVerbal(v) {
			continue
		}
		var agents, weapons []int
		for _, c := range tr.kids[v] {
			switch tr.rel[c] {
			case "nsubj", "obl:agent":
				agents = append(agents, c)
			case "obj", "nsubj:pass":
				weapons = append(weapons, c)
			}
		}
		if len(weapons) == 0 && tr.head[v] >= 0 {
			switch g := tr.head[v]; baseRel(tr.rel[v]) {
			case "acl":
				weapons = append(weapons, g) // "gas dropped by Syrian aircraft"
			case "xcomp":
				// "caused by sarin gas dropped by Syrian aircraft", "dropped" read as
				// the verb's: the phrase that ends right before the participle
				for _, c := range tr.kids[g] {
					if _, hi := tr.subtree(c); hi == v-1 && tr.isNominal(c) {
						weapons = append(weapons, c)
					}
				}
			}
		}
		banned, armed := false, false
		for _, w := range weapons {
			lw := x.lowerAt(tr, w)
			armed = armed || weaponNouns[lw] || bannedWeapons[lw]
			banned = banned || bannedWeapons[lw] // "sarin", "chlorine"
			tear := false
			for _, c := range tr.kids[w] {
				switch tr.rel[c] {
				case "amod", "compound":
					lc := x.lowerAt(tr, c)
					banned = banned || bannedWeapons[lc] // "chemical weapons", "chlorine gas"
					tear = tear || lc == "tear"
				}
			}
			banned = banned || lw == "gas" && !tear // gas in war is poison gas; tear gas is not
			if tear {
				armed = false // police dispersing a crowd attack no one
			}
		}
		if !armed || len(agents) == 0 {
			continue
		}
		var subj []arg
		for _, a := range agents {
			subj = x.treeArgs(tr, a, true, subj)
		}
		if len(subj) == 0 {
			continue
		}
		mod, speaker := x.treeModality(tr, v, agents)
		rel := "attacked"
		if dropVerbs[lv] || x.fromTheAir(tr, v, agents) {
			rel = "bombed"
		}
		places := x.eventPlace(tr, v, false, nil)
		for _, w := range weapons {
			places = x.eventPlace(tr, w, false, places) // "chemical weapons in Aleppo"
		}
		x.emitTree(si, tr.first+v, rel, subj, places, 0.7, mod, speaker)
		if banned && speaker != nil {
			x.emitTree(si, tr.first+v, "condemned", []arg{{ent: speaker, m: -1}}, subj, 0.7, graph.Asserted, nil)
		}
	}
}

// teamLeaders reads the role of who heads a state's team or delegation: "Glitman, who
// heads the American team" and "the Soviet team ... headed by Lem Masterkov" hold a
// role for the United States and the Soviet Union.
func (x *state) teamLeaders(si int, tr *tree) {
	for v := range tr.head {
		if !leadVerbs[x.lowerAt(tr, v)] || !tr.isVerbal(v) {
			continue
		}
		var leaders []arg
		team := -1
		for _, c := range tr.kids[v] {
			switch r := tr.rel[c]; {
			case r == "nsubj":
				leaders = x.treeArg(tr, c, true, leaders, 0)
			case r == "obj":
				team = c
			case r == "obl:agent" || baseRel(r) == "obl" && x.caseWord(tr, c) == "by":
				leaders = x.treeArg(tr, c, true, leaders, 0)
				if g := tr.head[v]; g >= 0 && tr.rel[v] == "acl" {
					team = x.teamNear(tr, g)
				}
			}
		}
		if team < 0 || !teamNouns[x.lowerAt(tr, team)] {
			continue
		}
		st := x.teamState(tr, team)
		if st == nil {
			continue
		}
		from := team
		if team > 0 && tr.head[team-1] == team {
			from = team - 1 // "the American team"
		}
		role := "head of the " + x.text(tr.first+from, tr.first+team+1)
		for _, l := range leaders {
			if l.ent == nil || l.ent.ref.Type != graph.Person {
				continue
			}
			x.addStmt(si, l.ent, "holds_role", st, role, 0.7, graph.Asserted, nil, x.published)
			// who met the team met its head: "a meeting with the Soviet team headed by X"
			for i, n := 0, len(x.stmts); i < n; i++ {
				m := x.stmts[i]
				if m.sent != si || m.Predicate != "met" || m.Object != st.ref || m.Subject == l.ent.ref {
					continue
				}
				if subj := x.byKey[slugKey(m.Subject.Type, m.Subject.Name)]; subj != nil {
					x.addStmt(si, subj, "met", l.ent, "", m.Confidence, m.Modality, nil, m.EventDate)
				}
			}
		}
	}
}

// leadsTeam reports whether sentence si has a lead verb and a team noun, which
// teamLeaders reads from the tree.
func (x *state) leadsTeam(si int) bool {
	sn := x.sents[si]
	lead, team := false, false
	for k := sn.first; k < sn.last; k++ {
		lead = lead || leadVerbs[x.toks[k].lower]
		team = team || teamNouns[x.toks[k].lower]
	}
	return lead && team
}

// hasWord reports whether sentence si has a word of set words: a verb of using
// weapons for weaponUse, a judging word for judgements, a word of responsibility for
// responsibility ("bears primary responsibility", "holds X responsible").
func (x *state) hasWord(si int, words map[string]bool) bool {
	sn := x.sents[si]
	for k := sn.first; k < sn.last; k++ {
		if words[x.toks[k].lower] {
			return true
		}
	}
	return false
}

// teamNear returns the team noun a participle after noun w describes: w itself, or a
// team noun w hangs on, which the parser may have skipped ("the Soviet team on
// medium-range missiles headed by X", "headed" read as the missiles'); -1 if none.
func (x *state) teamNear(tr *tree, w int) int {
	if teamNouns[x.lowerAt(tr, w)] {
		return w
	}
	g := tr.head[w]
	if g < 0 {
		return -1
	}
	if teamNouns[x.lowerAt(tr, g)] {
		return g
	}
	best := -1
	for _, c := range tr.kids[g] {
		if c < w && teamNouns[x.lowerAt(tr, c)] {
			best = c
		}
	}
	return best
}

// teamState returns the state whose team the noun w is: its demonym or possessor
// ("the American team", "Russia's delegation"), or nil.
func (x *state) teamState(tr *tree, w int) *entity {
	for _, c := range tr.kids[w] {
		if r := tr.rel[c]; r != "amod" && r != "compound" && r != "nmod:poss" {
			continue
		}
		if mi := x.tokMent[tr.first+c]; mi >= 0 {
			if e := x.ments[mi].ent; e != nil && e.ref.Type == graph.State {
				return e
			}
		}
	}
	return nil
}

// responsibility reads blame that no condemnation verb carries: "X holds Y
// responsible" (X condemned Y), "X said Y bears (primary) responsibility" (the
// speaker condemned Y).
func (x *state) responsibility(si int, tr *tree) {
	for v := range tr.head {
		lv := x.lowerAt(tr, v)
		var blamer, blamed []arg
		switch {
		case holdVerbs[lv] && tr.isVerbal(v):
			resp := false
			for _, c := range tr.kids[v] {
				if l := x.lowerAt(tr, c); l == "responsible" || l == "accountable" {
					resp = true
				}
			}
			if !resp {
				continue
			}
			for _, c := range tr.kids[v] {
				switch tr.rel[c] {
				case "nsubj":
					blamer = x.treeArgs(tr, c, true, blamer)
				case "obj":
					blamed = x.treeArgs(tr, c, true, blamed)
				}
			}
		case bearVerbs[lv] && !tr.isVerbal(v) && tr.head[v] >= 0 && tr.isNominal(tr.head[v]) && x.objIs(tr, v, "responsibility"):
			// "said the regime of Assad bears primary responsibility" with "bears" read
			// as a noun hung on "regime": the phrase it hangs on is the subject, the
			// speech verb over that phrase the speaker's
			n := tr.head[v]
			blamed = x.treeArgs(tr, n, true, blamed)
			if g := tr.head[n]; g >= 0 && speechVerbs[x.lowerAt(tr, g)] {
				for _, c := range tr.kids[g] {
					if tr.rel[c] == "nsubj" {
						blamer = x.treeArgs(tr, c, true, blamer)
					}
				}
			}
		case bearVerbs[lv] && tr.isVerbal(v):
			if !x.objIs(tr, v, "responsibility") {
				continue
			}
			for _, c := range tr.kids[v] {
				if tr.rel[c] == "nsubj" {
					blamed = x.treeArgs(tr, c, true, blamed)
				}
			}
			// the speaker: the subject of the speech verb the clause depends on
			if g := tr.head[v]; g >= 0 && baseRel(tr.rel[v]) == "ccomp" && speechVerbs[x.lowerAt(tr, g)] {
				for _, c := range tr.kids[g] {
					if tr.rel[c] == "nsubj" {
						blamer = x.treeArgs(tr, c, true, blamer)
					}
				}
			}
		default:
			continue
		}
		if len(blamer) > 0 && len(blamed) > 0 {
			x.emitTree(si, tr.first+v, "condemned", blamer, blamed, 0.7, graph.Asserted, nil)
		}
	}
}

// objIs reports whether word w has an object that is the word obj.
func (x *state) objIs(tr *tree, w int, obj string) bool {
	for _, c := range tr.kids[w] {
		if tr.rel[c] == "obj" && x.lowerAt(tr, c) == obj {
			return true
		}
	}
	return false
}

// holdVerbs and bearVerbs carry blame with "responsible" and "responsibility".
var (
	holdVerbs = setOf("hold holds held holding")
	bearVerbs = setOf("bear bears bore borne bearing")
)

// twoPlaces reports whether sentence si mentions two places, one of which could lie
// in the other (see treeStructural).
func (x *state) twoPlaces(si int) bool {
	n := 0
	for mi := x.sentMent[si]; mi < x.sentMent[si+1]; mi++ {
		m := &x.ments[mi]
		if m.inner || m.ent == nil {
			continue
		}
		switch m.ent.ref.Type {
		case graph.City, graph.Facility, graph.State:
			n++
		}
	}
	return n >= 2
}

// spanHead returns the word of [s, s+n) whose head lies outside the span.
func (tr *tree) spanHead(s, n int) int {
	for w := s; w < s+n; w++ {
		if h := tr.head[w]; h < s || h >= s+n {
			return w
		}
	}
	return s
}

// event is what the tree says of one trigger: its argument words and how they were
// found.
type event struct {
	agents, patients []int
	inherited        bool // an argument came from another predicate
	raised           bool // the agents came from a belief about the event ("the attack believed ... carried out by X")
}

func (tr *tree) isNominal(w int) bool {
	switch tr.upos[w] {
	case "NOUN", "PROPN", "PRON", "NUM":
		return true
	}
	return false
}

func (tr *tree) isVerbal(w int) bool {
	return tr.upos[w] == "VERB" || tr.upos[w] == "AUX"
}

// passiveAt reports whether verb w is passive: it has a passive subject or auxiliary,
// or it is a past participle modifying a noun.
func (tr *tree) passiveAt(w int, t *Trigger) bool {
	for _, c := range tr.kids[w] {
		switch tr.rel[c] {
		case "nsubj:pass", "aux:pass", "csubj:pass":
			return true
		case "nsubj":
			return false
		}
	}
	if baseRel(tr.rel[w]) == "acl" && tr.rel[w] != "acl:relcl" && (t.Form == VerbPast || t.Form == VerbParticiple) {
		return true
	}
	return false
}

// treeEvent finds the arguments of the trigger at word h (span [s, s+n)) and emits its
// statements.
func (x *state) treeEvent(si int, tr *tree, h, s, n int, t *Trigger) {
	var ev event
	noun := !t.IsVerb() || tr.isNominal(h) && t.Form == VerbIng
	if t.IsVerb() && tr.upos[h] == "NOUN" {
		noun = true
	}
	passive := !noun && tr.passiveAt(h, t)
	if noun && t.IsVerb() {
		// a verb form used as a noun ("a meeting with X"): the noun's prepositions
		if np := x.triggerPreps(tr, h); np != nil {
			tt := *t
			tt.Preps = np
			t = &tt
		}
	}
	// dependents of every word of the phrase ("took control of X": "of X" hangs on
	// "control")
	for w := s; w < s+n; w++ {
		for _, c := range tr.kids[w] {
			if c >= s && c < s+n {
				continue
			}
			x.argument(tr, &ev, c, t, noun, passive)
		}
	}
	if noun && len(ev.patients) == 0 {
		x.strandedTarget(tr, &ev, h, s+n, t)
	}
	if len(ev.agents) == 0 {
		x.inheritAgents(tr, &ev, h, noun, passive)
	}
	if len(ev.agents) == 0 && noun && t.Relation == "met" && baseRel(tr.rel[h]) == "obl" && tr.head[h] >= 0 {
		// "Glitman presented the draft during a meeting with the Soviet team": who
		// acts during a meeting takes part in it
		ev.agents, ev.inherited = x.agentsOf(tr, tr.head[h]), true
	}
	if len(ev.patients) == 0 && !noun {
		x.inheritPatients(tr, &ev, h, t, passive)
	}
	var listed bool
	ev.patients, listed = x.listedTargets(tr, ev.patients)
	if placeEvents[t.Relation] && len(ev.patients) > 0 {
		ev.patients = x.focusTargets(tr, h, ev.patients)
	}
	if g := tr.head[h]; len(ev.patients) == 0 && noun && t.Relation == "attacked" && g >= 0 && tr.rel[h] == "obj" && defenceVerbs[x.lowerAt(tr, g)] {
		// "its troops repulsed heavy Iraqi counter-attacks": who repels an attack was
		// its target
		ev.patients = x.agentsOf(tr, g)
	}
	if len(ev.agents) == 0 && noun && placeEvents[t.Relation] && len(ev.patients) > 0 && x.definite(tr, h) && x.lastViol.rel != "" {
		// "the attack on X" after an attack was told: the same attackers
		x.violentAntecedent(si, tr, h, ev.patients)
		return
	}
	if ev.raised && len(ev.patients) == 0 && placeEvents[t.Relation] && t.Relation != "killed" && x.definite(tr, h) && len(x.lastViol.obj) > 0 {
		// "the attack believed to have been carried out by X": the attack told
		// before, on its targets
		x.definiteEvent(si, tr, h, s, t, &ev)
		return
	}
	if len(ev.agents) > 0 && len(ev.patients) == 0 && placeEvents[t.Relation] && t.Relation != "killed" {
		// "X launched an offensive among the peaks of Y", "X's attack in Y": an
		// attack on the place where it happened
		x.placeOnlyEvent(si, tr, h, s, t, &ev, noun)
		return
	}
	if len(ev.agents) == 0 && len(ev.patients) > 0 && placeEvents[t.Relation] && t.Relation != "killed" && !x.definite(tr, h) {
		// "a bomb attack on a bus convoy" with no attacker named: a later "condemned
		// the bombing" condemns it, so its targets are remembered
		x.agentlessViolence(si, tr, t.Relation, ev.patients)
		return
	}
	if len(ev.agents) == 0 || len(ev.patients) == 0 {
		return
	}
	conf := 0.9
	if noun {
		conf = 0.8
	}
	if ev.inherited {
		conf -= 0.1
	}
	var subj, obj []arg
	rel := t.Relation
	if rel == "attacked" && x.fromTheAir(tr, h, ev.agents) {
		rel = "bombed" // "Russian warplanes attacked X", "attacked X with barrel bombs"
	}
	for _, w := range ev.agents {
		n := len(subj)
		subj = x.treeArgs(tr, w, true, subj)
		if len(subj) == n && placeEvents[rel] {
			// "the attack targeted X", "air strikes hit X": the agent of the event
			// noun, and the antecedent's relation when it came from there
			if a, r := x.nounAgents(tr, w); len(a) > 0 {
				subj = append(subj, a...)
				if r != "" {
					rel = r
				}
			}
		}
	}
	for i, w := range ev.patients {
		if t := x.weaponTarget(tr, h, w); t >= 0 && !noun {
			// "shot hundreds of missiles at the capital": the weapons' target is
			// bombed
			ev.patients[i], w, rel = t, t, "bombed"
		}
		n := len(obj)
		obj = x.treeArgs(tr, w, false, obj)
		if len(obj) == n && rel == "condemned" {
			// condemning an attack condemns it on its target, and its perpetrator
			obj = x.eventTargets(tr, w, obj)
			if len(obj) == n {
				// "condemned the attack": the target of the attack told before
				obj = x.antecedentTargets(tr, w, obj)
			}
		}
	}
	if len(obj) == 0 && rel == "warned" && len(subj) > 0 {
		// "X phoned Y to deliver the ultimatum": the warning's addressee
		obj = x.priorObject(si, subj)
	}
	if len(obj) == 0 && placeEvents[rel] {
		// unnamed victims or targets ("ten people were killed in X", "shelled
		// positions in X"): an attack on the place
		obj = x.eventPlace(tr, h, false, obj)
		for _, w := range ev.patients {
			if len(obj) > 0 {
				break
			}
			// "killed 11 terrorists in an attack on their positions in X": the place
			// inside the unnamed patient's phrase
			obj = x.innerPlace(tr, w, obj, 0)
		}
		for _, w := range ev.patients {
			if len(obj) == 0 && targetNouns[x.lowerAt(tr, w)] {
				// "the Israeli army said it targeted positions inside Syria": what is
				// targeted in a country is an attack on it (people killed there are not)
				obj = x.eventPlace(tr, h, true, obj)
			}
		}
		if rel == "killed" {
			rel = "attacked"
		}
		conf -= 0.1
	}
	if len(subj) == 0 && len(obj) > 0 && placeEvents[rel] && rel != "killed" {
		// "Warplanes releasing toxic gas targeted the town of Khan Sheikhoun": no actor
		// named, but a later "the attack" is this one
		x.lastViol = violence{rel: rel, sent: si, obj: innermost(obj)}
		return
	}
	mod, speaker := x.treeModality(tr, h, ev.agents)
	x.emitTree(si, s+tr.first, rel, subj, obj, conf, mod, speaker)
	if listed {
		// "other locations targeted in Eastern Ghouta include the towns of A and B":
		// A and B lie where the targets were
		x.emitTree(si, s+tr.first, "located_in", obj, x.eventPlace(tr, h, false, nil), 0.7, graph.Asserted, nil)
	}
	if rel == "killed" && len(obj) > 0 {
		// "killed 48 rebels in Hardatnin village": an attack on the place as well
		places := x.eventPlace(tr, h, false, nil)
		for _, w := range ev.patients {
			if len(places) == 0 {
				places = x.innerPlace(tr, w, places, 0)
			}
		}
		x.emitTree(si, s+tr.first, "attacked", subj, places, conf-0.1, mod, speaker)
	}
}

// fromTheAir reports whether an attack at word h is made by aircraft or artillery or
// with bombs, rockets or shells: its agents' head nouns ("Russian warplanes") or an
// instrument ("with rockets"). The gold annotates such attacks as bombed.
func (x *state) fromTheAir(tr *tree, h int, agents []int) bool {
	for _, a := range agents {
		if airForces[x.lowerAt(tr, a)] || artillery[x.lowerAt(tr, a)] {
			return true
		}
		for _, c := range tr.kids[a] {
			// "by Syrian regime or Russian jets"
			if tr.rel[c] == "conj" && (airForces[x.lowerAt(tr, c)] || artillery[x.lowerAt(tr, c)]) {
				return true
			}
		}
	}
	for _, c := range tr.kids[h] {
		if baseRel(tr.rel[c]) == "obl" && x.caseWord(tr, c) == "with" && artillery[x.lowerAt(tr, c)] {
			return true
		}
	}
	return false
}

// weaponTarget returns the target of the weapons that patient w of verb h names
// ("fired rockets at X", "shot hundreds of missiles at X": a dependent of the
// weapons or of the verb with a preposition of aim), or -1 when w names no weapons
// or no target is given.
func (x *state) weaponTarget(tr *tree, h, w int) int {
	weapon := artillery[x.lowerAt(tr, w)]
	for _, c := range tr.kids[w] {
		if !weapon && baseRel(tr.rel[c]) == "nmod" && x.caseWord(tr, c) == "of" && artillery[x.lowerAt(tr, c)] {
			weapon = true // "hundreds of missiles", "a barrage of rockets"
		}
	}
	if !weapon {
		return -1
	}
	for _, v := range [2]int{w, h} {
		for _, c := range tr.kids[v] {
			if r := baseRel(tr.rel[c]); (r == "nmod" || r == "obl") && aimPreps[x.caseWord(tr, c)] && !x.temporal(tr, c) {
				return c
			}
		}
	}
	return -1
}

// aimPreps introduce what weapons are aimed at: "rockets at X", "shells into X".
var aimPreps = setOf("at on into onto toward towards against")

// artillery are the weapons that bomb: "with rockets", "artillery attacked" (not "with
// bombs": a car or truck bomb attacks).
var artillery = setOf("rockets rocket shells shell missiles missile artillery mortars mortar airstrikes strikes")

// placeOnlyEvent emits an attack or bombing with agents but no target on the places
// it happened in: the event word's own "in Y", or that of the light verb it is the
// object of ("launched an offensive in Y").
func (x *state) placeOnlyEvent(si int, tr *tree, h, s int, t *Trigger, ev *event, noun bool) {
	places := x.innerPlace(tr, h, nil, 1)
	if g := tr.head[h]; len(places) == 0 && noun && g >= 0 && (tr.rel[h] == "obj" || tr.rel[h] == "nsubj:pass") && lightVerbs[x.lowerAt(tr, g)] {
		places = x.innerPlace(tr, g, nil, 1)
	}
	if len(places) == 0 {
		if noun && t.Relation == "bombed" {
			// "they were Israeli rockets": who fired them bombs what it attacks
			for _, w := range ev.agents {
				for _, a := range x.treeArgs(tr, w, true, nil) {
					if a.ent != nil && !slices.Contains(x.airAgents, a.ent) {
						x.airAgents = append(x.airAgents, a.ent)
					}
				}
			}
		}
		return
	}
	var subj []arg
	for _, w := range ev.agents {
		subj = x.treeArgs(tr, w, true, subj)
	}
	mod, speaker := x.treeModality(tr, h, ev.agents)
	x.emitTree(si, s+tr.first, t.Relation, subj, places, 0.6, mod, speaker)
}

// innermost returns the entities of args but the places that contain another of them:
// the town targeted, not the province and the country the sentence puts it in.
func innermost(args []arg) []*entity {
	var out []*entity
	for _, a := range args {
		if a.ent == nil || slices.Contains(out, a.ent) {
			continue
		}
		outer := false
		for _, b := range args {
			if b.ent != nil && b.ent != a.ent && within(b.ent, a.ent) {
				outer = true
			}
		}
		if !outer {
			out = append(out, a.ent)
		}
	}
	return out
}

// definiteEvent emits a definite event noun with agents of its own and no target
// ("the attack ... carried out by X") against the targets of the article's last
// violent event.
func (x *state) definiteEvent(si int, tr *tree, h, s int, t *Trigger, ev *event) {
	var subj, obj []arg
	for _, w := range ev.agents {
		subj = x.treeArgs(tr, w, true, subj)
	}
	for _, e := range x.lastViol.obj {
		obj = append(obj, arg{ent: e, m: -1, indirect: true})
	}
	rel := t.Relation
	if rel == "attacked" && x.fromTheAir(tr, h, ev.agents) {
		rel = "bombed"
	}
	mod, speaker := x.treeModality(tr, h, ev.agents)
	if g := tr.head[h]; g >= 0 && hedgeWords[x.lowerAt(tr, g)] {
		mod, speaker = graph.Hedged, nil // "believed to have been carried out by X"
	}
	x.emitTree(si, s+tr.first, rel, subj, obj, 0.6, mod, speaker)
}

// argument sorts dependent c of a trigger word into agents and patients.
func (x *state) argument(tr *tree, ev *event, c int, t *Trigger, noun, passive bool) {
	r := tr.rel[c]
	switch r {
	case "nsubj", "nsubj:outer":
		if !noun {
			if passive {
				ev.patients = append(ev.patients, c)
			} else {
				ev.agents = append(ev.agents, c)
			}
		}
		return
	case "nsubj:pass":
		ev.patients = append(ev.patients, c)
		return
	case "obj", "iobj":
		if !noun {
			ev.patients = append(ev.patients, c)
		}
		return
	case "obl:agent":
		ev.agents = append(ev.agents, c)
		return
	case "nmod:poss":
		if noun && x.actorWord(tr, c) {
			ev.agents = append(ev.agents, c)
		}
		return
	case "amod", "compound":
		if noun && x.actorWord(tr, c) {
			ev.agents = append(ev.agents, c)
		}
		return
	}
	switch baseRel(r) {
	case "obl", "nmod":
		p := x.caseWord(tr, c)
		switch {
		case p == "by":
			ev.agents = append(ev.agents, c)
		case hasPrep(t.Preps, p) && !x.temporal(tr, c):
			ev.patients = append(ev.patients, c)
		case p == "of" && noun:
			ev.patients = append(ev.patients, c)
		case p == "" && r == "obl" && !noun && !passive && t.Preps == nil && c > tr.head[c] && !tr.hasKid(tr.head[c], "obj") && x.namedCompound(tr, c):
			// "targeted Qamishli and the provincial capital Hasaka city", parsed as an
			// oblique without a preposition: the verb's object
			ev.patients = append(ev.patients, c)
		}
	}
}

// listedTargets replaces a generic target ("other locations targeted by X") that is
// the subject of "include" by what the clause lists: "... include the towns of A and
// B and the C camp" (A, B and C). Other patients stay as they are; the flag says
// whether any was replaced.
func (x *state) listedTargets(tr *tree, patients []int) ([]int, bool) {
	if !slices.ContainsFunc(patients, func(p int) bool { return x.listingVerb(tr, p) >= 0 }) {
		return patients, false
	}
	var out []int
	for _, p := range patients {
		v := x.listingVerb(tr, p)
		if v < 0 {
			out = append(out, p)
			continue
		}
		for _, o := range tr.kids[v] {
			if tr.rel[o] != "obj" {
				continue
			}
			listed := o
			for _, c := range tr.kids[o] {
				if l := x.lowerAt(tr, o); baseRel(tr.rel[c]) == "nmod" && x.caseWord(tr, c) == "of" && (districtOf[l] || districtOf[strings.TrimSuffix(l, "s")]) {
					listed = c // "the towns of A and B": A and B
				}
			}
			out = append(out, listed)
		}
	}
	return out, true
}

// listingVerb returns the "include" verb whose subject is the generic target word p
// ("other locations ... include"), or -1.
func (x *state) listingVerb(tr *tree, p int) int {
	v := tr.head[p]
	if !targetNouns[x.lowerAt(tr, p)] || x.tokMent[tr.first+p] >= 0 || tr.rel[p] != "nsubj" || v < 0 || !includeVerbs[x.lowerAt(tr, v)] {
		return -1
	}
	return v
}

// strandedTarget mends a phrase attached too high: an event noun without a patient
// ("the death toll from a bomb attack on a crowded bus convoy", where the parser hangs
// "on ... convoy" on "toll") takes as its target the modifier of its own head that
// follows the noun's phrase directly and has one of the event's prepositions. Only a
// modifier of a noun head moves: on a verb the phrase may be the verb's own.
func (x *state) strandedTarget(tr *tree, ev *event, h, end int, t *Trigger) {
	g := tr.head[h]
	if g < 0 || !tr.isNominal(g) || baseRel(tr.rel[h]) != "nmod" {
		return
	}
	_, hi := tr.subtree(h)
	hi = max(hi, end-1)
	for _, c := range tr.kids[g] {
		if c <= hi || baseRel(tr.rel[c]) != "nmod" {
			continue
		}
		if lo, _ := tr.subtree(c); lo == hi+1 && hasPrep(t.Preps, x.caseWord(tr, c)) && !x.temporal(tr, c) {
			ev.patients = append(ev.patients, c)
		}
		return
	}
}

// timeNouns head phrases that say when, not what: "on Tuesday night".
var timeNouns = setOf("night morning evening afternoon day days week weeks weekend month months year years time dawn midnight noon")

// temporal reports whether word w heads a time phrase ("on Tuesday night", "on
// March 5"), which no event takes as its target.
func (x *state) temporal(tr *tree, w int) bool {
	if l := x.lowerAt(tr, w); timeNouns[l] || isDateWord(l) {
		return x.tokMent[tr.first+w] < 0
	}
	return false
}

// actorWord reports whether word w names (or governs the name of) an actor.
func (x *state) actorWord(tr *tree, w int) bool {
	mi := x.tokMent[tr.first+w]
	return mi >= 0 && actorType(&x.ments[mi])
}

// inheritAgents gives a trigger without an agent the agent of the predicate it
// depends on.
func (x *state) inheritAgents(tr *tree, ev *event, h int, noun, passive bool) {
	cur := h
	for step := 0; step < 6; step++ {
		g := tr.head[cur]
		if g < 0 {
			return
		}
		r := tr.rel[cur]
		switch {
		case noun && (r == "obj" || r == "nsubj:pass") && lightVerbs[x.lowerAt(tr, g)]:
			// "X launched air strikes on Y", "strikes were carried out by X"
			ev.inherited = true
			if len(ev.patients) == 0 {
				// "on Y" may hang on the light verb
				for _, c := range tr.kids[g] {
					if baseRel(tr.rel[c]) == "obl" && hasPrep(x.triggerPreps(tr, h), x.caseWord(tr, c)) && !x.temporal(tr, c) {
						ev.patients = append(ev.patients, c)
					}
				}
			}
			if a := x.agentsOf(tr, g); len(a) > 0 {
				ev.agents = a
				return
			}
			cur, noun = g, false
			continue
		case noun && r == "nsubj" && raisingVerbs[x.lowerAt(tr, g)]:
			// "the attack believed to have been carried out by Syrian or Russian jets":
			// the agent of the light verb the belief is about
			for _, c := range tr.kids[g] {
				if tr.rel[c] != "xcomp" || !lightVerbs[x.lowerAt(tr, c)] {
					continue
				}
				for _, d := range tr.kids[c] {
					if tr.rel[d] == "obl:agent" || baseRel(tr.rel[d]) == "obl" && x.caseWord(tr, d) == "by" {
						ev.agents = append(ev.agents, d)
						ev.inherited, ev.raised = true, true
					}
				}
			}
			return
		case noun && baseRel(r) == "obl" && clashNouns[x.lowerAt(tr, cur)] && tr.isVerbal(g) && !tr.hasKid(g, "nsubj:pass"):
			// "Kurdish forces took the town after fierce clashes with IS": who acts in
			// a clash takes part in it
			ev.inherited = true
			ev.agents = x.agentsOf(tr, g)
			return
		case noun:
			return
		case r == "conj" && tr.isVerbal(g), r == "xcomp", r == "advcl" && !passive:
			ev.inherited = true
			if a := x.agentsOf(tr, g); len(a) > 0 {
				if r == "xcomp" {
					// object control: "urged X to attack": the object acts
					for _, c := range tr.kids[g] {
						if tr.rel[c] == "obj" {
							a = []int{c}
						}
					}
				}
				ev.agents = a
				return
			}
			cur = g
			continue
		case r == "acl:relcl":
			if !passive {
				ev.inherited = true
				ev.agents = []int{g}
			}
			return
		case baseRel(r) == "acl":
			if !passive {
				ev.inherited = true
				ev.agents = []int{g} // "forces attacking the town"
			}
			return
		}
		return
	}
}

// triggerPreps returns the prepositions of the noun trigger at word h.
func (x *state) triggerPreps(tr *tree, h int) []string {
	if t, _ := x.nounAt(tr.first + h); t != nil {
		return t.Preps
	}
	// the head of a multi-word noun ("air strikes"): the phrase starts earlier
	for s := h - 1; s >= 0 && s >= h-3; s-- {
		if t, n := x.nounAt(tr.first + s); t != nil && s+n > h {
			return t.Preps
		}
	}
	return nil
}

// agentsOf returns the subject words of verb w, following conjunct verbs up.
func (x *state) agentsOf(tr *tree, w int) []int {
	for step := 0; step < 4 && w >= 0; step++ {
		var out []int
		for _, c := range tr.kids[w] {
			if tr.rel[c] == "nsubj" {
				out = append(out, c)
			}
		}
		if len(out) > 0 {
			return out
		}
		for _, c := range tr.kids[w] {
			if tr.rel[c] == "obl:agent" || baseRel(tr.rel[c]) == "obl" && x.caseWord(tr, c) == "by" {
				out = append(out, c)
			}
		}
		if len(out) > 0 {
			return out
		}
		if tr.rel[w] != "conj" {
			return nil
		}
		w = tr.head[w]
	}
	return nil
}

// inheritPatients gives a verb without a patient the object of the verb it is
// coordinated with, or the noun a relative or participial clause modifies.
func (x *state) inheritPatients(tr *tree, ev *event, h int, t *Trigger, passive bool) {
	r := tr.rel[h]
	g := tr.head[h]
	// "killed or wounded 15,000 Guards": the object of a conjunct verb after the
	// trigger is shared
	for _, c := range tr.kids[h] {
		if tr.rel[c] != "conj" || !tr.isVerbal(c) || c < h {
			continue
		}
		own := false
		for _, d := range tr.kids[c] {
			if tr.rel[d] == "nsubj" || tr.rel[d] == "nsubj:pass" {
				own = true // a clause of its own
			}
		}
		for _, d := range tr.kids[c] {
			if !own && tr.rel[d] == "obj" {
				ev.inherited = true
				ev.patients = append(ev.patients, d)
			}
		}
	}
	if len(ev.patients) > 0 {
		return
	}
	if (t.Form == VerbPast || t.Form == VerbParticiple) && tr.hasKid(h, "obl:agent") {
		// "a depot struck by Syrian bombs" with "depot" hung on the participle as a
		// modifier: the phrase right before a participle with a by-agent is what it
		// tells of
		for _, c := range tr.kids[h] {
			if _, hi := tr.subtree(c); c < h && hi == h-1 && x.tokMent[tr.first+c] >= 0 && baseRel(tr.rel[c]) != "nsubj" {
				ev.inherited = true
				ev.patients = append(ev.patients, c)
				return
			}
		}
	}
	if g < 0 {
		if t.Relation == "warned" {
			ev.patients = x.complementActor(tr, h, ev.agents)
		}
		return
	}
	switch {
	case passive && (r == "acl:relcl" || baseRel(r) == "acl"):
		ev.inherited = true
		ev.patients = []int{g} // "the town seized by rebels", "the town, which was seized"
		return
	case r == "conj" && tr.isVerbal(g):
		for _, c := range tr.kids[g] {
			if tr.rel[c] == "obj" || passive && tr.rel[c] == "nsubj:pass" {
				ev.inherited = true
				ev.patients = append(ev.patients, c)
			}
		}
		if len(ev.patients) > 0 {
			return
		}
	}
	if t.Relation == "warned" {
		ev.patients = x.complementActor(tr, h, ev.agents)
	}
}

// parallelPronouns points a pronoun object of a conjunct verb at the object of the
// verb it is coordinated with: "Israel seized 1200 square kilometres of the Golan ...
// and later annexed it" annexed the Golan, not the Syria named last.
func (x *state) parallelPronouns(tr *tree) {
	for p := range tr.head {
		mi := x.tokMent[tr.first+p]
		if mi < 0 || x.ments[mi].kind != mPronoun || tr.rel[p] != "obj" {
			continue
		}
		if l := x.lowerAt(tr, p); l != "it" && l != "them" {
			continue
		}
		v := tr.head[p]
		if v < 0 || tr.rel[v] != "conj" || !tr.isVerbal(tr.head[v]) {
			continue
		}
		for _, c := range tr.kids[tr.head[v]] {
			if tr.rel[c] != "obj" {
				continue
			}
			if a := x.treeArg(tr, c, false, nil, 0); len(a) == 1 && a[0].ent != nil && a[0].ent != x.ments[mi].ent {
				x.ments[mi].ent = a[0].ent
			}
		}
	}
}

// complementActor returns the first actor in the clausal complement of a warning
// that is not its agent: "warned that it could end talks with Russia" warned Russia.
func (x *state) complementActor(tr *tree, h int, agents []int) []int {
	for _, c := range tr.kids[h] {
		if tr.rel[c] != "ccomp" {
			continue
		}
		lo, hi := tr.subtree(c)
		for w := lo; w <= hi; w++ {
			if !x.actorWord(tr, w) || tr.rel[w] == "nsubj" || tr.rel[w] == "nmod:poss" {
				continue
			}
			same := false
			for _, a := range agents {
				if x.tokMent[tr.first+a] == x.tokMent[tr.first+w] {
					same = true
				}
			}
			if !same {
				return []int{w}
			}
		}
	}
	return nil
}

// focusVerbs narrow an attack to a part of its target: "stepped up attacks on
// Eastern Ghouta focusing on the city of Douma".
var focusVerbs = setOf("focusing focused concentrating concentrated centred centered centring centering")

// focusTargets appends to patients what a focusing clause of event word h, or of the
// verb it is the object of, narrows the attack to ("focusing on the city of Douma").
func (x *state) focusTargets(tr *tree, h int, patients []int) []int {
	for _, v := range [2]int{h, tr.head[h]} {
		if v < 0 || v != h && tr.rel[h] != "obj" {
			continue
		}
		for _, c := range tr.kids[v] {
			if (tr.rel[c] != "advcl" && tr.rel[c] != "acl") || !focusVerbs[x.lowerAt(tr, c)] {
				continue
			}
			for _, o := range tr.kids[c] {
				if baseRel(tr.rel[o]) == "obl" && x.caseWord(tr, o) == "on" {
					patients = append(patients, o)
				}
			}
		}
	}
	return patients
}

// memberNouns are the people of a body that "include" may name instead of the body:
// "fighters of Al-Nusra Front".
var memberNouns = setOf("fighters members militants units brigades troops forces factions groups")

// includedMembers reads "X include(s) Y" from the tree: Y (an organisation or a
// person, or the body whose fighters or members are named) is a member of
// organisation X, the verb's subject or the noun its relative clause modifies.
func (x *state) includedMembers(si int, tr *tree) {
	for w := range tr.upos {
		if tr.upos[w] != "VERB" || !includeVerbs[x.lowerAt(tr, w)] {
			continue
		}
		subj := -1
		if tr.rel[w] == "acl:relcl" {
			subj = tr.head[w]
		}
		for _, c := range tr.kids[w] {
			if baseRel(tr.rel[c]) == "nsubj" && c < w && tr.rel[w] != "acl:relcl" {
				subj = c // the nearest before the verb ("Rosewood, ..., whose trustees include")
			}
		}
		if subj < 0 {
			continue
		}
		var bodies []arg
		for _, a := range x.treeArgs(tr, subj, true, nil) {
			if a.ent.ref.Type == graph.Organisation {
				bodies = append(bodies, a)
			}
		}
		if len(bodies) == 0 {
			continue
		}
		for _, c := range tr.kids[w] {
			if tr.rel[c] != "obj" {
				continue
			}
			for _, o := range x.treeArgs(tr, c, false, x.memberArgs(tr, c)) {
				if t := o.ent.ref.Type; t != graph.Organisation && t != graph.Person {
					continue
				}
				for _, b := range bodies {
					if b.ent != o.ent {
						x.addStmt(si, o.ent, "member_of", b.ent, "", 0.75, graph.Asserted, nil, x.published)
					}
				}
			}
		}
	}
}

// memberArgs returns the bodies whose people word w names ("fighters of Al-Nusra
// Front"), or nil.
func (x *state) memberArgs(tr *tree, w int) []arg {
	if !memberNouns[x.lowerAt(tr, w)] {
		return nil
	}
	var out []arg
	for _, c := range tr.kids[w] {
		if baseRel(tr.rel[c]) == "nmod" && x.caseWord(tr, c) == "of" {
			out = x.treeArgs(tr, c, false, out)
		}
	}
	return out
}

// namedCompound reports whether a name hangs on word w as a compound ("Hasaka" of
// "the provincial capital Hasaka city").
func (x *state) namedCompound(tr *tree, w int) bool {
	for _, k := range tr.kids[w] {
		if tr.rel[k] == "compound" && x.tokMent[tr.first+k] >= 0 {
			return true
		}
	}
	return false
}

// cardinals are the counts a definite plural may give: "the two villages".
var cardinals = map[string]int{"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}

// namedWith appends the places an earlier sentence named with the plural place noun
// of word w ("the villages of al-Foua and Kefraya" for "the two villages"): the names
// listed after the noun's last "NOUN of" before w's sentence, as many as w's count
// when it gives one.
func (x *state) namedWith(tr *tree, w int, out []arg) []arg {
	noun := x.lowerAt(tr, w)
	want := 0
	for _, c := range tr.kids[w] {
		if n, ok := cardinals[x.lowerAt(tr, c)]; ok && tr.rel[c] == "nummod" {
			want = n
		}
	}
	first := x.sents[tr.si].first
	for k := first - 2; k >= 0; k-- {
		if x.toks[k].lower != noun || x.toks[k+1].lower != "of" {
			continue
		}
		var found []arg
		for j := k + 2; j < len(x.toks) && j < first; {
			mi := x.tokMent[j]
			if mi < 0 || x.ments[mi].ent == nil || x.ments[mi].ent.ref.Type != graph.City || x.ments[mi].s != j {
				break
			}
			found = append(found, x.argOf(mi))
			j = x.ments[mi].e
			if j < first && (x.toks[j].lower == "and" || x.toks[j].text == ",") {
				j++
			}
		}
		if len(found) < 2 || want > 0 && len(found) != want {
			return out
		}
		for i := range found {
			found[i].indirect = true
		}
		return append(out, found...)
	}
	return out
}

// subtree returns the first and last word of the subtree of w (projective span).
func (tr *tree) subtree(w int) (lo, hi int) {
	lo, hi = w, w
	stack := []int{w}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		lo, hi = min(lo, v), max(hi, v)
		stack = append(stack, tr.kids[v]...)
	}
	return lo, hi
}

// treeArgs appends the entities that argument word w and its conjuncts stand for.
func (x *state) treeArgs(tr *tree, w int, agent bool, out []arg) []arg {
	out = x.treeArg(tr, w, agent, out, 0)
	for _, c := range tr.kids[w] {
		if tr.rel[c] == "conj" {
			out = x.treeArgs(tr, c, agent, out)
		}
	}
	return out
}

// treeArg appends the entity word w stands for: its own mention, else the name it
// governs ("the village of Hayan", "Syrian army units", "Russian warplanes").
func (x *state) treeArg(tr *tree, w int, agent bool, out []arg, depth int) []arg {
	if mi := x.tokMent[tr.first+w]; mi >= 0 {
		m := &x.ments[mi]
		if m.dateline && depth < 2 {
			// "BAHRAIN, March 5 - Iranian troops are fighting": the parser may hang
			// the subject on the dateline
			for _, c := range tr.kids[w] {
				if n := len(out); len(x.treeArg(tr, c, agent, out, depth+1)) > n {
					return x.treeArg(tr, c, agent, out, depth+1)
				}
			}
			return out
		}
		if m.ent == nil {
			return out
		}
		if b, _ := x.affiliateNamed(mi); b >= 0 {
			// "fighters of Al-Qaida affiliate Al-Nusra Front", parsed with Al-Qaida as
			// the noun's head: the phrase names the affiliate
			mi, m = b, &x.ments[b]
		}
		if agent && !actorType(m) {
			return out
		}
		if p := mi - 1; agent && p >= 0 && x.ments[p].e == m.as && x.ments[p].ent != nil && x.toks[x.ments[p].e-1].lower == "to" && x.ments[p].ent.ref.Type == graph.Organisation {
			// "troops allied to the Syrian regime stepped up attacks", parsed with the
			// regime as the subject: the troops act, not the side they are loyal to
			return append(out, x.argOf(p))
		}
		if m.listed {
			// "the towns of Misraba Ayn Tarma Arbin": one word of the tree, the
			// other names of the run too
			for p := mi - 1; p >= 0 && x.ments[p].listed && x.ments[p].e == x.ments[p+1].s && x.ments[p].ent != nil; p-- {
				out = append(out, x.argOf(p))
			}
			for n := mi + 1; n < len(x.ments) && x.ments[n].listed && x.ments[n].s == x.ments[n-1].e && x.ments[n].ent != nil; n++ {
				out = append(out, x.argOf(n))
			}
		}
		return append(out, x.argOf(mi))
	}
	if depth > 2 || !tr.isNominal(w) {
		return out
	}
	lw := x.lowerAt(tr, w)
	if tr.upos[w] == "PRON" && (lw == "which" || lw == "who" || lw == "that") {
		// a relative pronoun: the noun the clause modifies
		for v := tr.head[w]; v >= 0; v = tr.head[v] {
			if tr.rel[v] == "acl:relcl" {
				return x.treeArg(tr, tr.head[v], agent, out, depth+1)
			}
		}
		return out
	}
	// "Madaya, a town near Damascus besieged by ...": the place the noun is in
	// apposition to
	if !agent && districtOf[lw] && tr.rel[w] == "appos" && tr.head[w] >= 0 {
		if mi := x.tokMent[tr.first+tr.head[w]]; mi >= 0 && x.ments[mi].ent != nil && x.ments[mi].ent.ref.Type == graph.City {
			return append(out, x.argOf(mi))
		}
	}
	if !agent && districtOf[lw] && x.caseWord(tr, w) == "" {
		// the same without its commas, as the parser may read it: "out of Madaya a
		// town near Damascus"
		lo, _ := tr.subtree(w)
		if k := tr.first + lo - 1; lo > 0 && x.tokMent[k] >= 0 {
			if m := &x.ments[x.tokMent[k]]; m.e == k+1 && m.ent != nil && m.ent.ref.Type == graph.City {
				return append(out, x.argOf(x.tokMent[k]))
			}
		}
	}
	if !agent && districtPlurals[lw] && x.definite(tr, w) && !x.namedPhrase(tr, w) {
		// "the two Shiite villages which are besieged by rebels": the villages named
		// before ("the villages of al-Foua and Kefraya")
		if named := x.namedWith(tr, w, out); len(named) > len(out) {
			return named
		}
	}
	// "the Syrian town in Idlib": the town named last, if it lies there (before the
	// "in Idlib" of the phrase is taken for the town)
	if !agent && districtOf[lw] && x.definite(tr, w) && !x.namedPhrase(tr, w) {
		if e := x.cityWithin(tr, w); e != nil {
			return append(out, arg{ent: e, m: -1, indirect: true})
		}
	}
	// a name inside the noun phrase
	for _, pass := range [...]string{"compound", "flat", "appos", "amod", "nmod"} {
		kids := tr.kids[w]
		for i := range kids {
			c := kids[i]
			if pass == "compound" && !agent {
				// "Syrias Eastern Ghouta governorate": the name next to the head is the
				// target, what comes before it modifies that name
				c = kids[len(kids)-1-i]
			}
			r := tr.rel[c]
			if baseRel(r) != pass || r == "nmod:poss" && !agent {
				continue
			}
			if pass == "amod" && !agent && !actorNouns[lw] && !teamNouns[lw] {
				continue // "Syrian towns" are not Syria; "the Soviet team", "Russian jets" are
			}
			if pass == "nmod" && !(r == "nmod:poss" && agent && actorNouns[lw]) {
				// ("its forces", "Russia's warplanes": the possessor acts)
				p := x.caseWord(tr, c)
				if p != "of" && !(containPreps[p] && !agent) {
					continue
				}
			}
			if n := len(out); len(x.treeArg(tr, c, agent, out, depth+1)) > n {
				out = x.treeArg(tr, c, agent, out, depth+1)
				for i := n; i < len(out); i++ {
					out[i].indirect = out[i].indirect || pass == "nmod" && !districtOf[lw] && !placeHeads[lw]
				}
				return out
			}
		}
	}
	// "the capital": the capital city named last
	if !agent && lw == "capital" && x.definite(tr, w) {
		if e := x.recentCapital(tr.si); e != nil {
			return append(out, arg{ent: e, m: -1, indirect: true})
		}
	}
	// "the village", "the town": the place named last (when the phrase names none:
	// "the provincial capital Hasaka city" is Hasaka)
	if !agent && districtOf[lw] && x.definite(tr, w) {
		if e := x.recentCity(tr.si); e != nil {
			return append(out, arg{ent: e, m: -1, indirect: true})
		}
	}
	return out
}

// namedPhrase reports whether noun w has a name of its own among its dependents: a
// compound, flat or appos name, or "of X" ("the town of Hayan").
func (x *state) namedPhrase(tr *tree, w int) bool {
	for _, c := range tr.kids[w] {
		r := tr.rel[c]
		if r == "compound" || r == "flat" || r == "appos" || baseRel(r) == "nmod" && x.caseWord(tr, c) == "of" {
			if x.tokMent[tr.first+c] >= 0 {
				return true
			}
		}
	}
	return false
}

// cityWithin returns the city named last in the article, up to sentence tr.si, that
// lies in the place an "in" modifier of noun w names ("the Syrian town in Idlib": the
// town of Khan Sheikhoun named before), or nil.
func (x *state) cityWithin(tr *tree, w int) *entity {
	var place *entity
	for _, c := range tr.kids[w] {
		if baseRel(tr.rel[c]) == "nmod" && x.caseWord(tr, c) == "in" {
			if a := x.treeArgs(tr, c, false, nil); len(a) == 1 && a[0].ent != nil {
				place = a[0].ent
			}
		}
	}
	if place == nil {
		return nil
	}
	for i := x.sentMent[tr.si+1] - 1; i >= 0; i-- {
		m := &x.ments[i]
		if e := m.ent; e != nil && e != place && e.ref.Type == graph.City && m.kind == mName && x.liesIn(e, place) {
			return e
		}
	}
	return nil
}

// liesIn reports whether the article puts place e in place p: by its parents, or by a
// located_in statement so far.
func (x *state) liesIn(e, p *entity) bool {
	if within(e, p) {
		return true
	}
	for _, st := range x.stmts {
		if st.Predicate == "located_in" && st.Subject == e.ref && st.Object == p.ref {
			return true
		}
	}
	return false
}

// eventTargets appends the targets and perpetrators of event noun w: "attacks on X",
// "X's bombing of Y".
func (x *state) eventTargets(tr *tree, w int, out []arg) []arg {
	t, _ := x.nounAt(tr.first + w)
	if t == nil || !placeEvents[t.Relation] {
		return out
	}
	for _, c := range tr.kids[w] {
		r := tr.rel[c]
		switch {
		case baseRel(r) == "nmod" && (hasPrep(t.Preps, x.caseWord(tr, c)) || x.caseWord(tr, c) == "of"):
			out = x.treeArgs(tr, c, false, out)
		case r == "nmod:poss" || r == "amod" || r == "compound" || r == "obl:agent" || baseRel(r) == "nmod" && x.caseWord(tr, c) == "by":
			if r != "nmod" || x.actorWord(tr, c) {
				out = x.treeArgs(tr, c, true, out)
			}
		}
	}
	return out
}

// violence is the last violent event (bombed, attacked, killed) of an article: what
// a later "the attack" or "the massacre" refers to.
type violence struct {
	rel  string
	sent int
	told int // the latest sentence that tells of it
	subj []*entity
	obj  []*entity // its targets and victims
}

// nounAgents returns the agents event noun w names itself (possessor, demonym or name
// modifier, a "by" agent, also inside a participle: "the attack believed to have been
// carried out by X"), else, for a definite noun ("the attack"), the attackers of the
// article's last violent event with its relation.
func (x *state) nounAgents(tr *tree, w int) ([]arg, string) {
	k := tr.first + w
	if t, _ := x.nounAt(k); t == nil || !placeEvents[t.Relation] {
		return nil, ""
	}
	var out []arg
	for _, c := range tr.kids[w] {
		switch r := tr.rel[c]; {
		case r == "nmod:poss" || r == "amod" || r == "compound":
			if x.actorWord(tr, c) {
				out = x.treeArgs(tr, c, true, out)
			}
		case r == "obl:agent" || baseRel(r) == "nmod" && x.caseWord(tr, c) == "by":
			out = x.treeArgs(tr, c, true, out)
		case baseRel(r) == "acl":
			lo, hi := tr.subtree(c)
			for v := lo; v <= hi; v++ {
				if tr.rel[v] == "obl:agent" || baseRel(tr.rel[v]) == "obl" && x.caseWord(tr, v) == "by" {
					out = x.treeArgs(tr, v, true, out)
				}
			}
		}
	}
	if len(out) > 0 {
		return out, ""
	}
	if !x.definite(tr, w) || x.lastViol.rel == "" {
		return nil, ""
	}
	for _, e := range x.lastViol.subj {
		out = append(out, arg{ent: e, m: -1, indirect: true})
	}
	return out, x.lastViol.rel
}

// antecedentTargets appends the targets of the article's last violent event when
// word w is a definite event noun without arguments of its own ("the attack",
// "the bombing", "this massacre").
func (x *state) antecedentTargets(tr *tree, w int, out []arg) []arg {
	if t, _ := x.nounAt(tr.first + w); t == nil || !placeEvents[t.Relation] || !x.definite(tr, w) {
		return out
	}
	for _, e := range x.lastViol.obj {
		out = append(out, arg{ent: e, m: -1, indirect: true})
	}
	return out
}

// agentlessViolence makes an attack without a named attacker the article's last violent
// event: its targets are what a later definite "the attack" refers to.
func (x *state) agentlessViolence(si int, tr *tree, rel string, patients []int) {
	var obj []*entity
	for _, w := range patients {
		for _, a := range x.treeArgs(tr, w, false, nil) {
			if a.ent != nil && !slices.Contains(obj, a.ent) {
				obj = append(obj, a.ent)
			}
		}
	}
	if len(obj) > 0 {
		x.lastViol = violence{rel: rel, sent: si, obj: obj}
	}
}

// violentAntecedent emits the relation of a definite event noun without an agent
// ("the attack on X") with the attackers of the article's last violent event.
func (x *state) violentAntecedent(si int, tr *tree, h int, patients []int) {
	var obj []arg
	for _, w := range patients {
		obj = x.treeArgs(tr, w, false, obj)
	}
	subj := make([]arg, 0, len(x.lastViol.subj))
	for _, e := range x.lastViol.subj {
		subj = append(subj, arg{ent: e, m: -1, indirect: true})
	}
	mod, speaker := x.treeModality(tr, h, nil)
	x.emitTree(si, tr.first+h, x.lastViol.rel, subj, obj, 0.6, mod, speaker)
}

// definite reports whether noun w has a definite determiner.
func (x *state) definite(tr *tree, w int) bool {
	for _, c := range tr.kids[w] {
		if tr.rel[c] == "det" {
			l := x.lowerAt(tr, c)
			return l == "the" || l == "this" || l == "that"
		}
	}
	return false
}

// innerPlace returns the places a "in X" / "at X" modifier inside the phrase of word
// w locates, looking at most three modifiers deep: where an unnamed patient was.
func (x *state) innerPlace(tr *tree, w int, out []arg, depth int) []arg {
	if depth > 3 {
		return out
	}
	for _, c := range tr.kids[w] {
		r := baseRel(tr.rel[c])
		if r != "nmod" && r != "obl" {
			continue
		}
		if containPreps[x.caseWord(tr, c)] {
			n := len(out)
			for _, a := range x.treeArgs(tr, c, false, nil) {
				if t := a.ent.ref.Type; t == graph.City || t == graph.Facility {
					out = append(out, a)
				}
			}
			if len(out) > n {
				return out
			}
		}
		if n := len(out); len(x.innerPlace(tr, c, out, depth+1)) > n {
			return x.innerPlace(tr, c, out, depth+1)
		}
	}
	return out
}

// eventPlace returns the places an event word is located in by its obliques ("in X",
// "at X"): where unnamed people were killed or unnamed targets hit; a country only
// when country is set.
func (x *state) eventPlace(tr *tree, h int, country bool, out []arg) []arg {
	for _, c := range tr.kids[h] {
		if baseRel(tr.rel[c]) != "obl" && baseRel(tr.rel[c]) != "nmod" {
			continue
		}
		if p := x.caseWord(tr, c); !containPreps[p] {
			continue
		}
		for _, a := range x.treeArgs(tr, c, false, nil) {
			if t := a.ent.ref.Type; t == graph.City || t == graph.Facility || country && t == graph.State {
				out = append(out, a)
			}
		}
	}
	return out
}

// treeModality reads the modality of the trigger at word h from the tree.
func (x *state) treeModality(tr *tree, h int, agents []int) (graph.Modality, *entity) {
	negated, hedged := false, false
	var speaker *entity
	check := func(w int) {
		for _, c := range tr.kids[w] {
			lw := x.lowerAt(tr, c)
			switch baseRel(tr.rel[c]) {
			case "advmod", "aux", "det", "mark", "cc":
				if negWords[lw] && lw != "without" && lw != "nor" {
					negated = true
				}
				if hedgeWords[lw] || lw == "if" || lw == "unless" || lw == "whether" {
					hedged = true
				}
			}
		}
	}
	checkAux := func(w int) {
		for _, c := range tr.kids[w] {
			switch baseRel(tr.rel[c]) {
			case "advmod", "aux":
				lw := x.lowerAt(tr, c)
				negated = negated || negWords[lw] && lw != "without" && lw != "nor"
				hedged = hedged || hedgeWords[lw]
			}
		}
	}
	check(h)
	for _, a := range agents {
		for _, c := range tr.kids[a] {
			if tr.rel[c] == "amod" && hedgeWords[x.lowerAt(tr, c)] {
				hedged = true // "suspected Russian warplanes"
			}
		}
	}
	// up the chain of predicates that govern the trigger
	cur := h
	for step := 0; step < 8; step++ {
		g := tr.head[cur]
		if g < 0 {
			break
		}
		r := baseRel(tr.rel[cur])
		lg := x.lowerAt(tr, g)
		switch r {
		case "ccomp", "parataxis":
			if (speechVerbs[lg] || reportNouns[lg]) && !threatVerbs[lg] {
				if speaker == nil {
					if a := x.agentsOf(tr, g); len(a) > 0 {
						if args := x.treeArgs(tr, a[0], true, nil); len(args) > 0 {
							speaker = args[0].ent
						} else {
							speaker = x.voiceOf(tr, a[0])
						}
					}
				}
			}
			if negVerbs[lg] {
				negated = true
			}
		case "xcomp", "obj", "obl", "nsubj", "conj", "advcl":
			if tr.isNominal(h) && r != "xcomp" {
				// an event noun takes the modality of the verb that governs it
				// ("could end talks with X"), not that verb's conditions or what
				// governs it ("unless Moscow ends its bombing")
				if negVerbs[lg] && r != "conj" {
					negated = true
				}
				if cur == h && r != "conj" {
					checkAux(g)
				}
				cur = g
				continue
			}
			if negVerbs[lg] && r != "conj" {
				negated = true // "denied bombing", "refused to attack"
			}
			if hedgeVerbs[lg] && r != "conj" {
				hedged = true // "threatened to strike", "planned to attack"
			}
			if r != "conj" {
				check(g)
			}
		default:
			cur = g
			continue
		}
		cur = g
	}
	// "according to X"
	for v := h; v >= 0; v = tr.head[v] {
		for _, c := range tr.kids[v] {
			if baseRel(tr.rel[c]) == "obl" && x.caseWord(tr, c) == "according" && speaker == nil {
				if args := x.treeArgs(tr, c, true, nil); len(args) > 0 {
					speaker = args[0].ent
				}
			}
		}
	}
	if speaker == nil {
		// the tree may miss a complement the word rules see ("X said on Tuesday that
		// ...", "'...,' X said")
		speaker = x.speaker(tr.si, tr.first+h)
	}
	if last := tr.last - 1; x.toks[last].text == "?" {
		hedged = true
	}
	switch {
	case negated:
		return graph.Negated, nil
	case hedged:
		return graph.Hedged, nil
	case speaker != nil:
		return graph.Reported, speaker
	}
	return graph.Asserted, nil
}

// voiceOf returns the body an unnamed spokesman at word w speaks for: "a Russian
// Defence Ministry spokesman said" is the ministry's word. Nil when w heads no such
// role or the role names no organisation or state.
func (x *state) voiceOf(tr *tree, w int) *entity {
	if !voiceNouns[x.lowerAt(tr, w)] {
		return nil
	}
	mi := x.tokMent[tr.first+w]
	if mi < 0 || x.ments[mi].kind != mRole || x.ments[mi].ent != nil {
		return nil
	}
	m := &x.ments[mi]
	for j := x.sentMent[m.sent]; j < x.sentMent[m.sent+1]; j++ {
		n := &x.ments[j]
		if j != mi && n.s >= m.s && n.e <= m.e && n.ent != nil && (n.ent.ref.Type == graph.Organisation || n.ent.ref.Type == graph.State) {
			return n.ent
		}
	}
	return nil
}

// emitTree records subject × object statements of a relation found in the tree.
func (x *state) emitTree(si, at int, rel string, subj, obj []arg, conf float64, mod graph.Modality, speaker *entity) {
	x.emitPairs(si, at, rel, subj, obj, conf, mod, speaker, func(s, o *entity) {
		if !placeEvents[rel] {
			return
		}
		if x.lastViol.rel != rel || !slices.Contains(x.lastViol.subj, s) {
			if x.lastViol.sent != si || x.lastViol.rel != rel {
				x.lastViol = violence{rel: rel, sent: si}
			}
			x.lastViol.subj = append(x.lastViol.subj, s)
		}
		if !slices.Contains(x.lastViol.obj, o) {
			x.lastViol.obj = append(x.lastViol.obj, o)
		}
		x.lastViol.told = si
	})
}

// Parser is the dependency parser the extractor reads relations from.
type Parser interface {
	// Parse returns one token per word, with its head (1-based, 0 for the root),
	// relation and part of speech.
	Parse(words []string) []depparse.Token
}

// treeWhyNot says, in terms of the tree, why the trigger at token k gave no
// relation: "bombed from 'airstrikes': no agent in the tree: nmod:on = the village of
// Hayan, no nsubj".
func (x *state) treeWhyNot(si, k, n int, t *Trigger) string {
	sn := x.sents[si]
	tr := x.parseSentence(si)
	s := k - sn.first
	h := tr.spanHead(s, n)
	var ev event
	noun := !t.IsVerb() || tr.isNominal(h) && t.Form == VerbIng || t.IsVerb() && tr.upos[h] == "NOUN"
	passive := !noun && tr.passiveAt(h, t)
	var deps []string
	for w := s; w < s+n; w++ {
		for _, c := range tr.kids[w] {
			if c >= s && c < s+n || tr.rel[c] == "punct" {
				continue
			}
			x.argument(tr, &ev, c, t, noun, passive)
			lo, hi := tr.subtree(c)
			deps = append(deps, tr.rel[c]+" = "+x.src[x.toks[sn.first+lo].start:x.toks[sn.first+hi].end])
		}
	}
	if len(ev.agents) == 0 {
		x.inheritAgents(tr, &ev, h, noun, passive)
	}
	if len(ev.agents) == 0 && noun && t.Relation == "met" && baseRel(tr.rel[h]) == "obl" && tr.head[h] >= 0 {
		// "Glitman presented the draft during a meeting with the Soviet team": who
		// acts during a meeting takes part in it
		ev.agents, ev.inherited = x.agentsOf(tr, tr.head[h]), true
	}
	if len(ev.patients) == 0 && !noun {
		x.inheritPatients(tr, &ev, h, t, passive)
	}
	ev.patients, _ = x.listedTargets(tr, ev.patients)
	if g := tr.head[h]; len(ev.patients) == 0 && noun && t.Relation == "attacked" && g >= 0 && tr.rel[h] == "obj" && defenceVerbs[x.lowerAt(tr, g)] {
		// "its troops repulsed heavy Iraqi counter-attacks": who repels an attack was
		// its target
		ev.patients = x.agentsOf(tr, g)
	}
	form := "verb"
	if noun {
		form = "noun"
	}
	if passive {
		form = "passive verb"
	}
	what := ""
	switch {
	case len(ev.agents) == 0 && len(ev.patients) == 0:
		what = "no agent and no patient in the tree"
	case len(ev.agents) == 0:
		what = "no agent in the tree"
	case len(ev.patients) == 0:
		what = "no patient in the tree"
	default:
		var subj, obj []arg
		for _, w := range ev.agents {
			subj = x.treeArgs(tr, w, true, subj)
		}
		for _, w := range ev.patients {
			obj = x.treeArgs(tr, w, false, obj)
		}
		switch {
		case len(subj) == 0:
			what = "the agent " + x.wordText(tr, ev.agents[0]) + " names no actor"
		case len(obj) == 0:
			what = "the patient " + x.wordText(tr, ev.patients[0]) + " names no entity"
		default:
			what = "arguments found, but no pair fits the relation (same entity, type other, or an object the relation cannot take)"
		}
	}
	if len(deps) == 0 {
		deps = append(deps, "no dependents")
	}
	return t.Relation + " from '" + x.src[x.toks[k].start:x.toks[k+n-1].end] + "' (" + form + ", " + tr.rel[h] + "): " + what + ": " + strings.Join(deps, ", ")
}

// wordText is the text of the subtree of word w, quoted.
func (x *state) wordText(tr *tree, w int) string {
	lo, hi := tr.subtree(w)
	return "'" + x.src[x.toks[tr.first+lo].start:x.toks[tr.first+hi].end] + "'"
}

// treeStructural adds located_in where the tree says one place lies in another: "X in
// Y" (a nominal modifier with "in"), "X, Y" (an apposition of two places), "Y's X" (a
// place possessor). Distances and directions ("near Y", "north of Y", "outside Y")
// say nothing of containment and give nothing.
func (x *state) treeStructural(si int, tr *tree) {
	sn := x.sents[si]
	for mi := x.sentMent[si]; mi < x.sentMent[si+1]; mi++ {
		m := &x.ments[mi]
		if m.inner || m.ent == nil || m.s < sn.first || m.e > sn.last || x.tokMent[m.s] != mi {
			continue
		}
		if t := m.ent.ref.Type; t != graph.City && t != graph.Facility || m.ent.parent != nil {
			continue // not a place, or already placed by the mention rules
		}
		h := tr.spanHead(m.s-sn.first, m.e-m.s)
		// where "in Y" may hang: the name's head word; the place noun the name
		// qualifies ("Hardatnin village in Aleppo", "the town of Khan Sheikhoun in
		// Idlib"); the last of coordinated names ("al-Foua and Kefraya in Idlib")
		heads := []int{h}
		first := h // the first of coordinated names
		if tr.rel[h] == "conj" && tr.head[h] >= 0 {
			first = tr.head[h]
		}
		qualified := -1 // the place noun the name qualifies as its compound: "the Bab Amr district"
		if g := tr.head[first]; g >= 0 {
			lg := x.lowerAt(tr, g)
			switch {
			case tr.rel[first] == "compound" && (districtOf[lg] || districtPlurals[lg] || placeHeads[lg]):
				heads = append(heads, g)
				qualified = g
			case (districtOf[lg] || districtPlurals[lg]) && baseRel(tr.rel[first]) == "nmod" && x.caseWord(tr, first) == "of":
				heads = append(heads, g)
			}
		}
		for _, c := range tr.kids[h] {
			if tr.rel[c] == "conj" && x.tokMent[tr.first+c] >= 0 {
				heads = append(heads, c)
			}
		}
		for hi, w := range heads {
			for _, c := range tr.kids[w] {
				r := tr.rel[c]
				ok := false
				switch {
				case r == "appos" || r == "nmod:poss":
					ok = hi == 0
				case baseRel(r) == "nmod":
					p := x.caseWord(tr, c)
					// "of" only after the place noun a name qualifies: "the Bab Amr
					// district of Homs", "the Haj Omran border area of northeast Iraq"
					ok = p == "in" || p == "inside" || p == "within" || p == "of" && w == qualified
				}
				if !ok || c >= m.s-sn.first && c < m.e-sn.first || tr.conjBetween(w, c) {
					continue
				}
				for _, a := range x.treeArg(tr, c, false, nil, 0) {
					if a.ent == m.ent || !containerFits(m.ent, a.ent) {
						continue
					}
					if inner := x.compoundPlace(tr, c, a.ent); inner != nil && inner != m.ent && containerFits(m.ent, inner) {
						// "in Idlib northwestern Syria" (the commas lost): m lies in
						// Idlib, which lies in Syria
						x.addStmt(si, m.ent, "located_in", inner, "", 0.8, graph.Asserted, nil, x.published)
						if inner.parent == nil {
							x.addStmt(si, inner, "located_in", a.ent, "", 0.8, graph.Asserted, nil, x.published)
						}
						continue
					}
					x.addStmt(si, m.ent, "located_in", a.ent, "", 0.8, graph.Asserted, nil, x.published)
				}
			}
		}
	}
}

// hasKid reports whether word w has a dependent of relation rel.
func (tr *tree) hasKid(w int, rel string) bool {
	for _, c := range tr.kids[w] {
		if tr.rel[c] == rel {
			return true
		}
	}
	return false
}

// conjBetween reports whether a conjunct of w lies between w and its dependent c: c
// then belongs to that conjunct, whatever the parser attached it to ("Dan Sai
// District in Loei Province, Nakhon Thai District in Phitsanulok Province").
func (tr *tree) conjBetween(w, c int) bool {
	for _, k := range tr.kids[w] {
		if tr.rel[k] == "conj" && w < k && k < c {
			return true
		}
	}
	return false
}

// compoundPlace returns the place a name before the head of the noun phrase at w
// names when the parser read two places in a row as one phrase ("Idlib northwestern
// Syria", whose head is Syria), and that place fits into outer; nil if there is none.
func (x *state) compoundPlace(tr *tree, w int, outer *entity) *entity {
	for _, c := range tr.kids[w] {
		if c >= w || tr.rel[c] != "compound" && tr.rel[c] != "flat" {
			continue
		}
		mi := x.tokMent[tr.first+c]
		if mi < 0 || mi == x.tokMent[tr.first+w] {
			continue
		}
		if e := x.ments[mi].ent; e != nil && e != outer && e.ref.Type == graph.City && containerFits(e, outer) {
			return e
		}
	}
	return nil
}

// containerFits reports whether place p can contain e: a city lies in a city (a
// province) or a state, a facility in a city, a facility or a state.
func containerFits(e, p *entity) bool {
	switch p.ref.Type {
	case graph.State:
		return true
	case graph.City:
		return e.ref.Type == graph.City || e.ref.Type == graph.Facility
	case graph.Facility:
		return e.ref.Type == graph.Facility
	}
	return false
}
