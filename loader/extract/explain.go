package extract

import (
	"fmt"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
)

// Explanation is what Explain found in a document, sentence by sentence: the
// article Extract returns and, for every sentence, its mentions, its relations and
// the trigger phrases that gave no relation, with the reason.
type Explanation struct {
	Article   *graph.Article
	Sentences []SentenceInfo
}

// SentenceInfo is one sentence of an Explanation.
type SentenceInfo struct {
	Start, End int               // byte offsets in the document text
	Text       string            // the sentence
	Mentions   []MentionInfo     // outermost mentions, in text order
	Relations  []graph.Statement // statements whose evidence is this sentence
	Missed     []MissedTrigger   // trigger phrases that gave no relation
}

// MentionInfo is one mention of an entity in a sentence.
type MentionInfo struct {
	Start, End int              // byte offsets of the name (without determiners)
	Text       string           // the text of the span
	Kind       string           // name, demonym, pronoun, role, counterpart, facility, district
	Type       graph.EntityType // type of the entity it resolved to (or its proposed type)
	Entity     *graph.EntityRef // the entity it resolved to; nil if none
}

// MissedTrigger is a trigger phrase of the vocabulary in a sentence for which no
// relation was extracted, and why.
type MissedTrigger struct {
	Start, End int    // byte offsets of the phrase
	Text       string // the phrase
	Relation   string // the relation it expresses
	Reason     string // why no relation came of it
}

// kindNames names the mention kinds for MentionInfo.Kind.
var kindNames = map[mkind]string{
	mName: "name", mDemonym: "demonym", mPronoun: "pronoun", mRole: "role",
	mCounterpart: "counterpart", mFacility: "facility", mDistrict: "district",
}

// Explain extracts d as Extract does (the Article is the same) and reports, for
// every sentence, the mentions found, the relations and, for trigger phrases that
// gave no relation, why not. It is a diagnostic: slower than Extract, and its
// reasons approximate the rules' decisions.
func (x *Extractor) Explain(d doc.Document) (*Explanation, error) {
	if d.ID == "" {
		return nil, fmt.Errorf("extract: %s: document has no id", d.Origin)
	}
	a := &graph.Article{
		ID: d.ID, Title: d.Title, URL: d.URL, Source: d.Source, Published: d.Published, Hash: Hash(d),
	}
	st := &state{}
	st.reset(x, d)
	var spans []Span
	if x.tagger != nil {
		spans = x.tagger.Tag(d.Text)
	}
	st.run(spans)
	a.Entities = st.articleEntities(st.used)
	a.Statements = make([]graph.Statement, len(st.stmts))
	for i := range st.stmts {
		a.Statements[i] = st.stmts[i].Statement
	}
	ex := &Explanation{Article: a, Sentences: make([]SentenceInfo, len(st.sents))}
	for si, sn := range st.sents {
		ex.Sentences[si] = SentenceInfo{Start: sn.start, End: sn.end, Text: st.src[sn.start:sn.end]}
	}
	for i := range st.ments {
		m := &st.ments[i]
		if m.inner || m.sent < 0 || m.sent >= len(st.sents) || m.s >= m.e {
			continue
		}
		mi := MentionInfo{
			Start: st.toks[m.s].start, End: st.toks[m.e-1].end,
			Kind: kindNames[m.kind], Type: m.typ,
		}
		mi.Text = st.src[mi.Start:mi.End]
		if m.ent != nil {
			r := m.ent.ref
			mi.Entity, mi.Type = &r, r.Type
		}
		ex.Sentences[m.sent].Mentions = append(ex.Sentences[m.sent].Mentions, mi)
	}
	for i := range st.stmts {
		s := &st.stmts[i]
		if s.sent >= 0 && s.sent < len(ex.Sentences) {
			ex.Sentences[s.sent].Relations = append(ex.Sentences[s.sent].Relations, s.Statement)
		}
	}
	for si := range st.sents {
		ex.Sentences[si].Missed = st.missed(si)
	}
	return ex, nil
}

// missed returns the trigger phrases of sentence si (found as relations finds them)
// whose relation has no statement from this sentence, with the reason.
func (x *state) missed(si int) []MissedTrigger {
	got := map[string]bool{}
	for i := range x.stmts {
		if x.stmts[i].sent == si {
			got[x.stmts[i].Predicate] = true
			if x.stmts[i].Predicate == "bombed" {
				got["attacked"] = true // an attack from the air is told as a bombing
			}
		}
	}
	sn := x.sents[si]
	var out []MissedTrigger
	for k := sn.first; k < sn.last; k++ {
		if x.tokMent[k] >= 0 && x.ments[x.tokMent[k]].kind != mFacility {
			continue
		}
		t, n := x.triggerAt(k)
		if t == nil || k+n > sn.last {
			continue
		}
		if !got[t.Relation] {
			out = append(out, MissedTrigger{
				Start: x.toks[k].start, End: x.toks[k+n-1].end,
				Text: x.src[x.toks[k].start:x.toks[k+n-1].end], Relation: t.Relation,
				Reason: x.whyNotReason(si, k, n, t),
			})
		}
		k += n - 1
	}
	return out
}

// whyNotReason says why trigger t at token k gave no relation, in terms of the tree
// when there is a parser.
func (x *state) whyNotReason(si, k, n int, t *Trigger) string {
	if x.parser != nil {
		return x.treeWhyNot(si, k, n, t)
	}
	return x.whyNot(si, k, n, t)
}

// whyNot finds the arguments of trigger t at token k as verbRelation and
// nounRelation do and says which one is missing or why the pairs were rejected.
func (x *state) whyNot(si, k, n int, t *Trigger) string {
	sn := x.sents[si]
	toks := x.toks
	end := k + n
	var subj, obj []arg
	form := "noun"
	if t.IsVerb() {
		form = "verb"
		if t.Form == VerbIng && k > sn.first && (determiners[toks[k-1].lower] || toks[k-1].text == "'s") {
			return "an -ing form after a determiner or possessive is read as a noun, and the vocabulary has no such noun"
		}
		if x.passive(si, k, t) {
			obj = x.subjectsLeftAny(si, k)
			subj = x.byAgent(si, end)
			switch {
			case len(obj) == 0 && len(subj) == 0:
				return "passive verb: no patient on the left and no \"by\" agent"
			case len(subj) == 0:
				return "passive verb without a \"by\" agent naming an actor"
			case len(obj) == 0:
				return "passive verb: no patient found on the left in the clause"
			}
		} else {
			subj = x.subjectsLeft(si, k)
			j := end
			if j < sn.last && hasPrep(t.Preps, toks[j].lower) {
				j++
			}
			if j < sn.last && toks[j].lower == "that" && t.Relation == "warned" {
				obj = x.firstActorAfter(si, j+1, subj)
			} else {
				obj = x.objectsRight(si, j, t.Relation, 0)
			}
		}
	} else {
		objEnd := end
		if end < sn.last && hasPrep(t.Preps, toks[end].lower) {
			obj = x.objectsRight(si, end+1, t.Relation, 1)
			for _, o := range obj {
				if o.end > objEnd {
					objEnd = o.end
				}
			}
		} else if len(t.Preps) > 0 {
			return fmt.Sprintf("event noun not followed by one of its prepositions %q", t.Preps)
		}
		if len(obj) == 0 {
			return "event noun: no object mention after its preposition"
		}
		subj = x.byAgent(si, objEnd)
		if len(subj) == 0 {
			// a possessor or an actor adjective before the noun, as nounRelation reads it
			j := k - 1
			for j >= sn.first && k-j <= 3 && x.topMention(j) < 0 && x.skippable(j) && toks[j].lower != "the" && toks[j].lower != "a" {
				j--
			}
			if j >= sn.first && toks[j].text == "'s" {
				j--
			}
			if j >= sn.first {
				if mi := x.topMention(j); mi >= 0 && actorType(&x.ments[mi]) && x.ments[mi].kind != mFacility {
					subj = []arg{x.argOf(mi)}
				}
			}
		}
		if len(subj) == 0 {
			j := k - 1
			for j >= sn.first && k-j <= 4 && (x.skippable(j) || toks[j].lower == "the" || toks[j].lower == "a") {
				j--
			}
			if j >= sn.first && lightVerbs[toks[j].lower] {
				subj = x.subjectsLeft(si, j)
			}
		}
		if len(subj) == 0 {
			return "event noun without an agent: no \"by X\", possessor, actor adjective or light verb (\"X launched strikes\") with a subject"
		}
	}
	switch {
	case len(subj) == 0 && len(obj) == 0:
		return fmt.Sprintf("%s: no subject (actor on the left in the clause) and no object (mention right after it)", form)
	case len(subj) == 0:
		return form + ": no subject: no actor mention on the left in the same clause (outside prepositional phrases)"
	case len(obj) == 0:
		return form + ": no object: no mention right after it (within a few skippable words)"
	}
	for _, s := range subj {
		for _, o := range obj {
			switch {
			case s.ent == nil || o.ent == nil:
				return "an argument did not resolve to an entity"
			case s.ent == o.ent:
				return "subject and object are the same entity"
			case s.ent.ref.Type == graph.Other:
				return fmt.Sprintf("subject %q is of type other", s.ent.ref.Name)
			case !objectFits(t.Relation, o.ent):
				return fmt.Sprintf("object %q (%s) cannot be the object of %s", o.ent.ref.Name, o.ent.ref.Type, t.Relation)
			}
		}
	}
	return "arguments found, but the relation was attached elsewhere (a duplicate or another sentence)"
}
