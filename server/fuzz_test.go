package server

import (
	"testing"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// FuzzValidate feeds arbitrary wire bytes, decoded as each request type, to the
// validation and, when a request passes, to its conversion: neither may panic, every
// error must be a field error, and a request that passes must convert to a query within
// the limits.
//
//	go test ./server -run '^$' -fuzz FuzzValidate -fuzztime 30s
func FuzzValidate(f *testing.F) {
	seeds := []proto.Message{
		&pb.ListRelationsRequest{Entity: byName("United States"), Predicates: []string{"warned"}, PageSize: 2000000},
		&pb.ListRelationsRequest{Entity: byID("ng:e/state/russia"), EventDateFrom: "2016-09-01", EventDateTo: "2016-09-30", Modalities: []pb.Modality{1, 2}},
		&pb.GetRelationsBetweenRequest{Entity: byName("US"), Other: byName("Russia"), Direction: pb.Direction_DIRECTION_OUTGOING},
		&pb.FindPathsRequest{From: byName("John Kerry"), To: byName("Aleppo"), K: 3, MaxHops: 4, MaxNodes: 1000},
		&pb.GetNeighbourhoodRequest{Entity: byName("Aleppo"), Depth: 2, MaxNodes: 100},
		&pb.SearchEntitiesRequest{Query: "Kery", Mode: pb.SearchMode_SEARCH_MODE_FUZZY, Types: []pb.EntityType{1}},
		&pb.GetEntityRequest{Entity: &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "Moscow"}, Type: 2}},
		&pb.DeleteArticleRequest{ArticleId: "2016-09-28-us-threatens-to-end-syria-talks"},
		&pb.LoadArticlesRequest{Id: "a", Published: "28 September, 2016", Text: []byte("The US warned Russia.")},
	}
	for i, m := range seeds {
		b, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), b)
	}
	l := DefaultConfig().Limits
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		check := func(err error) bool {
			if err == nil {
				return true
			}
			if _, ok := err.(*fieldError); !ok {
				t.Fatalf("validation error %T %v, want a *fieldError", err, err)
			}
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("message %q is not valid UTF-8", err.Error())
			}
			return false
		}
		inRange := func(name string, v, lo, hi int) {
			if v < lo || v > hi {
				t.Fatalf("%s = %d after validation, want %d..%d", name, v, lo, hi)
			}
		}
		switch kind % 9 {
		case 0:
			var r pb.ListRelationsRequest
			if proto.Unmarshal(data, &r) != nil || !check(l.validateListRelations(&r)) {
				return
			}
			q := relationQueryFromProto(filterOfList(&r), "ng:e/x/y", "", l)
			inRange("PageSize", q.PageSize, 1, l.MaxPageSize)
			inRange("MaxEvidence", q.MaxEvidence, 1, l.MaxEvidence)
			if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
				t.Fatalf("empty date range %v..%v passed", q.From, q.To)
			}
		case 1:
			var r pb.GetRelationsBetweenRequest
			if proto.Unmarshal(data, &r) != nil || !check(l.validateGetRelationsBetween(&r)) {
				return
			}
			q := relationQueryFromProto(filterOfBetween(&r), "ng:e/x/y", "ng:e/x/z", l)
			inRange("PageSize", q.PageSize, 1, l.MaxPageSize)
		case 2:
			var r pb.FindPathsRequest
			if proto.Unmarshal(data, &r) != nil || !check(l.validateFindPaths(&r)) {
				return
			}
			q := pathQueryFromProto(&r, "ng:e/x/y", "ng:e/x/z", l)
			inRange("K", q.K, 1, l.MaxK)
			inRange("MaxHops", q.MaxHops, 1, l.MaxHops)
			inRange("MaxNodes", q.MaxNodes, 1, l.MaxPathNodes)
			inRange("Predicates", len(q.Predicates), 0, l.MaxPredicates)
		case 3:
			var r pb.GetNeighbourhoodRequest
			if proto.Unmarshal(data, &r) != nil || !check(l.validateGetNeighbourhood(&r)) {
				return
			}
			q := neighbourhoodQueryFromProto(&r, "ng:e/x/y", l)
			inRange("Depth", q.Depth, 1, l.MaxDepth)
			inRange("MaxNodes", q.MaxNodes, 1, l.MaxNeighbourhoodSize)
		case 4:
			var r pb.SearchEntitiesRequest
			if proto.Unmarshal(data, &r) != nil || !check(l.validateSearchEntities(&r)) {
				return
			}
			q := searchQueryFromProto(&r, l)
			inRange("Limit", q.Limit, 1, l.MaxSearchLimit)
			if q.Text == "" {
				t.Fatal("empty search text passed")
			}
			for _, ty := range q.Types {
				if !ty.Valid() {
					t.Fatalf("type %q passed", ty)
				}
			}
		case 5:
			var r pb.GetEntityRequest
			if proto.Unmarshal(data, &r) != nil || !check(l.validateGetEntity(&r)) {
				return
			}
			q := nameQuery(r.GetEntity().GetName(), r.GetEntity().GetType(), 10)
			for _, ty := range q.Types {
				if !ty.Valid() {
					t.Fatalf("type %q passed", ty)
				}
			}
		case 6:
			var r pb.DeleteArticleRequest
			if proto.Unmarshal(data, &r) == nil {
				check(l.validateDeleteArticle(&r))
			}
		default:
			var r pb.LoadArticlesRequest
			if proto.Unmarshal(data, &r) != nil {
				return
			}
			it := itemFromProto(&r, int(kind), l)
			if it.Err == nil && (it.Doc.ID == "" || it.Doc.Text == "" || !utf8.ValidString(it.Doc.Text) || len(it.Doc.Text) > l.MaxArticleBytes) {
				t.Fatalf("article %+v passed", it.Doc)
			}
		}
	})
}
