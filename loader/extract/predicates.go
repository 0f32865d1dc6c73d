package extract

import "sort"

// StructuralPredicates are the relations the rules give besides the vocabulary's
// event relations: a person's role in a body, where a place, body or person is, and
// membership.
var StructuralPredicates = []string{"based_in", "holds_role", "lives_in", "located_in", "member_of"}

// Predicates returns every predicate x can give, sorted: the relations of its
// vocabulary, the structural relations and those kept from the relation classifier.
// A server uses it to refuse a filter on a predicate no article can have.
func (x *Extractor) Predicates() []string {
	set := map[string]bool{}
	for _, r := range x.vocab.relations {
		set[r] = true
	}
	for _, r := range StructuralPredicates {
		set[r] = true
	}
	if x.rc != nil {
		for r := range x.rcKeep {
			set[r] = true
		}
	}
	out := make([]string, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
