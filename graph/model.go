package graph

import (
	"strings"
	"time"
	"unicode"
)

// EntityType is the kind of an entity node.
type EntityType string

// The entity types newsgraph extracts and stores.
const (
	Person       EntityType = "person"
	State        EntityType = "state"
	City         EntityType = "city"
	Facility     EntityType = "facility"
	Organisation EntityType = "organisation"
	Other        EntityType = "other"
)

// EntityTypes lists every valid entity type in a stable order.
var EntityTypes = []EntityType{Person, State, City, Facility, Organisation, Other}

// Valid reports whether t is one of EntityTypes.
func (t EntityType) Valid() bool {
	for _, v := range EntityTypes {
		if t == v {
			return true
		}
	}
	return false
}

// Modality says how firmly a statement asserts its relation.
type Modality string

// The modalities of a statement.
const (
	Asserted Modality = "asserted" // stated as fact
	Hedged   Modality = "hedged"   // "suspected", "reportedly", "could", "may"
	Negated  Modality = "negated"  // "denied", "did not"
	Reported Modality = "reported" // reported speech: "X said that Y bombed Z"
)

// Modalities lists every valid modality in a stable order.
var Modalities = []Modality{Asserted, Hedged, Negated, Reported}

// Valid reports whether m is one of Modalities.
func (m Modality) Valid() bool {
	for _, v := range Modalities {
		if m == v {
			return true
		}
	}
	return false
}

// Direction selects edges by the side the queried entity is on.
type Direction int

// The edge directions a relation query can ask for.
const (
	Both     Direction = iota // either side
	Outgoing                  // the entity is the subject
	Incoming                  // the entity is the object
)

// EntityRef names an entity by type and canonical name, as the extractor produces it.
// Its IRI is derived from both, so one entity keeps one IRI across articles.
type EntityRef struct {
	Type EntityType
	Name string
}

// IRI returns the stable IRI of the entity: "ng:e/<type>/<slug of the canonical name>".
func (r EntityRef) IRI() string {
	return "ng:e/" + string(r.Type) + "/" + Slug(r.Name)
}

// Slug folds a canonical name into the IRI-safe key used in entity IRIs: lower case,
// letters and digits kept (Unicode letters included), every other run of characters
// becomes one underscore. "Ban Ki-moon" → "ban_ki_moon".
func Slug(name string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
			continue
		}
		under = true
	}
	return b.String()
}

// Entity is an entity node as stored: its IRI, type, canonical name, every alias seen
// and how many articles mention it.
type Entity struct {
	ID       string // IRI, see EntityRef.IRI
	Type     EntityType
	Name     string
	Aliases  []string // sorted, without the canonical name
	Mentions int      // number of stored articles that mention the entity
}

// Ref returns the type and name of e.
func (e Entity) Ref() EntityRef { return EntityRef{Type: e.Type, Name: e.Name} }

// ArticleEntity is one entity found in an article with the surface forms that resolved to it.
type ArticleEntity struct {
	EntityRef
	Aliases []string // surface forms in this article ("Kerry", "He", "the US secretary of state")
}

// Statement is one extracted relation with its provenance inside an article.
type Statement struct {
	Subject   EntityRef
	Predicate string // relation name from the vocabulary: "warned", "bombed", "holds_role"…
	Object    EntityRef
	Role      string // for holds_role: the role held ("Secretary of State"); else empty

	Sentence   string // the sentence text the relation comes from
	Start, End int    // byte offsets of the sentence in the article text
	EventDate  time.Time
	Confidence float64 // in (0, 1]
	Modality   Modality
	Speaker    *EntityRef // who is reported to have said it, for Modality Reported; else nil
}

// Article is one article with everything extracted from it, ready to be stored whole.
type Article struct {
	ID        string // stable id: the JSON Lines id, or the file name
	Title     string
	URL       string // URL or path the article came from
	Source    string // outlet or feed the article came from, for counting distinct sources
	Published time.Time
	Hash      string // content hash of the article text: same hash, same facts

	Entities   []ArticleEntity
	Statements []Statement
}

// ArticleInfo is what the store keeps about an article itself.
type ArticleInfo struct {
	ID         string
	Title      string
	URL        string
	Source     string
	Published  time.Time
	Hash       string
	Statements int
}

// PutStatus says what storing one article did.
type PutStatus int

// The outcomes of storing an article.
const (
	Stored    PutStatus = iota + 1 // new article
	Replaced                       // an article with this id and other content was replaced
	Unchanged                      // the same article with the same content was stored already
)

// String returns "stored", "replaced" or "unchanged".
func (s PutStatus) String() string {
	switch s {
	case Stored:
		return "stored"
	case Replaced:
		return "replaced"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}

// PutResult is the outcome of storing one article.
type PutResult struct {
	ArticleID string
	Status    PutStatus
	Added     int // quads added
	Removed   int // quads removed (replaced facts)
	// Err is set when this article was not stored: it is invalid (wraps
	// ErrInvalidArgument) or its own transaction failed. Status is then zero.
	Err error
}

// EntityBrief is the part of an entity that answers carry for every node they name.
type EntityBrief struct {
	ID   string
	Type EntityType
	Name string
}

// Evidence is one statement behind a relation: where it was said and how.
type Evidence struct {
	ArticleID    string
	ArticleTitle string
	URL          string
	Source       string
	Sentence     string
	Start, End   int
	EventDate    time.Time
	Published    time.Time
	Confidence   float64
	Modality     Modality
	Speaker      string // canonical name of the speaker for reported speech
	Role         string // for holds_role
}

// Relation is one direct edge subject --predicate--> object with the statements behind it.
type Relation struct {
	Subject   EntityBrief
	Predicate string
	Object    EntityBrief
	Evidence  []Evidence // those matching the query's filters, newest event first, capped
	Articles  int        // distinct articles behind the matching evidence
	Sources   int        // distinct sources (SourceKey) behind the matching evidence
	Events    int        // distinct event dates behind the matching evidence
	// ByEvent groups the matching evidence by event, newest first, capped like
	// Evidence: each event's day and its own article, source and statement counts.
	ByEvent []EventSummary
}

// RelationQuery asks for the relations of one entity.
type RelationQuery struct {
	EntityID    string
	Other       string     // if set, only relations with this entity on the other side
	Predicates  []string   // empty: all
	Direction   Direction  // Both, Outgoing, Incoming
	From, To    time.Time  // event date range, inclusive; zero: open
	Modalities  []Modality // empty: all
	MinSources  int        // keep events reported by at least this many sources (SourceKey), and relations with such an event
	MaxEvidence int        // evidence items per relation; 0: store default
	PageSize    int        // 0: store default; capped by the store
	PageToken   string     // from RelationPage.NextPageToken
}

// RelationPage is one page of relations.
type RelationPage struct {
	Relations     []Relation
	NextPageToken string // empty on the last page
}

// SearchMode chooses how SearchQuery.Text matches names and aliases.
type SearchMode int

// The search modes.
const (
	Exact  SearchMode = iota // case- and diacritic-insensitive equality with the name or an alias
	Prefix                   // name or alias starts with the text
	Fuzzy                    // tolerates typos and missing diacritics
)

// SearchQuery asks for entities by name.
type SearchQuery struct {
	Text  string
	Mode  SearchMode
	Types []EntityType // empty: all
	Limit int          // 0: store default; capped by the store
}

// Hop is one edge of a path, walked From → To. Forward is false when the stored edge
// points the other way (To --predicate--> From).
type Hop struct {
	From      EntityBrief
	Predicate string
	To        EntityBrief
	Forward   bool
	Evidence  []Evidence // at least one
}

// Path is a walk between two entities.
type Path struct {
	Hops []Hop
}

// PathQuery asks for the k shortest paths between two entities.
type PathQuery struct {
	From, To   string   // entity IRIs
	K          int      // number of paths; 0: 1
	MaxHops    int      // 0: store default; capped
	Predicates []string // allowed predicates; empty: all
	MaxNodes   int      // node budget for the search; 0: store default
	// Modalities, EventFrom and EventTo keep only hops with at least one statement of
	// these modalities whose event day is in the range (inclusive; zero: open); every
	// hop's evidence is filtered the same way.
	Modalities         []Modality
	EventFrom, EventTo time.Time
	// MaxDegree, when > 0, keeps paths from passing through an entity with more direct
	// edges than this (a hub such as a country in every article); the two ends may be
	// hubs.
	MaxDegree int
	// MaxEvidence is the evidence kept per hop; 0: store default; capped.
	MaxEvidence int
}

// PathsInfo tells how a path search ended.
type PathsInfo struct {
	// Truncated is set when a limit (node budget, quads read) stopped the search after
	// some paths were found: there may be more, or shorter ones among those not
	// explored when some hops were banned by the filters.
	Truncated bool
	Nodes     int // entities whose edges the search read
}

// NeighbourhoodQuery asks for the subgraph around an entity.
type NeighbourhoodQuery struct {
	EntityID   string
	Depth      int      // 0: 1; capped
	Predicates []string // empty: all
	MaxNodes   int      // 0: store default; capped
}

// Edge is a direct edge between two entities of a subgraph.
type Edge struct {
	Subject   string
	Predicate string
	Object    string
}

// Subgraph is a set of entities and the edges between them.
type Subgraph struct {
	Nodes     []EntityBrief
	Edges     []Edge
	Truncated bool // a size limit cut the answer
}

// Stats counts what the store holds.
type Stats struct {
	Articles   int64
	Entities   int64
	Relations  int64 // direct edges
	Statements int64
	Quads      int64
}
