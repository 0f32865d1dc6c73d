package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// FuzzValidate feeds arbitrary wire bytes, decoded as each request type, to the
// validation and, when a request passes, to its conversion: neither may panic, every
// error must be a field error, and a request that passes must convert to a query within
// the limits. Streamed articles must be rejected naming the article, or be within the
// limits.
//
//	go test ./server -run '^$' -fuzz '^FuzzValidate$' -fuzztime 30s
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
		&pb.GetTimelineRequest{Entity: byName("Aleppo"), EventDateFrom: "2016-09-01", PageSize: 10, NewestFirst: true},
		&pb.ExportGraphRequest{Entity: byName("Aleppo"), Depth: 2, Format: pb.ExportFormat_EXPORT_FORMAT_DOT},
		&pb.StreamPathsRequest{Query: &pb.FindPathsRequest{From: byID("ng:e/state/russia"), To: byID("ng:e/state/russia")}},
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
		switch kind % uint8(len(seeds)) {
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
			if id := r.GetFrom().GetId(); id != "" && id == r.GetTo().GetId() {
				t.Fatalf("a path from %s to itself passed", id)
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
		case 8:
			var r pb.LoadArticlesRequest
			if proto.Unmarshal(data, &r) != nil {
				return
			}
			it := itemFromProto(&r, int(kind), l)
			if it.Err == nil && (it.Doc.ID == "" || strings.TrimSpace(it.Doc.Text) == "" || !utf8.ValidString(it.Doc.Text) ||
				len(it.Doc.Text) > l.MaxArticleBytes || len(it.Doc.Title) > doc.MaxTitleBytes || len(it.Doc.ID) > l.MaxIDBytes) {
				t.Fatalf("article %+v passed", it.Doc)
			}
			if it.Err != nil && (!errors.Is(it.Err, doc.ErrInvalid) || !strings.HasPrefix(it.Err.Error(), "article ")) {
				t.Fatalf("rejection %v does not wrap doc.ErrInvalid naming the article", it.Err)
			}
		case 9:
			var r pb.GetTimelineRequest
			if proto.Unmarshal(data, &r) != nil || !check(l.validateGetTimeline(&r)) {
				return
			}
			q := timelineQueryFromProto(&r, "ng:e/x/y", l)
			inRange("PageSize", q.PageSize, 1, l.MaxPageSize)
			inRange("MaxEvidence", q.MaxEvidence, 1, l.MaxEvidence)
		case 10:
			var r pb.ExportGraphRequest
			if proto.Unmarshal(data, &r) != nil || !check(l.validateExportGraph(&r)) {
				return
			}
			q := exportQueryFromProto(&r, l)
			if r.GetEntity() != nil {
				inRange("Depth", q.Depth, 1, l.MaxDepth)
				inRange("MaxNodes", q.MaxNodes, 1, l.MaxNeighbourhoodSize)
			}
		default:
			var r pb.StreamPathsRequest
			if proto.Unmarshal(data, &r) != nil {
				return
			}
			err := l.validateStreamPaths(&r)
			if check(err) {
				if id := r.GetQuery().GetFrom().GetId(); id != "" && id == r.GetQuery().GetTo().GetId() {
					t.Fatalf("a streamed path from %s to itself passed", id)
				}
				return
			}
			if fe := err.(*fieldError); !strings.HasPrefix(fe.field, "query") || !strings.HasPrefix(fe.msg, fe.field+": ") {
				t.Fatalf("field %q, message %q: want both under query", fe.field, fe.msg)
			}
		}
	})
}

// FuzzPageToken sends arbitrary page tokens, page sizes and filters to ListRelations,
// GetRelationsBetween and GetTimeline on a memstore holding the reference article:
// the answer is a page or INVALID_ARGUMENT naming the field (page_token for a token
// the server did not issue for the query), never another code or a panic; a
// next_page_token the server hands out is accepted for the next page of the same
// query. The seeds are genuine tokens.
//
//	go test ./server -run '^$' -fuzz '^FuzzPageToken$' -fuzztime 30s
func FuzzPageToken(f *testing.F) {
	ctx := context.Background()
	store := openStore(f, graph.BackendMemstore)
	cfg := DefaultConfig()
	cfg.LoadWorkers = 1
	s, err := New(store, newExtractor(f), cfg)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := s.pipe.Run(ctx, func(ctx context.Context, yield func(doc.Item) error) error {
		return yield(itemFromProto(referenceArticle(f), 0, cfg.Limits))
	}, func(loader.Result) {}); err != nil {
		f.Fatal(err)
	}
	us := byName("United States")
	for _, ps := range []int32{1, 2, 5} {
		page, err := s.ListRelations(ctx, &pb.ListRelationsRequest{Entity: us, PageSize: ps})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(page.GetNextPageToken(), ps, uint8(0))
		tl, err := s.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: us, PageSize: ps})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tl.GetNextPageToken(), ps, uint8(2))
	}
	f.Add("eyJhIjoid2FybmVkIiwiZiI6IjAwMDAifQ", int32(0), uint8(1))
	f.Add("not a token", int32(-1), uint8(3))
	f.Fuzz(func(t *testing.T, token string, pageSize int32, kind uint8) {
		preds := []string(nil)
		if kind&4 != 0 {
			preds = []string{"warned"}
		}
		// ask asks for the page at token, returning the next token.
		ask := func(token string) (string, error) {
			switch kind % 3 {
			case 0:
				r, err := s.ListRelations(ctx, &pb.ListRelationsRequest{Entity: us, Predicates: preds, PageSize: pageSize, PageToken: token})
				return r.GetNextPageToken(), err
			case 1:
				r, err := s.GetRelationsBetween(ctx, &pb.GetRelationsBetweenRequest{Entity: us, Other: byName("Russia"), Predicates: preds, PageSize: pageSize, PageToken: token})
				return r.GetNextPageToken(), err
			default:
				r, err := s.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: us, Predicates: preds, PageSize: pageSize, PageToken: token})
				return r.GetNextPageToken(), err
			}
		}
		next, err := ask(token)
		if err != nil {
			st := status.Convert(err)
			if st.Code() != codes.InvalidArgument {
				t.Fatalf("token %q, page size %d, kind %d: %v, want OK or INVALID_ARGUMENT", token, pageSize, kind, err)
			}
			if !strings.HasPrefix(st.Message(), "page_token: ") && !strings.HasPrefix(st.Message(), "page_size: ") &&
				!strings.Contains(st.Message(), "PageToken") { // GetTimeline says the store's message
				t.Fatalf("token %q: message %q does not name the field", token, st.Message())
			}
			return
		}
		if next == "" {
			return
		}
		if _, err := ask(next); err != nil {
			t.Fatalf("the next_page_token %q the server issued was refused: %v", next, err)
		}
	})
}
