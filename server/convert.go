package server

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// All conversion between the API's messages and the domain types of graph/ and loader/
// lives in this file. Conversions from requests assume the request passed validation.

var entityTypeFromProto = map[pb.EntityType]graph.EntityType{
	pb.EntityType_ENTITY_TYPE_PERSON:       graph.Person,
	pb.EntityType_ENTITY_TYPE_STATE:        graph.State,
	pb.EntityType_ENTITY_TYPE_CITY:         graph.City,
	pb.EntityType_ENTITY_TYPE_FACILITY:     graph.Facility,
	pb.EntityType_ENTITY_TYPE_ORGANISATION: graph.Organisation,
	pb.EntityType_ENTITY_TYPE_OTHER:        graph.Other,
}

var entityTypeToProto = invert(entityTypeFromProto)

var modalityFromProto = map[pb.Modality]graph.Modality{
	pb.Modality_MODALITY_ASSERTED: graph.Asserted,
	pb.Modality_MODALITY_HEDGED:   graph.Hedged,
	pb.Modality_MODALITY_NEGATED:  graph.Negated,
	pb.Modality_MODALITY_REPORTED: graph.Reported,
}

var modalityToProto = invert(modalityFromProto)

var directionFromProto = map[pb.Direction]graph.Direction{
	pb.Direction_DIRECTION_UNSPECIFIED: graph.Both,
	pb.Direction_DIRECTION_BOTH:        graph.Both,
	pb.Direction_DIRECTION_OUTGOING:    graph.Outgoing,
	pb.Direction_DIRECTION_INCOMING:    graph.Incoming,
}

var searchModeFromProto = map[pb.SearchMode]graph.SearchMode{
	pb.SearchMode_SEARCH_MODE_UNSPECIFIED: graph.Exact,
	pb.SearchMode_SEARCH_MODE_EXACT:       graph.Exact,
	pb.SearchMode_SEARCH_MODE_PREFIX:      graph.Prefix,
	pb.SearchMode_SEARCH_MODE_FUZZY:       graph.Fuzzy,
}

var putStatusToProto = map[graph.PutStatus]pb.ArticleStatus{
	graph.Stored:    pb.ArticleStatus_ARTICLE_STATUS_STORED,
	graph.Replaced:  pb.ArticleStatus_ARTICLE_STATUS_REPLACED,
	graph.Unchanged: pb.ArticleStatus_ARTICLE_STATUS_UNCHANGED,
}

func invert[K, V comparable](m map[K]V) map[V]K {
	r := make(map[V]K, len(m))
	for k, v := range m {
		r[v] = k
	}
	return r
}

// enumNames lists the names of the keys of m in enum order.
func enumNames[E interface {
	~int32
	String() string
}, V any](m map[E]V) []string {
	keys := make([]E, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.String()
	}
	return names
}

func entityTypeNames() []string { return enumNames(entityTypeFromProto) }
func modalityNames() []string   { return enumNames(modalityFromProto) }

// dateString formats a date as "YYYY-MM-DD", or "" for the zero time.
func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// parseDate reads a validated "YYYY-MM-DD" date; "" is the zero time.
func parseDate(s string) time.Time {
	t, _ := time.Parse(dateLayout, s)
	return t
}

// orDefault returns def for 0 and v otherwise.
func orDefault(v int32, def int) int {
	if v == 0 {
		return def
	}
	return int(v)
}

func entityToProto(e *graph.Entity) *pb.Entity {
	return &pb.Entity{
		Id:       e.ID,
		Type:     entityTypeToProto[e.Type],
		Name:     e.Name,
		Aliases:  e.Aliases,
		Mentions: int32(e.Mentions),
	}
}

func entitiesToProto(es []graph.Entity) []*pb.Entity {
	out := make([]*pb.Entity, len(es))
	for i := range es {
		out[i] = entityToProto(&es[i])
	}
	return out
}

func briefToProto(b graph.EntityBrief) *pb.EntityBrief {
	return &pb.EntityBrief{Id: b.ID, Type: entityTypeToProto[b.Type], Name: b.Name}
}

func evidenceToProto(ev []graph.Evidence, max int) []*pb.Evidence {
	if len(ev) > max {
		ev = ev[:max]
	}
	out := make([]*pb.Evidence, len(ev))
	for i, e := range ev {
		out[i] = &pb.Evidence{
			ArticleId:    e.ArticleID,
			ArticleTitle: e.ArticleTitle,
			Url:          e.URL,
			Source:       e.Source,
			Sentence:     e.Sentence,
			StartOffset:  int32(e.Start),
			EndOffset:    int32(e.End),
			EventDate:    dateString(e.EventDate),
			Published:    dateString(e.Published),
			Confidence:   e.Confidence,
			Modality:     modalityToProto[e.Modality],
			Speaker:      e.Speaker,
			Role:         e.Role,
		}
	}
	return out
}

func relationsToProto(rs []graph.Relation, maxEvidence int) []*pb.Relation {
	out := make([]*pb.Relation, len(rs))
	for i, r := range rs {
		ev := evidenceToProto(r.Evidence, maxEvidence)
		out[i] = &pb.Relation{
			Subject:      briefToProto(r.Subject),
			Predicate:    r.Predicate,
			Object:       briefToProto(r.Object),
			Evidence:     ev,
			ArticleCount: int32(r.Articles),
			SourceCount:  int32(r.Sources),
			EventCount:   int32(r.Events),
			Events:       relationEventsToProto(r, ev),
		}
	}
	return out
}

func pathToProto(p graph.Path, maxEvidence int) *pb.Path {
	hops := make([]*pb.Hop, len(p.Hops))
	for j, h := range p.Hops {
		hops[j] = &pb.Hop{
			From:      briefToProto(h.From),
			Predicate: h.Predicate,
			To:        briefToProto(h.To),
			Forward:   h.Forward,
			Evidence:  evidenceToProto(h.Evidence, maxEvidence),
		}
	}
	return &pb.Path{Hops: hops}
}

func subgraphToProto(g *graph.Subgraph) *pb.GetNeighbourhoodResponse {
	resp := &pb.GetNeighbourhoodResponse{
		Nodes:     make([]*pb.EntityBrief, len(g.Nodes)),
		Edges:     make([]*pb.Edge, len(g.Edges)),
		Truncated: g.Truncated,
	}
	for i, n := range g.Nodes {
		resp.Nodes[i] = briefToProto(n)
	}
	for i, e := range g.Edges {
		resp.Edges[i] = &pb.Edge{SubjectId: e.Subject, Predicate: e.Predicate, ObjectId: e.Object}
	}
	return resp
}

func statsToProto(s graph.Stats) *pb.GetStatsResponse {
	return &pb.GetStatsResponse{
		Articles: s.Articles, Entities: s.Entities, Relations: s.Relations,
		Statements: s.Statements, Quads: s.Quads,
	}
}

func entityTypesFromProto(ts []pb.EntityType) []graph.EntityType {
	var out []graph.EntityType
	for _, t := range ts {
		out = append(out, entityTypeFromProto[t])
	}
	return out
}

func searchQueryFromProto(r *pb.SearchEntitiesRequest, l Limits) graph.SearchQuery {
	return graph.SearchQuery{
		Text:  strings.TrimSpace(r.GetQuery()),
		Mode:  searchModeFromProto[r.GetMode()],
		Types: entityTypesFromProto(r.GetTypes()),
		Limit: orDefault(r.GetLimit(), l.DefaultSearchLimit),
	}
}

// nameQuery is the search that resolves an EntitySelector's name.
func nameQuery(name string, t pb.EntityType, limit int) graph.SearchQuery {
	q := graph.SearchQuery{Text: strings.TrimSpace(name), Mode: graph.Exact, Limit: limit}
	if t != pb.EntityType_ENTITY_TYPE_UNSPECIFIED {
		q.Types = []graph.EntityType{entityTypeFromProto[t]}
	}
	return q
}

// maxEvidence is the number of evidence items an answer carries for a request's
// max_evidence.
func (l Limits) maxEvidence(v int32) int { return orDefault(v, l.DefaultEvidence) }

func relationQueryFromProto(f relationFilter, entityID, otherID string, l Limits) graph.RelationQuery {
	var ms []graph.Modality
	for _, m := range f.modalities {
		ms = append(ms, modalityFromProto[m])
	}
	return graph.RelationQuery{
		EntityID:    entityID,
		Other:       otherID,
		Predicates:  f.predicates,
		Direction:   directionFromProto[f.direction],
		From:        parseDate(f.dateFrom),
		To:          parseDate(f.dateTo),
		Modalities:  ms,
		MinSources:  int(f.minSources),
		MaxEvidence: l.maxEvidence(f.maxEvidence),
		PageSize:    orDefault(f.pageSize, l.DefaultPageSize),
		PageToken:   f.pageToken,
	}
}

func pathQueryFromProto(r *pb.FindPathsRequest, fromID, toID string, l Limits) graph.PathQuery {
	var ms []graph.Modality
	for _, m := range r.GetModalities() {
		ms = append(ms, modalityFromProto[m])
	}
	return graph.PathQuery{
		From:        fromID,
		To:          toID,
		K:           orDefault(r.GetK(), 1),
		MaxHops:     orDefault(r.GetMaxHops(), l.DefaultMaxHops),
		Predicates:  r.GetPredicates(),
		MaxNodes:    orDefault(r.GetMaxNodes(), l.DefaultMaxNodes),
		Modalities:  ms,
		EventFrom:   parseDate(r.GetEventDateFrom()),
		EventTo:     parseDate(r.GetEventDateTo()),
		MaxDegree:   int(r.GetMaxDegree()),
		MaxEvidence: l.maxEvidence(r.GetMaxEvidence()),
	}
}

func neighbourhoodQueryFromProto(r *pb.GetNeighbourhoodRequest, id string, l Limits) graph.NeighbourhoodQuery {
	return graph.NeighbourhoodQuery{
		EntityID:   id,
		Depth:      orDefault(r.GetDepth(), 1),
		Predicates: r.GetPredicates(),
		MaxNodes:   orDefault(r.GetMaxNodes(), l.DefaultNeighbourhoodSize),
	}
}

// articleOrigin names the index-th article of a LoadArticles stream in reasons.
func articleOrigin(index int, id string) string {
	if id == "" {
		return fmt.Sprintf("article %d", index)
	}
	return fmt.Sprintf("article %d (id %s)", index, quote(id))
}

// itemFromProto turns one streamed article into a loader item: the document, or why it
// is rejected (wrapping doc.ErrInvalid, naming the article).
func itemFromProto(r *pb.LoadArticlesRequest, index int, l Limits) doc.Item {
	id := strings.TrimSpace(r.GetId())
	d := doc.Document{
		ID:     id,
		Title:  strings.TrimSpace(r.GetTitle()),
		URL:    r.GetUrl(),
		Source: r.GetSource(),
		Origin: articleOrigin(index, id),
	}
	if len(id) > l.MaxIDBytes {
		d.Origin = articleOrigin(index, "")
		return doc.Item{Doc: d, Err: fmt.Errorf("%s: %w: id is %d bytes, want at most %d", d.Origin, doc.ErrInvalid, len(id), l.MaxIDBytes)}
	}
	if p := strings.TrimSpace(r.GetPublished()); p != "" {
		t, ok := doc.ParseDate(p)
		if !ok {
			return doc.Item{Doc: d, Err: fmt.Errorf("%s: %w: published %s is not a date (want e.g. 2016-09-28 or RFC 3339)", d.Origin, doc.ErrInvalid, quote(p))}
		}
		d.Published = t
	}
	if len(r.GetText()) > l.MaxArticleBytes {
		// Checked before the copy below, which would double the memory of a huge article.
		return doc.Item{Doc: d, Err: fmt.Errorf("%s: %w: text is %d bytes, want at most %d", d.Origin, doc.ErrInvalid, len(r.GetText()), l.MaxArticleBytes)}
	}
	// The text as sent is validated first, so that an offset in the message (of an
	// invalid byte, a control byte) counts in the bytes the client sent: NormalizeSpace
	// turns a no-break space (2 bytes) into " " and drops zero-width characters, which
	// would shift every offset after them. The normalised text is validated again: it
	// may be empty or only white space where the raw text was not ("\u200b").
	d.Text = string(r.GetText())
	if err := doc.Validate(d, l.MaxArticleBytes); err != nil {
		return doc.Item{Doc: d, Err: err}
	}
	d.Text = doc.NormalizeSpace(d.Text)
	return doc.Item{Doc: d, Err: doc.Validate(d, l.MaxArticleBytes)}
}

func resultToProto(r loader.Result) *pb.ArticleResult {
	out := &pb.ArticleResult{
		Index:        int32(r.Seq),
		ArticleId:    r.ID,
		Status:       putStatusToProto[r.Status],
		Entities:     int32(r.Entities),
		Statements:   int32(r.Statements),
		QuadsAdded:   int32(r.Added),
		QuadsRemoved: int32(r.Removed),
	}
	if r.Err != nil {
		out.Status = pb.ArticleStatus_ARTICLE_STATUS_REJECTED
		out.Reason, _ = rejectionReason(r)
	}
	return out
}

func summaryToProto(s loader.Summary) *pb.LoadSummary {
	return &pb.LoadSummary{
		Articles:     int32(s.Articles()),
		Stored:       int32(s.Stored),
		Replaced:     int32(s.Replaced),
		Unchanged:    int32(s.Unchanged),
		Rejected:     int32(s.Rejected),
		Entities:     int32(s.Entities),
		Statements:   int32(s.Statements),
		QuadsAdded:   int32(s.QuadsAdded),
		QuadsRemoved: int32(s.QuadsRemoved),
		Elapsed:      durationpb.New(s.Elapsed),
	}
}

func timelineQueryFromProto(r *pb.GetTimelineRequest, id string, l Limits) graph.TimelineQuery {
	var ms []graph.Modality
	for _, m := range r.GetModalities() {
		ms = append(ms, modalityFromProto[m])
	}
	return graph.TimelineQuery{
		EntityID:    id,
		From:        parseDate(r.GetEventDateFrom()),
		To:          parseDate(r.GetEventDateTo()),
		Predicates:  r.GetPredicates(),
		Direction:   directionFromProto[r.GetDirection()],
		Modalities:  ms,
		MinSources:  int(r.GetMinSources()),
		MaxEvidence: l.maxEvidence(r.GetMaxEvidence()),
		NewestFirst: r.GetNewestFirst(),
		PageSize:    orDefault(r.GetPageSize(), l.DefaultPageSize),
		PageToken:   r.GetPageToken(),
	}
}

func timelineToProto(p *graph.TimelinePage, maxEvidence int) *pb.GetTimelineResponse {
	out := &pb.GetTimelineResponse{NextPageToken: p.NextPageToken, Events: make([]*pb.TimelineEvent, len(p.Events))}
	for i, e := range p.Events {
		out.Events[i] = &pb.TimelineEvent{
			EventDate:      dateString(e.Date),
			Subject:        briefToProto(e.Subject),
			Predicate:      e.Predicate,
			Object:         briefToProto(e.Object),
			ArticleCount:   int32(e.Articles),
			SourceCount:    int32(e.Sources),
			StatementCount: int32(e.Statements),
			Evidence:       evidenceToProto(e.Evidence, maxEvidence),
		}
	}
	return out
}

// relationEventsToProto groups a relation's evidence (already converted) by event.
func relationEventsToProto(r graph.Relation, ev []*pb.Evidence) []*pb.Event {
	out := make([]*pb.Event, len(r.ByEvent))
	for i, e := range r.ByEvent {
		d := dateString(e.Date)
		pe := &pb.Event{EventDate: d, ArticleCount: int32(e.Articles), SourceCount: int32(e.Sources), StatementCount: int32(e.Statements)}
		for _, item := range ev {
			if item.GetEventDate() == d {
				pe.Evidence = append(pe.Evidence, item)
			}
		}
		out[i] = pe
	}
	return out
}

func exportQueryFromProto(r *pb.ExportGraphRequest, l Limits) graph.ExportQuery {
	q := graph.ExportQuery{Format: exportFormatFromProto[r.GetFormat()], Full: r.GetFull()}
	if r.GetEntity() != nil {
		q.Depth = orDefault(r.GetDepth(), 1)
		q.MaxNodes = orDefault(r.GetMaxNodes(), l.DefaultNeighbourhoodSize)
		q.Predicates = r.GetPredicates()
	}
	return q
}

var exportFormatFromProto = map[pb.ExportFormat]graph.ExportFormat{
	pb.ExportFormat_EXPORT_FORMAT_UNSPECIFIED: graph.NQuads,
	pb.ExportFormat_EXPORT_FORMAT_NQUADS:      graph.NQuads,
	pb.ExportFormat_EXPORT_FORMAT_GRAPHML:     graph.GraphML,
	pb.ExportFormat_EXPORT_FORMAT_DOT:         graph.DOT,
}
