package extract

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph/loader/gazetteer"
)

// Form says which grammatical form of a vocabulary entry a phrase is.
type Form uint8

// The forms a trigger phrase can take.
const (
	VerbBase       Form = iota + 1 // warn
	VerbS                          // warns
	VerbPast                       // warned
	VerbParticiple                 // warned (after has/was)
	VerbIng                        // warning
	Noun                           // ultimatum
	NounPlural                     // ultimatums
)

// Trigger is one phrase of the vocabulary: its words, relation and form.
type Trigger struct {
	Words    []string // lower case
	Relation string
	Form     Form
	Preps    []string // prepositions that introduce the object ("with" in "met with")
	Line     int      // line of the vocabulary file
}

// IsVerb reports whether the trigger is a verb form.
func (t *Trigger) IsVerb() bool { return t.Form <= VerbIng }

// Vocabulary is the parsed relation vocabulary: trigger phrases indexed by their first
// word. It is read-only after parsing and safe for concurrent use.
type Vocabulary struct {
	byFirst   map[string][]*Trigger // longest phrase first
	relations []string
}

// Relations returns the relation names of the vocabulary, sorted.
func (v *Vocabulary) Relations() []string { return append([]string(nil), v.relations...) }

// Len returns the number of trigger phrases.
func (v *Vocabulary) Len() int {
	n := 0
	for _, ts := range v.byFirst {
		n += len(ts)
	}
	return n
}

// candidates returns the triggers starting with word w (lower case).
func (v *Vocabulary) candidates(w string) []*Trigger { return v.byFirst[w] }

// ParseVocabulary reads a vocabulary file. name is used in error messages, which have
// the form "name:line: problem". The format (see vocabulary.tsv) is one entry a line,
// tab-separated, '#' starts a comment:
//
//	relation  verb  base  s-form  past  participle  ing-form  [prepositions]
//	relation  noun  singular  plural  [prepositions]
//
// Phrases may have several words separated by single spaces ("take over"); a form
// written "-" is absent; prepositions are comma-separated ("with,to").
func ParseVocabulary(name string, data []byte) (*Vocabulary, error) {
	v := &Vocabulary{byFirst: map[string][]*Trigger{}}
	rels := map[string]bool{}
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	ln := 0
	for sc.Scan() {
		ln++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(strings.TrimRight(line, " \t\r"), "\t")
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("%s:%d: %s", name, ln, fmt.Sprintf(format, a...))
		}
		if len(cols) < 2 {
			return nil, bad("want at least 4 tab-separated columns (relation, kind, forms), got %d", len(cols))
		}
		rel, kind := cols[0], cols[1]
		if !validName(rel) {
			return nil, bad("relation %q: want lower-case letters and underscores", rel)
		}
		var forms []Form
		switch kind {
		case "verb":
			forms = []Form{VerbBase, VerbS, VerbPast, VerbParticiple, VerbIng}
		case "noun":
			forms = []Form{Noun, NounPlural}
		default:
			return nil, bad("kind %q: want verb or noun", kind)
		}
		if len(cols) < 2+len(forms) || len(cols) > 3+len(forms) {
			return nil, bad("%s entry: want %d or %d columns, got %d", kind, 2+len(forms), 3+len(forms), len(cols))
		}
		var preps []string
		if len(cols) == 3+len(forms) && cols[len(cols)-1] != "" && cols[len(cols)-1] != "-" {
			for _, p := range strings.Split(cols[len(cols)-1], ",") {
				p = strings.TrimSpace(p)
				if !validPhrase(p) || strings.Contains(p, " ") {
					return nil, bad("preposition %q: want one lower-case word", p)
				}
				preps = append(preps, p)
			}
		}
		if cols[2] == "-" || cols[2] == "" {
			return nil, bad("the base form is missing")
		}
		rels[rel] = true
		for i, f := range forms {
			p := cols[2+i]
			if p == "-" || p == "" {
				continue
			}
			if !validPhrase(p) {
				return nil, bad("phrase %q: want lower-case words separated by single spaces", p)
			}
			key := rel + "\x00" + p + "\x00" + fmt.Sprint(f)
			if prev, dup := seen[key]; dup {
				if prev != ln {
					return nil, bad("phrase %q of %s repeats line %d", p, rel, prev)
				}
				continue // the same form twice on one line ("warned warned")
			}
			seen[key] = ln
			t := &Trigger{Words: gazetteer.Split(p), Relation: rel, Form: f, Preps: preps, Line: ln}
			v.byFirst[t.Words[0]] = append(v.byFirst[t.Words[0]], t)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, ln+1, err)
	}
	if len(rels) == 0 {
		return nil, fmt.Errorf("%s: no entries", name)
	}
	for _, ts := range v.byFirst {
		sort.SliceStable(ts, func(i, j int) bool { return len(ts[i].Words) > len(ts[j].Words) })
	}
	for r := range rels {
		v.relations = append(v.relations, r)
	}
	sort.Strings(v.relations)
	return v, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}

// validPhrase accepts lower-case words (letters, digits, hyphen, apostrophe) separated
// by single spaces.
func validPhrase(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		switch {
		case r == ' ', r == '-', r == '\'', r >= '0' && r <= '9', r >= 'a' && r <= 'z':
		case r > 127 && strings.ToLower(string(r)) == string(r):
		default:
			return false
		}
	}
	return true
}
