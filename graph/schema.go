package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
)

// The IRIs of the quad schema. See doc.go for the whole schema.
const (
	iriEntityPrefix   = "ng:e/"  // entity node: ng:e/<type>/<slug>
	iriMentionPrefix  = "ng:m/"  // mention reference of an entity: ng:m/<type>/<slug>
	iriAliasPrefix    = "ng:al/" // alias reference: ng:al/<type>/<slug>/<escaped alias>
	iriArticlePrefix  = "ng:a/"  // article node: ng:a/<escaped id>
	iriStmtPrefix     = "ng:s/"  // statement node: ng:s/<escaped id>/<hash>
	iriEdgePrefix     = "ng:k/"  // edge-key node: ng:k/<type>/<slug>/<predicate>/<type>/<slug>
	iriEventPrefix    = "ng:ev/" // event node: ng:ev/<edge key>/<yyyy-mm-dd | undated>
	iriRelPredPrefix  = "ng:rel/"
	undatedEvent      = "undated"
	eventDateLayout   = "2006-01-02"
	maxPredicateBytes = 64
)

// Registry nodes: iterating their out-quads lists every entity, article and edge
// without a full scan.
var (
	regEntities = quad.IRI("ng:entities")
	regArticles = quad.IRI("ng:articles")
	regEdges    = quad.IRI("ng:edges")
)

// Schema predicates.
var (
	pHas        = quad.IRI("ng:has")
	pType       = quad.IRI("ng:type")
	pName       = quad.IRI("ng:name")
	pAlias      = quad.IRI("ng:alias")
	pMentions   = quad.IRI("ng:mentions")
	pAliased    = quad.IRI("ng:aliased")
	pStmt       = quad.IRI("ng:stmt")
	pEvent      = quad.IRI("ng:event")    // statement → event
	pOccurred   = quad.IRI("ng:occurred") // edge key → event
	pDate       = quad.IRI("ng:date")
	pSentence   = quad.IRI("ng:sentence")
	pStart      = quad.IRI("ng:start")
	pEnd        = quad.IRI("ng:end")
	pConfidence = quad.IRI("ng:confidence")
	pModality   = quad.IRI("ng:modality")
	pSpeaker    = quad.IRI("ng:speaker")
	pRole       = quad.IRI("ng:role")
	pID         = quad.IRI("ng:id")
	pTitle      = quad.IRI("ng:title")
	pURL        = quad.IRI("ng:url")
	pSource     = quad.IRI("ng:source")
	pPublished  = quad.IRI("ng:published")
	pHash       = quad.IRI("ng:hash")
	pNumStmts   = quad.IRI("ng:statements")
)

// relPred returns the predicate IRI of a direct edge: "ng:rel/warned".
func relPred(p string) quad.IRI { return quad.IRI(iriRelPredPrefix + p) }

// entityKey is the part of an entity IRI after "ng:e/": "<type>/<slug>".
func entityKey(iri string) (string, bool) {
	k, ok := strings.CutPrefix(iri, iriEntityPrefix)
	return k, ok && k != ""
}

func mentionIRI(entity string) quad.IRI {
	k, _ := entityKey(entity)
	return quad.IRI(iriMentionPrefix + k)
}

func aliasIRI(entity, alias string) quad.IRI {
	k, _ := entityKey(entity)
	return quad.IRI(iriAliasPrefix + k + "/" + url.PathEscape(alias))
}

func articleIRI(id string) quad.IRI { return quad.IRI(iriArticlePrefix + url.PathEscape(id)) }

func edgeIRI(subject, predicate, object string) quad.IRI {
	s, _ := entityKey(subject)
	o, _ := entityKey(object)
	return quad.IRI(iriEdgePrefix + s + "/" + predicate + "/" + o)
}

// eventDay is the calendar day (UTC) that identifies an event, or "undated".
func eventDay(t time.Time) string {
	if t.IsZero() {
		return undatedEvent
	}
	return t.UTC().Format(eventDateLayout)
}

func eventIRI(edge quad.IRI, day string) quad.IRI {
	return quad.IRI(iriEventPrefix + strings.TrimPrefix(string(edge), iriEdgePrefix) + "/" + day)
}

// edgeTriple is a direct edge named by entity IRIs.
type edgeTriple struct {
	Subject, Predicate, Object string
}

// parseEdgeKey turns the part of an edge-key IRI after "ng:k/" back into its triple.
func parseEdgeKey(k string) (edgeTriple, bool) {
	parts := strings.Split(k, "/")
	if len(parts) != 5 {
		return edgeTriple{}, false
	}
	return edgeTriple{
		Subject:   iriEntityPrefix + parts[0] + "/" + parts[1],
		Predicate: parts[2],
		Object:    iriEntityPrefix + parts[3] + "/" + parts[4],
	}, true
}

// parseEventIRI returns the edge key IRI and the day of an event IRI.
func parseEventIRI(ev string) (edge quad.IRI, t edgeTriple, day string, ok bool) {
	rest, ok := strings.CutPrefix(ev, iriEventPrefix)
	if !ok {
		return "", edgeTriple{}, "", false
	}
	i := strings.LastIndexByte(rest, '/')
	if i < 0 {
		return "", edgeTriple{}, "", false
	}
	t, ok = parseEdgeKey(rest[:i])
	return quad.IRI(iriEdgePrefix + rest[:i]), t, rest[i+1:], ok
}

// stmtIRI derives a statement IRI from its article and its content, so that an
// unchanged statement keeps its IRI when the article is replaced.
func stmtIRI(articleID string, st *Statement) quad.IRI {
	h := sha256.New()
	speaker := ""
	if st.Speaker != nil {
		speaker = st.Speaker.IRI()
	}
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00%d\x00%s\x00%s\x00%s\x00%s",
		st.Subject.IRI(), st.Predicate, st.Object.IRI(), st.Role, st.Sentence, st.Start, st.End,
		eventDay(st.EventDate), strconv.FormatFloat(st.Confidence, 'g', -1, 64), st.Modality, speaker)
	return quad.IRI(iriStmtPrefix + url.PathEscape(articleID) + "/" + hex.EncodeToString(h.Sum(nil)[:12]))
}

// stmtArticlePrefix is the prefix shared by the IRIs of every statement of an article.
func stmtArticlePrefix(articleID string) string {
	return iriStmtPrefix + url.PathEscape(articleID) + "/"
}

// validPredicate reports whether p can name a relation: lower-case ASCII letters,
// digits, '_' and '-', starting with a letter, at most 64 bytes.
func validPredicate(p string) bool {
	if p == "" || len(p) > maxPredicateBytes || p[0] < 'a' || p[0] > 'z' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// valKey is a canonical string for a quad value, used to compare quads read back from
// a backend with quads built in memory (times are compared in UTC).
func valKey(v quad.Value) string {
	switch v := v.(type) {
	case nil:
		return ""
	case quad.IRI:
		return "i" + string(v)
	case quad.String:
		return "s" + string(v)
	case quad.Int:
		return "n" + strconv.FormatInt(int64(v), 10)
	case quad.Float:
		return "f" + strconv.FormatFloat(float64(v), 'g', -1, 64)
	case quad.Time:
		return "t" + time.Time(v).UTC().Format(time.RFC3339Nano)
	default:
		return "v" + v.String()
	}
}

// qkey is the canonical key of a quad (labels are not used by the schema).
type qkey struct{ s, p, o string }

func keyOf(q quad.Quad) qkey {
	return qkey{valKey(q.Subject), valKey(q.Predicate), valKey(q.Object)}
}

// Value accessors tolerant of how a backend hands values back.

func asString(v quad.Value) string {
	switch v := v.(type) {
	case quad.String:
		return string(v)
	case quad.IRI:
		return string(v)
	case quad.TypedString:
		return string(v.Value)
	case nil:
		return ""
	}
	return v.String()
}

func asInt(v quad.Value) int {
	switch v := v.(type) {
	case quad.Int:
		return int(v)
	case quad.Float:
		return int(v)
	case quad.TypedString:
		n, _ := strconv.Atoi(string(v.Value))
		return n
	}
	return 0
}

func asFloat(v quad.Value) float64 {
	switch v := v.(type) {
	case quad.Float:
		return float64(v)
	case quad.Int:
		return float64(v)
	case quad.TypedString:
		f, _ := strconv.ParseFloat(string(v.Value), 64)
		return f
	}
	return 0
}

func asTime(v quad.Value) time.Time {
	switch v := v.(type) {
	case quad.Time:
		return time.Time(v).UTC()
	case quad.TypedString:
		t, _ := time.Parse(time.RFC3339Nano, string(v.Value))
		return t.UTC()
	}
	return time.Time{}
}

func timeValue(t time.Time) quad.Time { return quad.Time(t.UTC()) }
