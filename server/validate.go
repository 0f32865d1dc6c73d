package server

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// Request validation. Every function returns nil or a *fieldError whose message names
// the field, the value and what was expected ("page_size: 2000000, want 0..1000").
// A request that passes is safe to convert (convert.go) and within the Limits.

// predicatePattern is what a relation name looks like: "warned", "holds_role".
var predicatePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// maxPredicateBytes bounds one relation name in a filter.
const maxPredicateBytes = 64

// dateLayout is the layout of every date in the API.
const dateLayout = "2006-01-02"

// hasWordRune reports whether s holds a letter or a digit: a name without one matches
// nothing (the store folds names to their letters and digits).
func hasWordRune(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

func checkRange(field string, v int32, lo, hi int) error {
	if int(v) < lo || int(v) > hi {
		return invalid(field, "%d, want %d..%d", v, lo, hi)
	}
	return nil
}

// quote shows a client's string in a message: quoted, cut to 80 bytes.
func quote(s string) string {
	if len(s) > 80 {
		cut := 80
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return fmt.Sprintf("%q… (%d bytes)", s[:cut], len(s))
	}
	return fmt.Sprintf("%q", s)
}

func (l Limits) checkSelector(field string, sel *pb.EntitySelector) error {
	if sel == nil || sel.GetSelector() == nil {
		return invalid(field, "missing, want an entity id (IRI) or name")
	}
	switch v := sel.GetSelector().(type) {
	case *pb.EntitySelector_Id:
		f := field + ".id"
		switch {
		case !strings.HasPrefix(v.Id, "ng:e/") || len(v.Id) <= len("ng:e/"):
			return invalid(f, "%s, want an entity IRI such as \"ng:e/state/united_states\"", quote(v.Id))
		case len(v.Id) > l.MaxIDBytes:
			return invalid(f, "%d bytes, want at most %d", len(v.Id), l.MaxIDBytes)
		}
	case *pb.EntitySelector_Name:
		f := field + ".name"
		switch {
		case strings.TrimSpace(v.Name) == "":
			return invalid(f, "%s, want a non-empty name", quote(v.Name))
		case len(v.Name) > l.MaxNameBytes:
			return invalid(f, "%d bytes, want at most %d", len(v.Name), l.MaxNameBytes)
		case !hasWordRune(v.Name):
			return invalid(f, "%s has no letters or digits, want a name", quote(v.Name))
		}
	}
	if t := sel.GetType(); t != pb.EntityType_ENTITY_TYPE_UNSPECIFIED {
		if err := checkEntityType(field+".type", t); err != nil {
			return err
		}
	}
	return nil
}

func checkEntityType(field string, t pb.EntityType) error {
	if _, ok := entityTypeFromProto[t]; !ok {
		return invalid(field, "%s, want one of %s", t.String(), strings.Join(entityTypeNames(), ", "))
	}
	return nil
}

func (l Limits) checkPredicates(field string, ps []string) error {
	if len(ps) > l.MaxPredicates {
		return invalid(field, "%d predicates, want at most %d", len(ps), l.MaxPredicates)
	}
	for i, p := range ps {
		if len(p) > maxPredicateBytes || !predicatePattern.MatchString(p) {
			return invalid(fmt.Sprintf("%s[%d]", field, i), "%s, want a relation name of lower-case letters, digits and _ (at most %d bytes) such as \"warned\"", quote(p), maxPredicateBytes)
		}
		if len(l.Predicates) > 0 && !slices.Contains(l.Predicates, p) {
			return invalid(fmt.Sprintf("%s[%d]", field, i), "%s is not a known predicate, want one of %s", quote(p), strings.Join(knownPredicates(l.Predicates), ", "))
		}
	}
	return nil
}

// knownPredicates returns the configured predicates sorted and without duplicates, as
// a message lists them.
func knownPredicates(ps []string) []string {
	out := slices.Clone(ps)
	slices.Sort(out)
	return slices.Compact(out)
}

func (l Limits) checkModalities(field string, ms []pb.Modality) error {
	if len(ms) > l.MaxFilterItems {
		return invalid(field, "%d modalities, want at most %d", len(ms), l.MaxFilterItems)
	}
	for i, m := range ms {
		if _, ok := modalityFromProto[m]; !ok {
			return invalid(fmt.Sprintf("%s[%d]", field, i), "%s, want one of %s", m.String(), strings.Join(modalityNames(), ", "))
		}
	}
	return nil
}

func checkDirection(field string, d pb.Direction) error {
	if _, ok := directionFromProto[d]; !ok {
		return invalid(field, "%s, want one of DIRECTION_BOTH, DIRECTION_OUTGOING, DIRECTION_INCOMING", d.String())
	}
	return nil
}

func checkDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, invalid(field, "%s, want a date YYYY-MM-DD", quote(s))
	}
	return t, nil
}

func checkDateRange(fromField, from, toField, to string) error {
	f, err := checkDate(fromField, from)
	if err != nil {
		return err
	}
	t, err := checkDate(toField, to)
	if err != nil {
		return err
	}
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		return invalid(toField, "%s is before %s %s, want a range that is not empty", to, fromField, from)
	}
	return nil
}

// relationFilter is the part ListRelationsRequest and GetRelationsBetweenRequest share.
type relationFilter struct {
	predicates       []string
	direction        pb.Direction
	dateFrom, dateTo string
	modalities       []pb.Modality
	minSources       int32
	maxEvidence      int32
	pageSize         int32
	pageToken        string
}

func (l Limits) checkRelationFilter(f relationFilter) error {
	if err := l.checkPredicates("predicates", f.predicates); err != nil {
		return err
	}
	if err := checkDirection("direction", f.direction); err != nil {
		return err
	}
	if err := checkDateRange("event_date_from", f.dateFrom, "event_date_to", f.dateTo); err != nil {
		return err
	}
	if err := l.checkModalities("modalities", f.modalities); err != nil {
		return err
	}
	if err := checkRange("min_sources", f.minSources, 0, l.MaxMinSources); err != nil {
		return err
	}
	if err := checkRange("max_evidence", f.maxEvidence, 0, l.MaxEvidence); err != nil {
		return err
	}
	if err := checkRange("page_size", f.pageSize, 0, l.MaxPageSize); err != nil {
		return err
	}
	if len(f.pageToken) > l.MaxTokenBytes {
		return invalid("page_token", "%d bytes, want at most %d (a next_page_token of a previous page)", len(f.pageToken), l.MaxTokenBytes)
	}
	return nil
}

func filterOfList(r *pb.ListRelationsRequest) relationFilter {
	return relationFilter{
		predicates: r.GetPredicates(), direction: r.GetDirection(),
		dateFrom: r.GetEventDateFrom(), dateTo: r.GetEventDateTo(),
		modalities: r.GetModalities(), minSources: r.GetMinSources(),
		maxEvidence: r.GetMaxEvidence(), pageSize: r.GetPageSize(), pageToken: r.GetPageToken(),
	}
}

func filterOfBetween(r *pb.GetRelationsBetweenRequest) relationFilter {
	return relationFilter{
		predicates: r.GetPredicates(), direction: r.GetDirection(),
		dateFrom: r.GetEventDateFrom(), dateTo: r.GetEventDateTo(),
		modalities: r.GetModalities(), minSources: r.GetMinSources(),
		maxEvidence: r.GetMaxEvidence(), pageSize: r.GetPageSize(), pageToken: r.GetPageToken(),
	}
}

func (l Limits) validateGetEntity(r *pb.GetEntityRequest) error {
	return l.checkSelector("entity", r.GetEntity())
}

func (l Limits) validateSearchEntities(r *pb.SearchEntitiesRequest) error {
	switch q := r.GetQuery(); {
	case strings.TrimSpace(q) == "":
		return invalid("query", "%s, want a non-empty name", quote(q))
	case len(q) > l.MaxNameBytes:
		return invalid("query", "%d bytes, want at most %d", len(q), l.MaxNameBytes)
	case !hasWordRune(q):
		return invalid("query", "%s has no letters or digits, want a name", quote(q))
	}
	if _, ok := searchModeFromProto[r.GetMode()]; !ok {
		return invalid("mode", "%s, want one of SEARCH_MODE_EXACT, SEARCH_MODE_PREFIX, SEARCH_MODE_FUZZY", r.GetMode().String())
	}
	if len(r.GetTypes()) > l.MaxFilterItems {
		return invalid("types", "%d types, want at most %d", len(r.GetTypes()), l.MaxFilterItems)
	}
	for i, t := range r.GetTypes() {
		if err := checkEntityType(fmt.Sprintf("types[%d]", i), t); err != nil {
			return err
		}
	}
	return checkRange("limit", r.GetLimit(), 0, l.MaxSearchLimit)
}

func (l Limits) validateListRelations(r *pb.ListRelationsRequest) error {
	if err := l.checkSelector("entity", r.GetEntity()); err != nil {
		return err
	}
	return l.checkRelationFilter(filterOfList(r))
}

func (l Limits) validateGetRelationsBetween(r *pb.GetRelationsBetweenRequest) error {
	if err := l.checkSelector("entity", r.GetEntity()); err != nil {
		return err
	}
	if err := l.checkSelector("other", r.GetOther()); err != nil {
		return err
	}
	return l.checkRelationFilter(filterOfBetween(r))
}

func (l Limits) validateFindPaths(r *pb.FindPathsRequest) error {
	if err := l.checkSelector("from", r.GetFrom()); err != nil {
		return err
	}
	if err := l.checkSelector("to", r.GetTo()); err != nil {
		return err
	}
	if from, to := r.GetFrom().GetId(), r.GetTo().GetId(); from != "" && from == to {
		return invalid("to.id", "%s is the same entity as from, want another entity (a path from an entity to itself has no hops)", quote(to))
	}
	if err := checkRange("k", r.GetK(), 0, l.MaxK); err != nil {
		return err
	}
	if err := checkRange("max_hops", r.GetMaxHops(), 0, l.MaxHops); err != nil {
		return err
	}
	if err := l.checkPredicates("predicates", r.GetPredicates()); err != nil {
		return err
	}
	if err := checkRange("max_nodes", r.GetMaxNodes(), 0, l.MaxPathNodes); err != nil {
		return err
	}
	if err := checkRange("max_evidence", r.GetMaxEvidence(), 0, l.MaxEvidence); err != nil {
		return err
	}
	if err := l.checkModalities("modalities", r.GetModalities()); err != nil {
		return err
	}
	if err := checkDateRange("event_date_from", r.GetEventDateFrom(), "event_date_to", r.GetEventDateTo()); err != nil {
		return err
	}
	return checkRange("max_degree", r.GetMaxDegree(), 0, maxDegree)
}

// checkPathEnds fails when the selector to (named field) resolved to the entity from
// resolved to ("US" and "United States"): a path from an entity to itself has no hops,
// so the request is a mistake (validateFindPaths catches the same IRI given twice).
func checkPathEnds(field string, sel *pb.EntitySelector, from, to *graph.Entity) error {
	if from.ID != to.ID {
		return nil
	}
	if name, ok := sel.GetSelector().(*pb.EntitySelector_Name); ok {
		return invalid(field+".name", "%s names %s, the same entity as from, want another entity (a path from an entity to itself has no hops)", quote(name.Name), to.ID)
	}
	return invalid(field+".id", "%s is the same entity as from, want another entity (a path from an entity to itself has no hops)", quote(to.ID))
}

// pageTokenError turns the store's refusal of a page token into an error naming the
// field. The request passed validation, so an invalid argument the store finds in a
// request with a token is the token: made up, damaged, or issued for another query
// (another entity or filter).
func pageTokenError(token string, err error) error {
	if token == "" || !errors.Is(err, graph.ErrInvalidArgument) {
		return err
	}
	return invalid("page_token", "%s was not issued for this query, want the next_page_token of the previous page of the same query (same entity and filters; page_size may change)", quote(token))
}

// maxDegree bounds FindPathsRequest.max_degree (a degree above it avoids nothing).
const maxDegree = 1_000_000

func (l Limits) validateStreamPaths(r *pb.StreamPathsRequest) error {
	if r.GetQuery() == nil {
		return invalid("query", "missing, want a FindPathsRequest")
	}
	if err := l.validateFindPaths(r.GetQuery()); err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			return &fieldError{field: "query." + fe.field, msg: "query." + fe.msg}
		}
		return err
	}
	return nil
}

func (l Limits) validateGetNeighbourhood(r *pb.GetNeighbourhoodRequest) error {
	if err := l.checkSelector("entity", r.GetEntity()); err != nil {
		return err
	}
	if err := checkRange("depth", r.GetDepth(), 0, l.MaxDepth); err != nil {
		return err
	}
	if err := checkRange("max_nodes", r.GetMaxNodes(), 0, l.MaxNeighbourhoodSize); err != nil {
		return err
	}
	return l.checkPredicates("predicates", r.GetPredicates())
}

func (l Limits) validateDeleteArticle(r *pb.DeleteArticleRequest) error {
	switch id := r.GetArticleId(); {
	case strings.TrimSpace(id) == "":
		return invalid("article_id", "%s, want the id of a stored article", quote(id))
	case len(id) > l.MaxIDBytes:
		return invalid("article_id", "%d bytes, want at most %d", len(id), l.MaxIDBytes)
	}
	return nil
}

func (l Limits) validateGetTimeline(r *pb.GetTimelineRequest) error {
	if err := l.checkSelector("entity", r.GetEntity()); err != nil {
		return err
	}
	return l.checkRelationFilter(filterOfTimeline(r))
}

func filterOfTimeline(r *pb.GetTimelineRequest) relationFilter {
	return relationFilter{
		predicates: r.GetPredicates(), direction: r.GetDirection(),
		dateFrom: r.GetEventDateFrom(), dateTo: r.GetEventDateTo(),
		modalities: r.GetModalities(), minSources: r.GetMinSources(),
		maxEvidence: r.GetMaxEvidence(), pageSize: r.GetPageSize(), pageToken: r.GetPageToken(),
	}
}

func (l Limits) validateExportGraph(r *pb.ExportGraphRequest) error {
	if _, ok := exportFormatFromProto[r.GetFormat()]; !ok {
		return invalid("format", "%s, want one of EXPORT_FORMAT_NQUADS, EXPORT_FORMAT_GRAPHML, EXPORT_FORMAT_DOT", r.GetFormat().String())
	}
	nquads := r.GetFormat() == pb.ExportFormat_EXPORT_FORMAT_UNSPECIFIED || r.GetFormat() == pb.ExportFormat_EXPORT_FORMAT_NQUADS
	if r.GetFull() && !nquads {
		return invalid("full", "true with %s, want it only with EXPORT_FORMAT_NQUADS", r.GetFormat().String())
	}
	if r.GetEntity() == nil {
		switch {
		case r.GetDepth() != 0:
			return invalid("depth", "%d without an entity, want 0 (the whole graph has no depth)", r.GetDepth())
		case r.GetMaxNodes() != 0:
			return invalid("max_nodes", "%d without an entity, want 0 (the whole graph is exported)", r.GetMaxNodes())
		case len(r.GetPredicates()) != 0:
			return invalid("predicates", "%d predicates without an entity, want none (the whole graph is exported)", len(r.GetPredicates()))
		}
		return nil
	}
	if err := l.checkSelector("entity", r.GetEntity()); err != nil {
		return err
	}
	if err := checkRange("depth", r.GetDepth(), 0, l.MaxDepth); err != nil {
		return err
	}
	if err := checkRange("max_nodes", r.GetMaxNodes(), 0, l.MaxNeighbourhoodSize); err != nil {
		return err
	}
	return l.checkPredicates("predicates", r.GetPredicates())
}
