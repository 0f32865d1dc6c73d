package extract

import (
	"strings"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/gazetteer"
)

// Armed forces named by what they are rather than by their name: "regime forces",
// "government troops", "Assad's troops", "forces loyal to the president" are the army
// of the article's state; "the rebels", "rebel fighters", "armed opposition groups"
// its rebels. The state is the one the article names most (see homeState), and the
// name is made from its demonym as the article writes it ("Syrian Army", "Syrian
// rebels"), or the gazetteer's organisation of that name.

const (
	forceArmy   = "army"
	forceRebels = "rebels"
	forceState  = "state" // "regime aircraft", "government warplanes": the state itself
)

// airForces are the aircraft a state flies: "regime aircraft" bomb as the state does
// ("Russian warplanes" → Russia).
var airForces = setOf("aircraft warplanes jets planes helicopters drones bombers")

// sideForces are the nouns of an armed side: "regime forces", "rebel fighters".
var sideForces = setOf("forces troops soldiers fighters units army militia militias groups group")

// armyModifiers make the noun after them the state's army: "regime forces",
// "government troops".
var armyModifiers = setOf("regime government loyalist pro-government pro-regime")

// bareArmy are the state's army on their own: "the army", "the troops".
var bareArmy = setOf("army troops")

// rebelWords name rebels on their own or before a side noun: "the rebels", "rebel
// fighters", "armed opposition groups", "the opposition forces".
var rebelWords = setOf("rebel rebels insurgent insurgents opposition")

// peoples are peoples and faiths news names without a state of their own: "Kurdish
// forces" are an armed group, "the Kurds" no person.
var peoples = setOf("kurdish kurd kurds shiite shiites shia sunni sunnis alawite alawites druze turkmen yazidi yazidis baluch pashtun tamil tamils")

// peopleFighters are the armed men of a people: "Kurdish dissidents".
var peopleFighters = setOf("dissidents rebels fighters militants guerrillas militiamen")

// loyalWords join forces to the side they fight for: "forces loyal to ...", "troops
// allied to ...".
var loyalWords = setOf("loyal allied")

// tryForce finds a mention of the state's army or rebels at k (see forceArmy,
// forceRebels); the name is given in resolve, once the article's state is known.
func (x *state) tryForce(si, k int) int {
	sn := x.sents[si]
	toks := x.toks
	w := toks[k].lower
	if peoples[w] && toks[k].cap && k+1 < sn.last && (sideForces[toks[k+1].lower] || peopleFighters[toks[k+1].lower]) {
		// "Kurdish forces", "Kurdish dissidents": the armed men of a people without
		// a state of their own, named as written
		as := k
		if k-1 >= sn.first && (toks[k-1].lower == "the" || toks[k-1].lower == "a") {
			as = k - 1
		}
		x.add(mention{s: k, e: k + 2, as: as, sent: si, kind: mName, typ: graph.Organisation, name: x.text(k, k+2), sure: true})
		return 2
	}
	if toks[k].cap && k != sn.first || !toks[k].word {
		return 0
	}
	next := func(j int) string {
		if j < sn.last {
			return toks[j].lower
		}
		return ""
	}
	if k+1 < sn.last && toks[k+1].text == "-" && !toks[k+1].space {
		return 0 // "rebel-held", "government-controlled"
	}
	as := k
	if k-1 >= sn.first && (toks[k-1].lower == "the" || toks[k-1].lower == "a") {
		as = k - 1
	}
	add := func(e int, force string) int {
		x.add(mention{s: k, e: e, as: as, sent: si, kind: mName, typ: graph.Organisation, name: force, force: force})
		return e - k
	}
	switch {
	case armyModifiers[w] && sideForces[next(k+1)]:
		return add(k+2, forceArmy)
	case armyModifiers[w] && airForces[next(k+1)]:
		return add(k+2, forceState)
	case sideForces[w] && loyalWords[next(k+1)] && next(k+2) == "to":
		return add(k+3, forceArmy) // the alias runs to the end of what follows (addAliases)
	case rebelWords[w] && w != "opposition" && sideForces[next(k+1)]:
		return add(k+2, forceRebels)
	case w == "rebel" && next(k+1) == "opposition" && sideForces[next(k+2)]:
		return add(k+3, forceRebels)
	case w == "armed" && next(k+1) == "opposition" && sideForces[next(k+2)]:
		return add(k+3, forceRebels)
	case w == "armed" && next(k+1) == "opposition" && !x.nounAfter(si, k+2):
		return add(k+2, forceRebels) // "Syria's main armed opposition condemned"
	case w == "opposition" && sideForces[next(k+1)] && as < k:
		return add(k+2, forceRebels) // "the opposition forces"
	case w == "rebels" || w == "insurgents" || w == "rebel" && as < k && !x.nounAfter(si, k+1):
		return add(k+1, forceRebels)
	case (bareArmy[w] || w == "forces" || w == "soldiers") && k-1 >= sn.first && (toks[k-1].lower == "its" || toks[k-1].lower == "their") && !x.nounAfter(si, k+1):
		return add(k+1, forceArmy) // "its troops": the army of the state "its" is (possessedForce)
	case w == "troops" && k-1 >= sn.first && prepositions[toks[k-1].lower] && !x.nounAfter(si, k+1):
		return add(k+1, forceArmy) // "opened fire at troops": no other army named there
	case bareArmy[w] && as < k && toks[as].lower == "the" || w == "army" && next(k+1) == "units":
		e := k + 1
		if next(e) == "units" {
			e++
		}
		return add(e, forceArmy)
	}
	return 0
}

// nounAfter reports whether the word at k is a lower-case word that a modifier before it
// would modify ("a rebel commander"), rather than a verb or a stop.
func (x *state) nounAfter(si, k int) bool {
	sn := x.sents[si]
	if k >= sn.last || !x.toks[k].word || x.toks[k].cap {
		return false
	}
	w := x.toks[k].lower
	return !(auxiliaries[w] || prepositions[w] || clauseBreak[w] || speechVerbs[w] || w == "and" || w == "or" ||
		strings.HasSuffix(w, "ed") || x.isVerbTrigger(k))
}

// leaderForce turns "Assad's troops" ("Assads troops" without the apostrophe) into the
// army of the state the person leads, extending the mention over the noun.
func (x *state) leaderForce(si int, m *mention) bool {
	sn := x.sents[si]
	e := m.e
	if e < sn.last && x.toks[e].text == "'s" {
		e++
	} else if !strings.HasSuffix(x.toks[m.e-1].lower, "s") {
		return false
	}
	if m.gaz == nil || e >= sn.last || !sideForces[x.toks[e].lower] || x.toks[e].lower == "groups" {
		return false
	}
	if x.gaz.Country(m.gaz.CountryAt(x.published)) == nil {
		return false
	}
	m.e = e + 1
	m.kind, m.typ, m.name, m.force, m.gaz = mName, graph.Organisation, forceArmy, forceArmy, nil
	return true
}

// homeState returns the country the article names most often (the first named of
// equals); in an article that names no country, the country most of its demonym forces,
// known cities and organisations are of ("the army units" of an article on the "Syrian
// Army" in Deir Ezzor are Syria's); or nil.
func (x *state) homeState() *gazetteer.Entry {
	var named, placed *gazetteer.Entry
	nNamed, nPlaced := map[*gazetteer.Entry]int{}, map[*gazetteer.Entry]int{}
	for i := range x.ments {
		g := x.ments[i].gaz
		if f := x.ments[i].forceOf; f != nil && f.Kind == gazetteer.Country {
			nPlaced[f]++
			if placed == nil || nPlaced[f] > nPlaced[placed] {
				placed = f
			}
		}
		switch {
		case g == nil:
		case g.Kind == gazetteer.Country:
			nNamed[g]++
			if named == nil || nNamed[g] > nNamed[named] {
				named = g
			}
		case (g.Kind == gazetteer.City || g.Kind == gazetteer.Organisation) && g.Country != "":
			if c := x.gaz.Country(g.Country); c != nil {
				nPlaced[c]++
				if placed == nil || nPlaced[c] > nPlaced[placed] {
					placed = c
				}
			}
		}
	}
	if named != nil {
		return named
	}
	return placed
}

// nameForces names the army and rebel mentions after the article's state: "Syrian
// Army" (or the gazetteer's organisation of that name), "Syrian rebels". Without a
// state, or a demonym for it in the article, they stay unnamed (typed other).
func (x *state) nameForces() {
	var home *gazetteer.Entry
	demonym, looked := "", false
	for i := range x.ments {
		m := &x.ments[i]
		if m.force == "" {
			continue
		}
		if !looked {
			looked = true
			if home = x.homeState(); home != nil {
				demonym = x.demonymOf(home)
			}
		}
		if demonym == "" {
			m.typ, m.name = graph.Other, x.text(m.s, m.e)
			continue
		}
		if m.force == forceRebels {
			m.name = demonym + " rebels"
			continue
		}
		if m.force == forceState {
			m.typ, m.name, m.gaz, m.via = graph.State, home.Name, home, gazetteer.ByAlias
			continue
		}
		m.name, m.forceOf = demonym+" Army", home
		if ms := x.gaz.Lookup(strings.ToLower(demonym) + " army"); len(ms) > 0 && ms[0].Kind == gazetteer.Organisation {
			m.name = ms[0].Name
		}
	}
}

// possessedForce names the army mention i after the state a possessive pronoun just
// before it stands for: "Iran said its troops repulsed..." is the Iranian Army (whatever
// state the article names most) when the article names that army elsewhere ("the
// Iranian forces"), else the state itself ("Iraq said its forces killed...").
func (x *state) possessedForce(i int) {
	m := &x.ments[i]
	if m.force != forceArmy || i == 0 {
		return
	}
	p := &x.ments[i-1]
	if p.kind != mPronoun || p.e != m.s || p.ent == nil || p.ent.ref.Type != graph.State || p.ent.gaz == nil {
		return
	}
	d := x.demonymOf(p.ent.gaz)
	if d == "" {
		return
	}
	name := d + " Army"
	if ms := x.gaz.Lookup(strings.ToLower(d) + " army"); len(ms) > 0 && ms[0].Kind == gazetteer.Organisation {
		name = ms[0].Name
	}
	for j := range x.ments {
		if o := &x.ments[j]; j != i && o.kind == mName && o.force == "" && o.name == name {
			m.typ, m.name, m.forceOf = graph.Organisation, name, p.ent.gaz
			return
		}
	}
	c := p.ent.gaz
	m.typ, m.name, m.gaz, m.via, m.force = graph.State, c.Name, c, gazetteer.ByAlias, forceState
}

// demonymOf returns the demonym of country c as the article writes it ("Syrian"), or
// "".
func (x *state) demonymOf(c *gazetteer.Entry) string {
	for i := range x.ments {
		m := &x.ments[i]
		if m.gaz != c || m.via != gazetteer.ByDemonym {
			continue
		}
		w := x.toks[m.s].text
		if m.plural || x.toks[m.s].upper {
			continue // "Syrians", "SYRIAN"
		}
		return w
	}
	// none in the article: the usual endings of the name the gazetteer knows as the
	// country's demonym ("Syria" → "Syrian", "Iraq" → "Iraqi", "Iran" → "Iranian")
	for _, suf := range demonymEndings {
		d := c.Name + suf
		for _, gm := range x.gaz.Lookup(strings.ToLower(d)) {
			if gm.Entry == c && gm.Via == gazetteer.ByDemonym {
				return d
			}
		}
	}
	return ""
}

var demonymEndings = []string{"n", "i", "ian", "ese", "ish"}

// loyalAlias adds to the entity of "forces loyal to" mention i the phrase as written
// up to the end of the mention that follows ("forces loyal to Syrian President Bashar
// al-Assad", "troops allied to the Syrian regime").
func (x *state) loyalAlias(i int) {
	m := &x.ments[i]
	k := m.e
	if k < x.sents[m.sent].last && x.toks[k].lower == "the" {
		k++
	}
	end := -1
	for j := i + 1; j < len(x.ments) && x.ments[j].sent == m.sent && x.ments[j].as <= k; j++ {
		if n := &x.ments[j]; n.s <= k+1 && n.e > end {
			end = n.e
		}
	}
	if end > 0 {
		m.ent.addAlias(x.text(m.as, end))
		m.ent.addAlias(x.text(m.s, end))
	}
}
