package extract

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/gazetteer"
)

// entity is one entity of the article with the surface forms that resolved to it.
type entity struct {
	ref      graph.EntityRef
	aliases  []string
	gaz      *gazetteer.Entry
	parent   *entity // the city of a district or facility, the country of a city
	country  string  // for persons and cities: their country, if known
	roles    []roleFact
	facKey   string
	plural   bool
	first    int // first mention (index into x.ments)
	mentions int
	keep     bool // worth reporting even without relations
	named    bool // a facility named by its proper name ("the Al Fawwar camp"), not described
	sure     bool // a mention's head word or context gave the type (see mention.sure)
}

type roleFact struct {
	scope *entity
	title string
	class string
	sent  int
}

func (e *entity) addAlias(s string) {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	if s == "" || s == e.ref.Name {
		return
	}
	for _, a := range e.aliases {
		if a == s {
			return
		}
	}
	e.aliases = append(e.aliases, s)
}

func slugKey(t graph.EntityType, name string) string { return string(t) + "|" + graph.Slug(name) }

// entityFor returns the entity of a type and canonical name, creating it.
func (x *state) entityFor(t graph.EntityType, name string, mi int) *entity {
	name = strings.ToValidUTF8(name, "") // text that is not UTF-8 names nothing valid
	k := slugKey(t, name)
	if e := x.byKey[k]; e != nil {
		return e
	}
	e := &entity{ref: graph.EntityRef{Type: t, Name: name}, first: mi}
	x.byKey[k] = e
	x.ents = append(x.ents, e)
	if t == graph.Person {
		ps := nameParts(name)
		for j, p := range ps {
			if j == 0 && len(ps) > 1 {
				continue // a first name alone does not name the person
			}
			if prev, ok := x.parts[p]; ok && prev != e {
				x.parts[p] = nil
			} else {
				x.parts[p] = e
			}
		}
	}
	return e
}

// personName chooses the canonical name of a person: the gazetteer's, written as the
// article writes it when the letters agree ("Ban Ki-moon" for "Ban Ki-Moon").
func (x *state) personName(m *mention) string {
	surface := x.text(m.s, m.e)
	if m.gaz == nil {
		return surface
	}
	if strings.EqualFold(surface, m.gaz.Name) {
		return surface
	}
	return m.gaz.Name
}

// nameParts returns the lower-case words of a name, hyphen parts included.
func nameParts(name string) []string {
	f := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == ' ' || r == '-' })
	return f
}

// resolve links every mention to an entity.
func (x *state) resolve() {
	x.nameForces()
	x.oneTypePerName()
	// 0. a lone gazetteer surname stands for that person only in an article that names
	// the person's country; else it is just a capitalised word
	var countries map[string]bool
	for i := range x.ments {
		m := &x.ments[i]
		if !m.surname {
			continue
		}
		if countries == nil {
			countries = map[string]bool{}
			for j := range x.ments {
				if g := x.ments[j].gaz; g != nil && g.Kind == gazetteer.Country {
					countries[g.Name] = true
				}
			}
		}
		if !countries[m.gaz.CountryAt(x.published)] {
			m.typ, m.gaz, m.name = graph.Other, nil, x.text(m.s, m.e)
		}
	}
	// 1. named persons first, so that later surnames and earlier role phrases find them
	for i := range x.ments {
		m := &x.ments[i]
		if m.kind == mName && m.typ == graph.Person && (m.e-m.s > 1 || m.gaz != nil) {
			if x.toks[m.e-1].text == "-" {
				continue
			}
			name := x.personName(m)
			if m.e-m.s == 1 && m.gaz != nil && m.via != gazetteer.ByName {
				name = m.gaz.Name
			}
			if m.gaz == nil && strings.HasSuffix(name, "s") {
				// "Bashar al-Assads", "Donald Trumps": a possessive that lost its apostrophe
				stem := name[:len(name)-1]
				if ms := x.gaz.Lookup(gazetteer.Key(gazetteer.Split(stem))); len(ms) > 0 && ms[0].Kind == gazetteer.Person {
					m.gaz = ms[0].Entry
					name = ms[0].Name
				} else if e := x.byKey[slugKey(graph.Person, stem)]; e != nil {
					m.ent = e
					continue
				}
			}
			if e := x.personByPart(name); e != nil && len(nameParts(name)) == 1 {
				m.ent = e
				continue
			}
			m.ent = x.entityFor(graph.Person, name, i)
			if m.gaz != nil {
				m.ent.gaz = m.gaz
			}
		}
	}
	// 2. everything in order
	for i := range x.ments {
		m := &x.ments[i]
		if m.ent != nil {
			x.noteRole(i)
			continue
		}
		switch m.kind {
		case mName:
			x.possessedForce(i)
			x.resolveName(i)
		case mDemonym:
			if m.gaz != nil {
				m.ent = x.entityFor(graph.State, m.gaz.Name, i)
				m.ent.gaz = m.gaz
			}
		case mDistrict:
			m.ent = x.entityFor(graph.City, m.name, i)
			if m.loc >= 0 && x.ments[m.loc].ent != nil {
				m.ent.parent = x.ments[m.loc].ent
			}
		case mFacility:
			x.resolveFacility(i)
		case mPronoun:
			x.resolvePronoun(i)
		case mRole:
			x.resolveRole(i)
		case mCounterpart:
			// after all roles are known
		}
		x.noteRole(i)
	}
	for i := range x.ments {
		if x.ments[i].kind == mCounterpart {
			x.resolveCounterpart(i)
		}
	}
	x.acronyms()
	// 3. aliases and counts
	for i := range x.ments {
		m := &x.ments[i]
		if m.ent == nil {
			continue
		}
		m.ent.mentions++
		x.addAliases(i)
	}
}

// oneTypePerName gives every mention of a name the gazetteer does not know the type
// most of its typed mentions have (a type the context or head word gave counts twice): a name keeps one sense in an article ("Douma" typed
// a city after "the city of Douma" is a city where the context said nothing).
func (x *state) oneTypePerName() {
	type votes struct {
		n     map[graph.EntityType]int
		first graph.EntityType
	}
	byName := map[string]*votes{}
	for i := range x.ments {
		m := &x.ments[i]
		if m.kind != mName || m.gaz != nil || m.force != "" || m.typ == graph.Other {
			continue
		}
		k := strings.ToLower(m.name)
		v := byName[k]
		if v == nil {
			v = &votes{n: map[graph.EntityType]int{}, first: m.typ}
			byName[k] = v
		}
		if m.sure {
			v.n[m.typ] += 2 // the context or the head word typed it ("the city of X", "X Council")
		} else {
			v.n[m.typ]++
		}
	}
	for i := range x.ments {
		m := &x.ments[i]
		if m.kind != mName || m.gaz != nil || m.force != "" {
			continue
		}
		v := byName[strings.ToLower(m.name)]
		if v == nil {
			continue
		}
		best := v.first
		for t, n := range v.n {
			if n > v.n[best] {
				best = t
			}
		}
		m.typ = best
	}
}

// acronyms makes an acronym in brackets after an organisation's name the same
// organisation: "the Syrian National Coalition (SNC)", "Islamic State (IS)".
func (x *state) acronyms() {
	for i := range x.ments {
		m := &x.ments[i]
		if m.ent == nil || m.ent.ref.Type != graph.Organisation || m.inner {
			continue
		}
		k := m.e
		if k+2 >= x.sents[m.sent].last || x.toks[k].text != "(" || x.toks[k+2].text != ")" || !x.toks[k+1].upper {
			continue
		}
		mi := -1 // (tokMent is not built yet)
		for j := i + 1; j < len(x.ments) && x.ments[j].sent == m.sent; j++ {
			if x.ments[j].s == k+1 {
				mi = j
			}
		}
		if mi < 0 {
			continue
		}
		a := &x.ments[mi]
		if a.ent == nil || a.ent == m.ent || a.ent.gaz != nil || a.e != k+2 {
			continue
		}
		old := a.ent
		for j := range x.ments {
			if x.ments[j].ent == old {
				x.ments[j].ent = m.ent
			}
		}
	}
}

// lostPossessive drops the "s" of an organisation name that is a possessive without
// its apostrophe: "the Syrian National Coalitions (SNC) vice-president" names the
// Syrian National Coalition.
func (x *state) lostPossessive(m *mention, name string) string {
	last := x.toks[m.e-1].lower
	if m.e-m.s < 2 || !strings.HasSuffix(last, "s") || orgHeads[last] || !orgHeads[last[:len(last)-1]] || !strings.HasSuffix(name, "s") {
		return name
	}
	if m.e < x.sents[m.sent].last && (x.toks[m.e].text == "(" || x.roleStarts(m.sent, m.e)) {
		return name[:len(name)-1]
	}
	return name
}

// personByPart finds an article person one of whose name words is the single word
// name ("Kerry", "Moon" of "Ban Ki-moon").
func (x *state) personByPart(name string) *entity {
	parts := nameParts(name)
	if len(parts) != 1 {
		return nil
	}
	return x.parts[parts[0]] // nil when unknown or ambiguous
}

func (x *state) resolveName(i int) {
	m := &x.ments[i]
	// a single capitalised word that is part of an article person's name
	if m.e-m.s == 1 || (m.e-m.s <= 3 && x.toks[m.s+1].text == "-") {
		w := strings.ReplaceAll(x.text(m.s, m.e), "-", "")
		e := x.personByPart(w)
		if e == nil && strings.HasSuffix(w, "s") && len(w) > 3 {
			e = x.personByPart(w[:len(w)-1]) // "Assads": a possessive that lost its apostrophe
		}
		if e != nil && m.typ != graph.State && m.typ != graph.City {
			m.ent, m.typ = e, graph.Person
			return
		}
	}
	if m.typ == graph.City && m.e-m.s == 1 && m.s > x.sents[m.sent].first && x.toks[m.s-1].lower == "the" {
		if e := x.placeByPart(x.toks[m.s].text); e != nil {
			// "the Golan" and "the Golan plateau" after "the Golan Heights"
			m.ent = e
			return
		}
	}
	if (m.typ == graph.Organisation || m.typ == graph.Other) && m.gaz == nil {
		if e := x.orgByHead(x.text(m.s, m.e)); e != nil {
			// "the Observatory" after "the Syrian Observatory for Human Rights"
			m.ent, m.typ = e, graph.Organisation
			return
		}
	}
	switch m.typ {
	case graph.Person:
		m.ent = x.entityFor(graph.Person, x.personName(m), i)
		if m.gaz != nil {
			m.ent.gaz = m.gaz
		}
	case graph.State, graph.City, graph.Organisation, graph.Facility, graph.Other:
		name := m.name
		if m.gaz != nil && m.typ != graph.Other {
			name = m.gaz.Name
		}
		if m.typ == graph.Organisation && m.gaz == nil {
			name = x.lostPossessive(m, name)
		}
		m.ent = x.entityFor(m.typ, name, i)
		if m.sure {
			m.ent.sure = true
		}
		if m.gaz != nil {
			m.ent.gaz = m.gaz
			if m.gaz.Kind == gazetteer.City && m.gaz.Country != "" {
				if c := x.gaz.Country(m.gaz.Country); c != nil {
					m.ent.country = c.Name
				}
			}
		}
	}
}

// orgByHead returns the one article organisation whose name the short name ends or
// heads: "Observatory" of "Syrian Observatory for Human Rights", "Coalition" of
// "Syrian National Coalition"; nil when none or several.
func (x *state) orgByHead(short string) *entity {
	sw := strings.Fields(short)
	if len(sw) == 0 || len(sw) > 2 {
		return nil
	}
	var found *entity
	for _, e := range x.ents {
		if e.ref.Type != graph.Organisation {
			continue
		}
		ew := strings.Fields(e.ref.Name)
		if len(ew) <= len(sw) {
			continue
		}
		for end := len(sw); end <= len(ew); end++ {
			if end < len(ew) && !headBreaks[strings.ToLower(ew[end])] {
				continue
			}
			if slices.Equal(ew[end-len(sw):end], sw) {
				if found != nil && found != e {
					return nil
				}
				found = e
				break
			}
		}
	}
	return found
}

// placeByPart returns the article place named word and a landform noun ("Golan
// Heights", "Bekaa Valley") that "the Golan" shortens, or nil.
func (x *state) placeByPart(word string) *entity {
	for _, e := range x.ents {
		if e.ref.Type != graph.City {
			continue
		}
		if first, rest, ok := strings.Cut(e.ref.Name, " "); ok && first == word && landforms[strings.ToLower(rest)] {
			return e
		}
	}
	return nil
}

// headBreaks end the head of an organisation's name: "Commission of Inquiry".
var headBreaks = setOf("of for on in")

// locOf returns the mention locating a facility or district mention: "in East Aleppo",
// "in Syria" right after it, or -1.
func (x *state) locOf(i int) int {
	li, _ := x.locPrep(i)
	return li
}

// locPrep is locOf with the preposition as the name of the facility gives it:
// "in" ("in Aleppo", "in the centre of Aleppo"), "near", "outside", "east of".
func (x *state) locPrep(i int) (int, string) {
	m := &x.ments[i]
	sn := x.sents[m.sent]
	k := m.e
	if k < sn.last && (x.toks[k].text == "\"" || x.toks[k].text == "”") && m.kind == mFacility {
		k++ // a "weapons warehouse" in the camp
	}
	if k >= sn.last {
		return -1, ""
	}
	prep := x.toks[k].lower
	switch {
	case prep == "in" || prep == "near" || prep == "outside":
	case directions[prep] != "" && k+1 < sn.last && x.toks[k+1].lower == "of":
		prep += " of"
		k++
	default:
		return -1, ""
	}
	k++
	for k < sn.last && (x.toks[k].lower == "both" || x.toks[k].lower == "the") {
		k++
	}
	// "in the centre of Khan Sheikhoun", "in the heart of the city"
	if prep == "in" && k+1 < sn.last && partNouns[x.toks[k].lower] && x.toks[k+1].lower == "of" {
		k += 2
		for k < sn.last && x.toks[k].lower == "the" {
			k++
		}
	}
	for j := i + 1; j < len(x.ments) && x.ments[j].sent == m.sent; j++ {
		n := &x.ments[j]
		if n.inner {
			continue
		}
		if n.as <= k && n.s >= k || n.s == k {
			if n.typ == graph.State {
				if c := x.possessedCity(j); c >= 0 {
					return c, prep // "east of Iraq's second city, Basra": Basra
				}
			}
			if n.typ == graph.City || n.typ == graph.State {
				return j, prep
			}
			if n.kind == mFacility && m.kind == mFacility && prep == "in" && x.toks[n.as].lower == "the" && n.mods == 0 {
				return j, prep // "a weapons warehouse in the camp": the camp told before
			}
			return -1, ""
		}
		if n.s > k {
			break
		}
	}
	return -1, ""
}

// placeNounLoc returns the place "in the village" (town, city...) or "there" after
// facility mention i stands for: the city named last, in its sentence or the two
// before; or nil.
func (x *state) placeNounLoc(i int) *entity {
	m := &x.ments[i]
	sn := x.sents[m.sent]
	k := m.e
	if k < sn.last && x.toks[k].lower == "there" && (k+1 == sn.last || !auxiliaries[x.toks[k+1].lower]) {
		return x.recentCity(m.sent) // "Militants seized an artillery school there"
	}
	if k+2 >= sn.last || x.toks[k].lower != "in" || x.toks[k+1].lower != "the" || !districtOf[x.toks[k+2].lower] {
		return nil
	}
	if k+3 < sn.last && (x.toks[k+3].lower == "of" || x.toks[k+3].cap) {
		return nil // "in the village of Rityan", "in the town Hayan": the name follows
	}
	return x.recentCity(m.sent)
}

// within reports whether entity a lies in entity b (a district of a city of b…).
func within(a, b *entity) bool {
	for n := 0; a != nil && n < 5; n++ {
		if a == b {
			return true
		}
		if a.parent == nil && a.country != "" && b.ref.Type == graph.State && a.country == b.ref.Name {
			return true
		}
		if a.parent == nil && a.gaz != nil && a.gaz.Country != "" && b.ref.Type == graph.State && a.gaz.Country == b.ref.Name {
			return true
		}
		a = a.parent
	}
	return false
}

// resolveFacility links "two hospitals (in East Aleppo)" to a facility entity: the
// latest facility of a compatible class and place, or a new one named by its head and
// place ("hospitals in East Aleppo", "Citadel of Aleppo").
func (x *state) resolveFacility(i int) {
	m := &x.ments[i]
	li, prep := x.locPrep(i)
	var loc *entity
	if li >= 0 {
		x.resolveAhead(li)
		loc = x.ments[li].ent
	}
	// coreference: same class (or the generic "facilities"), a compatible place
	if m.loc < 0 {
		for j := len(x.ents) - 1; j >= 0; j-- {
			e := x.ents[j]
			if e.ref.Type != graph.Facility || e.facKey == "" {
				continue
			}
			if e.facKey != m.facKey && m.facKey != "facility" && !(m.facKey == "medical" && e.facKey == "medical") {
				continue
			}
			if e.plural != m.plural {
				continue
			}
			if loc != nil && e.parent != nil && !within(e.parent, loc) {
				continue
			}
			if x.lastSentOf(e, i) < m.sent-15 {
				continue // out of reach: the chain's latest mention, not its first, counts
			}
			if m.named && !e.named {
				// "a Syrian training camp near the Golan Heights", then "the Al Fawwar
				// camp": the name the article gives it wins over the description
				x.renameEntity(e, x.text(m.s, m.e))
				e.named = true
			}
			m.ent = e
			return
		}
	}
	if loc == nil && m.loc < 0 {
		if e := x.placeNounLoc(i); e != nil {
			loc, prep = e, "in" // "a school in the village": the village named last
		}
	}
	var name string
	switch {
	case m.named:
		name = x.text(m.s, m.e) // "al-Wafideen refugee camp"
	case m.loc >= 0 && x.ments[m.loc].ent != nil:
		loc = x.ments[m.loc].ent
		name = titleFirst(strings.ToLower(m.head)) + " of " + loc.ref.Name
	case loc != nil:
		if prep != "near" && prep != "outside" && !strings.HasSuffix(prep, " of") {
			prep = "in"
		}
		name = x.facilityWords(m) + " " + prep + " " + shortPlaceName(loc.ref.Name)
	default:
		name = x.facilityWords(m)
	}
	e := x.entityFor(graph.Facility, name, i)
	if e.facKey == "" {
		e.facKey, e.plural, e.named = m.facKey, m.plural, m.named
		if prep == "in" || m.loc >= 0 {
			e.parent = loc // "near Y", "east of Y" name the place but do not contain it
		}
	}
	if loc != nil || m.mods > 0 {
		e.keep = true // a located or described facility: "a rebel chemical weapons depot"
	}
	if li >= 0 && x.ments[li].sent == m.sent {
		// the phrase as written with its place: "a Syrian training camp near the
		// Golan Heights"
		e.addAlias(x.text(m.as, x.ments[li].e))
		e.addAlias(x.text(m.s, x.ments[li].e))
	}
	m.ent = e
}

// possessedCity returns the city a state's possessive introduces by name ("Iraq's
// second city, Basra", "Syria's capital Damascus"), or -1.
func (x *state) possessedCity(j int) int {
	n := &x.ments[j]
	sn := x.sents[n.sent]
	k := n.e
	if k >= sn.last || x.toks[k].text != "'s" {
		return -1
	}
	k++
	for end := k + 3; k < sn.last && k < end && !cityWords[x.toks[k].lower]; k++ {
	}
	if k >= sn.last || !cityWords[x.toks[k].lower] {
		return -1
	}
	k++
	if k < sn.last && x.toks[k].text == "," {
		k++
	}
	for c := j + 1; c < len(x.ments) && x.ments[c].sent == n.sent; c++ {
		if m := &x.ments[c]; m.s == k && m.typ == graph.City {
			return c
		}
	}
	return -1
}

// lastSentOf returns the sentence of entity e's latest mention before mention i.
func (x *state) lastSentOf(e *entity, i int) int {
	for j := i - 1; j >= e.first; j-- {
		if x.ments[j].ent == e {
			return x.ments[j].sent
		}
	}
	return x.ments[e.first].sent
}

// renameEntity gives entity e a new canonical name, keeping the old one as an alias,
// unless another entity of its type has that name.
func (x *state) renameEntity(e *entity, name string) {
	k := slugKey(e.ref.Type, name)
	if x.byKey[k] != nil {
		return
	}
	delete(x.byKey, slugKey(e.ref.Type, e.ref.Name))
	old := e.ref.Name
	e.ref.Name = name
	e.addAlias(old)
	x.byKey[k] = e
}

// shortPlaceName is a place's name without a closing province noun: a facility "in
// Quneitra province" is named "... in Quneitra", as news shortens it.
func shortPlaceName(name string) string {
	if i := strings.LastIndexByte(name, ' '); i > 0 && provinceNouns[strings.ToLower(name[i+1:])] {
		return name[:i]
	}
	return name
}

// facilityWords returns a facility mention's words without determiners and numbers,
// lower case: "two hospitals" → "hospitals", "a rebel chemical weapons depot" →
// "rebel chemical weapons depot".
func (x *state) facilityWords(m *mention) string {
	k := m.s
	for k < m.e-1 && (numberWords[x.toks[k].lower] || determiners[x.toks[k].lower] || isNumber(x.toks[k].lower)) {
		k++
	}
	var b strings.Builder
	for j := k; j < m.e; j++ {
		t := &x.toks[j]
		if j > k && t.space {
			b.WriteByte(' ')
		}
		if t.cap && j < m.e-1 {
			b.WriteString(t.text) // "Syrian training camp"
		} else {
			b.WriteString(t.lower)
		}
	}
	return b.String()
}

func isNumber(s string) bool {
	digit := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digit = true
		case s[i] != ',' && s[i] != '.':
			return false
		}
	}
	return digit
}

func titleFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// resolveAhead resolves mention j early (a place named after the facility it locates).
func (x *state) resolveAhead(j int) {
	n := &x.ments[j]
	if n.ent != nil {
		return
	}
	switch n.kind {
	case mName:
		x.resolveName(j)
	case mDemonym:
		if n.gaz != nil {
			n.ent = x.entityFor(graph.State, n.gaz.Name, j)
		}
	case mDistrict:
		if n.loc >= 0 {
			x.resolveAhead(n.loc)
		}
		n.ent = x.entityFor(graph.City, n.name, j)
		if n.loc >= 0 {
			n.ent.parent = x.ments[n.loc].ent
		}
	case mFacility:
		x.resolveFacility(j) // "in the camp": the camp told before
	}
}

// resolvePronoun links "he", "his" to a person and "it", "its" to a state or
// organisation: the subject of this sentence before the pronoun, else of the nearest
// earlier sentence that has one.
func (x *state) resolvePronoun(i int) {
	m := &x.ments[i]
	want := func(n *mention) bool {
		if n.ent == nil || n.kind == mPronoun && n.ent == nil {
			return false
		}
		if m.person {
			return n.ent.ref.Type == graph.Person
		}
		return (n.ent.ref.Type == graph.State || n.ent.ref.Type == graph.Organisation) && !n.inner
	}
	// this sentence, before the pronoun: the first candidate for persons (the subject),
	// the nearest for "it"
	// An object pronoun does not stand for someone of its own clause: in "the US
	// secretary of state met him", him is not the secretary.
	objectCase := m.person && (x.toks[m.s].lower == "him" || x.toks[m.s].lower == "her" || x.toks[m.s].lower == "them")
	sameClause := func(n *mention) bool {
		for k := n.e; k < m.s; k++ {
			if clauseBreak[x.toks[k].lower] || x.toks[k].text == "," || x.toks[k].text == ";" {
				return false
			}
		}
		return true
	}
	var best *entity
	for j := i - 1; j >= 0 && x.ments[j].sent == m.sent; j-- {
		if objectCase && sameClause(&x.ments[j]) {
			continue
		}
		if want(&x.ments[j]) {
			best = x.ments[j].ent
			if !m.person {
				break
			}
		}
	}
	if best == nil && !m.person {
		// "it" across sentences: only the subject opening the previous sentence
		for j := i - 1; j >= 0 && x.ments[j].sent >= m.sent-1; j-- {
			n := &x.ments[j]
			if n.sent == m.sent-1 && n.as <= x.sents[n.sent].first+1 && want(n) {
				best = n.ent
			}
		}
	}
	if best == nil && m.person {
		for s := m.sent - 1; s >= 0 && s >= m.sent-3 && best == nil; s-- {
			for j := x.sentMent[s]; j < x.sentMent[s+1] && j < i; j++ {
				n := &x.ments[j]
				if want(n) && !x.inQuote(n) {
					best = n.ent
					break
				}
			}
		}
	}
	m.ent = best
}

// inQuote reports whether a mention stands between quotation marks in its sentence.
func (x *state) inQuote(m *mention) bool {
	sn := x.sents[m.sent]
	q := 0
	for k := sn.first; k < m.s; k++ {
		switch x.toks[k].text {
		case "\"", "“", "”":
			q++
		}
	}
	return q%2 == 1
}

// noteRole records a role a named person holds: "US Secretary of State John Kerry"
// holds "Secretary of State" of the United States.
func (x *state) noteRole(i int) {
	m := &x.ments[i]
	if m.ent == nil || m.role == "" || m.kind != mName {
		return
	}
	var scope *entity
	if m.scope >= 0 {
		x.resolveAhead(m.scope)
		scope = x.ments[m.scope].ent
	}
	if scope == nil && m.ent.gaz != nil {
		if c := m.ent.gaz.CountryAt(x.published); c != "" {
			if ce := x.gaz.Country(c); ce != nil {
				scope = x.entityFor(graph.State, ce.Name, i)
				scope.gaz = ce
			} else if ms := x.gaz.Lookup(gazetteer.Key(gazetteer.Split(c))); len(ms) > 0 && ms[0].Kind == gazetteer.Organisation {
				scope = x.entityFor(graph.Organisation, ms[0].Name, i)
			}
		}
	}
	for _, r := range m.ent.roles {
		if r.scope == scope && r.class == m.rclass {
			return
		}
	}
	m.ent.roles = append(m.ent.roles, roleFact{scope: scope, title: m.role, class: m.rclass, sent: m.sent})
}

// countryOf returns the country entity name a person belongs to: the scope of a role
// they hold, or the gazetteer's country at publication.
func (x *state) countryOf(e *entity) string {
	for _, r := range e.roles {
		if r.scope != nil && r.scope.ref.Type == graph.State {
			return r.scope.ref.Name
		}
	}
	if e.gaz != nil {
		return e.gaz.CountryAt(x.published)
	}
	return ""
}

func (x *state) classOf(e *entity) string {
	for _, r := range e.roles {
		if r.class != "" {
			return r.class
		}
	}
	if e.gaz != nil {
		for _, r := range e.gaz.Roles {
			if r.Holds(x.published) && r.Title != "" {
				if c, ok := x.gaz.RoleClass(gazetteer.Key(gazetteer.Split(r.Title))); ok {
					return c
				}
			}
		}
	}
	return ""
}

// resolveRole links "the US secretary of state" or "the foreign minister" to the
// article person holding that role or, when none does and the role names its country,
// to the gazetteer's holder of the role on the publication day.
func (x *state) resolveRole(i int) {
	m := &x.ments[i]
	var scope *entity
	if m.scope >= 0 {
		x.resolveAhead(m.scope)
		scope = x.ments[m.scope].ent
	}
	var best *entity
	for _, e := range x.ents {
		if e.ref.Type != graph.Person {
			continue
		}
		if x.classOf(e) != m.rclass {
			continue
		}
		if scope != nil {
			ok := false
			for _, r := range e.roles {
				if r.scope == scope {
					ok = true
				}
			}
			if !ok && x.countryOf(e) != scope.ref.Name {
				continue
			}
		}
		if best != nil && best != e {
			if scope == nil {
				return // ambiguous without a country
			}
			continue
		}
		best = e
	}
	country := ""
	if scope != nil && scope.ref.Type == graph.State {
		country = scope.ref.Name
	} else if scope == nil {
		country = x.demonymBefore(m.as, m.e)
	}
	if best == nil && country != "" {
		// Nobody in the article holds it: the gazetteer's holder on the publication day
		// ("the Russian foreign minister" of 2016 is Sergey Lavrov).
		if h := x.gaz.HolderOf(country, m.rclass, x.published); h != nil {
			best = x.entityFor(graph.Person, h.Name, i)
			best.gaz = h
		}
	}
	m.ent = best
}

// demonymBefore returns the country of a demonym or country name among the tokens
// [from, to) ("the Russian foreign minister"), or "".
func (x *state) demonymBefore(from, to int) string {
	for k := from; k < to; k++ {
		for _, gm := range x.gaz.Lookup(gazetteer.Key([]string{x.toks[k].text})) {
			if gm.Kind == gazetteer.Country {
				return gm.Name
			}
		}
	}
	return ""
}

// resolveCounterpart links "his Russian counterpart" to the article person of that
// country holding a role of the same class as the possessor's.
func (x *state) resolveCounterpart(i int) {
	m := &x.ments[i]
	var owner *entity
	for j := i - 1; j >= 0 && x.ments[j].sent == m.sent; j-- {
		if n := &x.ments[j]; n.ent != nil && n.ent.ref.Type == graph.Person {
			owner = n.ent
		}
	}
	if owner == nil {
		p := mention{s: m.s, e: m.s + 1, sent: m.sent, kind: mPronoun, person: true}
		x.ments = append(x.ments, p)
		x.resolvePronoun(len(x.ments) - 1)
		owner = x.ments[len(x.ments)-1].ent
		x.ments = x.ments[:len(x.ments)-1]
		m = &x.ments[i]
	}
	country := ""
	if m.scope >= 0 && x.ments[m.scope].gaz != nil {
		country = x.ments[m.scope].gaz.Name
	}
	class := ""
	if owner != nil {
		class = x.classOf(owner)
	}
	var best *entity
	score := 0
	for _, e := range x.ents {
		if e.ref.Type != graph.Person || e == owner {
			continue
		}
		s := 0
		if country != "" {
			if x.countryOf(e) != country {
				continue
			}
			s++
		}
		if class != "" && x.classOf(e) == class {
			s += 2
		}
		if s > score {
			best, score = e, s
		}
	}
	m.ent = best
}

// addAliases adds the surface forms of a mention to its entity.
func (x *state) addAliases(i int) {
	m := &x.ments[i]
	e := m.ent
	switch m.kind {
	case mPronoun:
		if w := x.toks[m.s].lower; w == "he" || w == "she" {
			e.addAlias(x.toks[m.s].text)
		}
		return
	case mName:
		if m.role != "" && m.as < m.s {
			end := m.s
			if x.toks[m.s-1].text == "(" { // "the foreign minister (Lavrov)"
				end = m.s - 1
			} else {
				e.addAlias(x.text(m.as, m.e))
			}
			if m.scope >= 0 || x.toks[m.as].lower == "the" {
				e.addAlias(x.text(m.as, end))
			}
			if x.toks[m.as].lower == "the" && m.scope >= 0 {
				e.addAlias(x.text(m.as+1, end))
			}
		}
	}
	core := x.text(m.s, m.e)
	e.addAlias(core)
	if m.as < m.s && !(m.kind == mName && m.role != "") {
		e.addAlias(x.text(m.as, m.e))
		if x.toks[m.as].lower == "the" && m.as+1 < m.s {
			e.addAlias(x.text(m.as+1, m.e))
		}
	}
	sn := x.sents[m.sent]
	if m.force != "" && x.toks[m.e-1].lower == "to" {
		x.loyalAlias(i) // "forces loyal to the president"
	}
	if m.e < sn.last && x.toks[m.e].text == "'s" && m.kind == mName {
		e.addAlias(x.text(m.s, m.e+1))
	}
	if m.kind == mFacility {
		if li := x.locOf(i); li >= 0 {
			e.addAlias(x.text(m.as, x.ments[li].e))
		}
	}
}

// articleEntities returns the entities worth reporting, sorted by type and name.
func (x *state) articleEntities(used map[*entity]bool) []graph.ArticleEntity {
	var out []graph.ArticleEntity
	for _, e := range x.ents {
		if e.mentions == 0 && !used[e] {
			continue
		}
		if e.ref.Type == graph.Facility && e.parent == nil && !used[e] && !e.keep {
			continue
		}
		if e.ref.Type == graph.Other && !used[e] {
			continue // an untyped name in no statement says nothing to the graph
		}
		al := append([]string(nil), e.aliases...)
		sort.Strings(al)
		out = append(out, graph.ArticleEntity{EntityRef: e.ref, Aliases: al})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		return out[i].Name < out[j].Name
	})
	return out
}
