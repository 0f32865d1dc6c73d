package extract

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/depparse"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/gazetteer"
	"github.com/newsgraph/newsgraph/loader/relclass"
)

//go:embed vocabulary.tsv
var embeddedVocabulary []byte

// Config configures an Extractor.
type Config struct {
	// VocabularyPath is a relation vocabulary file in the format of the embedded
	// vocabulary.tsv; "" means the embedded vocabulary.
	VocabularyPath string
	// Logger receives debug messages; nil means no logging.
	Logger *slog.Logger
	// Tagger proposes entity spans (a statistical recogniser); nil means the
	// embedded loader/ner tagger (see NERTagger). Its spans replace the rules for
	// names the gazetteer does not know; gazetteer names, roles, demonyms,
	// districts and facilities keep their rules.
	Tagger Tagger
	// NoTagger turns the statistical tagger off (whatever Tagger says): names the
	// gazetteer does not know are then typed by the rules alone.
	NoTagger bool
	// NoRelationClassifier turns off the relation classifier stage (loader/relclass,
	// see structural_classifier.go): structural relations then come from the rules
	// alone.
	NoRelationClassifier bool
	// ClassifierPredicates are the predicates kept from the relation classifier; nil
	// means DefaultClassifierPredicates, AllClassifierPredicates keeps all five.
	ClassifierPredicates []string
	// Parser gives the dependency trees event relations are read from (see tree.go);
	// nil means the embedded loader/depparse model.
	Parser Parser
	// NoParser turns the parser off: event relations then come from word-adjacency
	// rules (relations.go), faster and much less accurate on real news.
	NoParser bool
}

// DefaultClassifierPredicates are the relations the classifier stage stores by
// default: all five. Its located_in and based_in are kept only where the parse
// links the two mentions (see treeGated), a person working for a body is
// holds_role, and subject and object must have the types the predicate takes.
// Measured with the parser on (examples-dev relation F1 19.3, CoNLL04 dev strict
// relation F1 60.6 against 30.6 with located_in and based_in alone).
var DefaultClassifierPredicates = AllClassifierPredicates

// AllClassifierPredicates are every relation the classifier stage can give.
var AllClassifierPredicates = []string{"member_of", "lives_in", "located_in", "based_in", "killed"}

// Tagger finds entity spans in a text. Implementations must be safe for concurrent
// use and deterministic.
type Tagger interface {
	// Tag returns the entity spans of text, ordered by Start, not overlapping.
	Tag(text string) []Span
}

// Span is an entity span a Tagger found: byte offsets in the text and a type.
type Span struct {
	Start, End int
	Type       graph.EntityType
}

// DefaultConfig returns the configuration with the embedded vocabulary and the
// embedded entity tagger (loader/ner, see NERTagger).
func DefaultConfig() Config { return Config{} }

// Extractor extracts entities and relations from documents. It is safe for concurrent
// use and deterministic: the same Document always gives the same Article.
type Extractor struct {
	vocab  *Vocabulary
	gaz    *gazetteer.Gazetteer
	log    *slog.Logger
	tagger Tagger
	rc     *relclass.Extractor // nil: no relation classifier
	rcKeep map[string]bool     // the predicates kept from rc
	parser Parser              // nil: no parser, word-adjacency rules
	pool   sync.Pool           // of *state
}

// New returns an Extractor. It reads and validates the vocabulary; errors name the
// file and line.
func New(cfg Config) (*Extractor, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name, data := "vocabulary.tsv (embedded)", embeddedVocabulary
	if cfg.VocabularyPath != "" {
		b, err := os.ReadFile(cfg.VocabularyPath)
		if err != nil {
			return nil, fmt.Errorf("extract: vocabulary: %w", err)
		}
		name, data = cfg.VocabularyPath, b
	}
	v, err := ParseVocabulary(name, data)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	g, err := gazetteer.Default()
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if cfg.Tagger, err = cfg.tagger(); err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	var rc *relclass.Extractor
	keep := map[string]bool{}
	preds := cfg.ClassifierPredicates
	if preds == nil {
		preds = DefaultClassifierPredicates
	}
	for _, p := range preds {
		if !slices.Contains(AllClassifierPredicates, p) {
			return nil, fmt.Errorf("extract: classifier predicate %q: want one of %s", p, strings.Join(AllClassifierPredicates, ", "))
		}
		keep[p] = true
	}
	if !cfg.NoRelationClassifier && len(keep) > 0 {
		if rc, err = relclass.Default(); err != nil {
			return nil, fmt.Errorf("extract: %w", err)
		}
	}
	var parser Parser
	if !cfg.NoParser {
		if parser = cfg.Parser; parser == nil {
			if parser, err = depparse.Load(); err != nil {
				return nil, fmt.Errorf("extract: %w", err)
			}
		}
	}
	log.Debug("extractor ready", "vocabulary", name, "triggers", v.Len(), "gazetteer phrases", g.Len(), "relation classifier", rc != nil, "parser", parser != nil)
	return &Extractor{vocab: v, gaz: g, log: log, tagger: cfg.Tagger, rc: rc, rcKeep: keep, parser: parser}, nil
}

// Extract returns the article with its entities and statements. An empty text gives
// an article without entities; Extract never fails on text, the error is for
// documents without an id.
func (x *Extractor) Extract(d doc.Document) (*graph.Article, error) {
	if d.ID == "" {
		return nil, fmt.Errorf("extract: %s: document has no id", d.Origin)
	}
	a := &graph.Article{
		ID:        d.ID,
		Title:     d.Title,
		URL:       d.URL,
		Source:    d.Source,
		Published: d.Published,
		Hash:      Hash(d),
	}
	st, _ := x.pool.Get().(*state)
	if st == nil {
		st = &state{}
	}
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
	st.release()
	x.pool.Put(st)
	return a, nil
}

// stmt is a statement with the sentence it came from.
type stmt struct {
	graph.Statement
	sent int
}

// state is the work space of one Extract call.
type state struct {
	vocab     *Vocabulary
	gaz       *gazetteer.Gazetteer
	src       string
	published time.Time
	title     string

	toks      []token
	sents     []sentence
	ments     []mention
	tokMent   []int
	headline  []bool             // per sentence: written in title case
	sentMent  []int              // per sentence: index of its first mention (len(sents)+1 entries)
	nameWords map[string]bool    // lower-case words of person names seen while finding mentions
	tagged    map[int]taggedSpan // first token of a Tagger span → the span
	parts     map[string]*entity // person name word → the person (nil: ambiguous)
	buf       []byte
	words     []string // the words of a gazetteer key (keyList)
	byKey     map[string]*entity
	ents      []*entity
	roleSpans [][2]int
	stmts     []stmt
	stmtKey   map[string]int
	used      map[*entity]bool
	cls       classifierState
	parser    Parser           // nil: word-adjacency rules
	tr        tree             // the parse of the sentence at hand
	parses    []depparse.Token // the parses of the article's sentences, one after another
	parseAt   []int            // per sentence: where its parse starts in parses, -1 if none
	lastViol  violence
	// airAgents fired rockets, shells or air strikes the article names without a
	// target ("they were Israeli rockets"): their attacks are bombings (airAttacks)
	airAgents []*entity
}

func (x *state) reset(ex *Extractor, d doc.Document) {
	x.vocab, x.gaz, x.cls.rc, x.cls.keep = ex.vocab, ex.gaz, ex.rc, ex.rcKeep
	x.parser = ex.parser
	x.lastViol = violence{}
	x.airAgents = x.airAgents[:0]
	x.src, x.published, x.title = d.Text, d.Published, d.Title
	x.ments = x.ments[:0]
	x.ents = x.ents[:0]
	x.roleSpans = x.roleSpans[:0]
	x.stmts = x.stmts[:0]
	if x.byKey == nil {
		x.byKey, x.stmtKey, x.used = map[string]*entity{}, map[string]int{}, map[*entity]bool{}
		x.nameWords, x.parts = map[string]bool{}, map[string]*entity{}
		x.tagged = map[int]taggedSpan{}
	}
	clear(x.tagged)
	clear(x.nameWords)
	clear(x.parts)
	clear(x.byKey)
	clear(x.stmtKey)
	clear(x.used)
}

// release drops references to the document so that a pooled state keeps no text alive.
func (x *state) release() {
	x.src = ""
	clear(x.toks)
	clear(x.ments)
	clear(x.ents)
	x.ents = x.ents[:0]
	clear(x.byKey)
	clear(x.used)
	for i := range x.stmts {
		x.stmts[i] = stmt{}
	}
	x.stmts = x.stmts[:0]
}

func (x *state) run(spans []Span) {
	x.toks = tokenize(x.src, x.toks)
	x.tagSpans(spans)
	// a text that starts with its own headline (feeds often repeat it without a stop):
	// the headline is a sentence of its own and says nothing about names by its capitals
	ts, te := -1, -1
	if t := strings.TrimSpace(x.title); len(t) >= 10 {
		head := x.src
		if len(head) > 400 {
			head = head[:400]
		}
		if i := strings.Index(head, t); i >= 0 {
			ts, te = i, i+len(t)
		}
	}
	x.sents = splitSentences(x.toks, x.sents, ts, te)
	x.headline = x.headline[:0]
	for _, sn := range x.sents {
		x.headline = append(x.headline, sn.start == ts || titleCase(x.toks[sn.first:sn.last]))
	}
	x.sentMent = x.sentMent[:0]
	for si := range x.sents {
		x.sentMent = append(x.sentMent, len(x.ments))
		x.findMentions(si)
	}
	x.sentMent = append(x.sentMent, len(x.ments))
	x.parses = x.parses[:0]
	x.parseAt = resize(x.parseAt, len(x.sents))
	for i := range x.parseAt {
		x.parseAt[i] = -1
	}
	x.resolve()
	x.indexMentions()
	for si := range x.sents {
		// the tree's relations first, then those of the word-adjacency rules,
		// which still find some that a misparse hides (examples-dev: tree alone
		// 12.2 relation F1, rules alone 12.4, both 13.3; reference 75.0, 86.5, 84.2)
		if x.parser != nil {
			x.treeRelations(si)
		}
		x.relations(si)
	}
	x.structural()
	x.classifyStructural()
	x.airAttacks()
	x.bombingsOnly()
	x.directContainersOnly()
	x.containersHit()
	sort.SliceStable(x.stmts, func(i, j int) bool { return x.stmts[i].Start < x.stmts[j].Start })
}

// Hash returns the content hash of a document: SHA-256 over its id, title, URL,
// source, publication date and text, each length-prefixed, in hex.
func Hash(d doc.Document) string {
	h := sha256.New()
	pub := ""
	if !d.Published.IsZero() {
		pub = d.Published.UTC().Format(time.RFC3339)
	}
	for _, s := range []string{d.ID, d.Title, d.URL, d.Source, pub, d.Text} {
		fmt.Fprintf(h, "%d:", len(s))
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

type taggedSpan struct {
	end int // token after the span
	typ graph.EntityType
}

// tagSpans maps a Tagger's byte spans onto tokens; spans that do not fall on token
// boundaries are ignored.
func (x *state) tagSpans(spans []Span) {
	k := 0
	for _, sp := range spans {
		if !sp.Type.Valid() || sp.Start < 0 || sp.End > len(x.src) || sp.Start >= sp.End {
			continue
		}
		for k < len(x.toks) && x.toks[k].start < sp.Start {
			k++
		}
		if k >= len(x.toks) || x.toks[k].start != sp.Start {
			continue
		}
		e := k
		for e < len(x.toks) && x.toks[e].end <= sp.End {
			e++
		}
		if e > k && x.toks[e-1].end == sp.End {
			x.tagged[k] = taggedSpan{end: e, typ: sp.Type}
		}
	}
}

// bombingsOnly drops an "attacked" statement where the same sentence says the same
// subject bombed the same object: the tree read "Russian warplanes attacked X" as a
// bombing, the word-adjacency rules as an attack.
func (x *state) bombingsOnly() {
	bombed := x.bombedPairs()
	if len(bombed) == 0 {
		return
	}
	x.dropStmts(func(st stmt) bool {
		return st.Predicate == "attacked" && bombed[sentPair{st.Subject, st.Object, st.sent}]
	})
}

// sentPair is a subject and object a sentence links.
type sentPair struct {
	s, o graph.EntityRef
	sent int
}

// bombedPairs returns the subject, object and sentence of every "bombed" statement.
func (x *state) bombedPairs() map[sentPair]bool {
	bombed := map[sentPair]bool{}
	for _, st := range x.stmts {
		if st.Predicate == "bombed" {
			bombed[sentPair{st.Subject, st.Object, st.sent}] = true
		}
	}
	return bombed
}

// airAttacks turns the attacks of an agent the article says fired rockets, shells or
// air strikes into bombings: "An Israeli attack on a camp ... they were Israeli
// rockets" bombed the camp.
func (x *state) airAttacks() {
	if len(x.airAgents) == 0 {
		return
	}
	air := map[graph.EntityRef]bool{}
	for _, e := range x.airAgents {
		air[e.ref] = true
	}
	bombed := x.bombedPairs()
	for i := range x.stmts {
		// an attack the sentence also tells as a bombing stays, for bombingsOnly to drop
		if st := &x.stmts[i]; st.Predicate == "attacked" && air[st.Subject] && !bombed[sentPair{st.Subject, st.Object, st.sent}] {
			st.Predicate = "bombed"
			bombed[sentPair{st.Subject, st.Object, st.sent}] = true
		}
	}
}

// containersHit makes the place a sentence puts a target in a target too: "bombed a
// hospital in Aleppo" bombed Aleppo, "an offensive in the mountains of Kurdistan in
// northern Iraq" attacked Iraq, as the annotation guidelines read such phrases.
func (x *state) containersHit() {
	type key struct {
		s    graph.EntityRef
		p    string
		o    graph.EntityRef
		sent int
	}
	have := map[key]bool{}
	in := map[key][]graph.EntityRef{} // by subject and sentence
	for _, st := range x.stmts {
		have[key{st.Subject, st.Predicate, st.Object, st.sent}] = true
		if st.Predicate == "located_in" {
			k := key{s: st.Subject, sent: st.sent}
			in[k] = append(in[k], st.Object)
		}
	}
	// the state whose forces an attacker is: an army attacking a place in its own
	// country does not attack the country
	own := map[graph.EntityRef]string{}
	for i := range x.ments {
		switch m := &x.ments[i]; {
		case m.ent == nil:
		case m.forceOf != nil:
			own[m.ent.ref] = m.forceOf.Name
		case m.ent.ref.Type == graph.Organisation && own[m.ent.ref] == "":
			if c := x.countryOf(m.ent); c != "" {
				own[m.ent.ref] = c // a gazetteer body of a state
			}
		}
	}
	n := len(x.stmts)
	for i := 0; i < n; i++ {
		st := x.stmts[i]
		if st.Predicate != "attacked" && st.Predicate != "bombed" {
			continue
		}
		for _, c := range in[key{s: st.Object, sent: st.sent}] {
			if c.Type == graph.State && own[st.Subject] == c.Name {
				continue
			}
			if k := (key{st.Subject, st.Predicate, c, st.sent}); !have[k] && c != st.Subject {
				have[k] = true
				hit := st
				hit.Object = c
				x.stmts = append(x.stmts, hit)
			}
		}
	}
}

// dropStmts removes the statements drop reports, keeping the others in order.
func (x *state) dropStmts(drop func(stmt) bool) {
	out := x.stmts[:0]
	for _, st := range x.stmts {
		if !drop(st) {
			out = append(out, st)
		}
	}
	clear(x.stmts[len(out):])
	x.stmts = out
}

// directContainersOnly drops "X located_in Z" where the same sentence puts X in Y
// and Y in Z ("Hardatnin village in Aleppo in northern Syria"): the text tells
// where X is by its nearest container, the chain gives the rest.
func (x *state) directContainersOnly() {
	in := map[sentPair]bool{}
	containers := map[graph.EntityRef][]graph.EntityRef{}
	for _, st := range x.stmts {
		if st.Predicate == "located_in" {
			in[sentPair{st.Subject, st.Object, st.sent}] = true
			containers[st.Subject] = append(containers[st.Subject], st.Object)
		}
	}
	if len(in) < 3 {
		return
	}
	x.dropStmts(func(st stmt) bool {
		if st.Predicate != "located_in" {
			return false
		}
		for _, y := range containers[st.Subject] {
			if y != st.Object && in[sentPair{st.Subject, y, st.sent}] && in[sentPair{y, st.Object, st.sent}] {
				return true
			}
		}
		return false
	})
}
