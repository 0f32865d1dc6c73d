package server

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// badRequests are requests with one bad field each: the field, the call, and a piece
// of the message that shows the value.
func badRequests() []struct {
	field, value string
	call         func(context.Context, pb.NewsGraphServiceClient) error
} {
	long := strings.Repeat("x", 300)
	sel := byName("United States")
	type c = struct {
		field, value string
		call         func(context.Context, pb.NewsGraphServiceClient) error
	}
	getEntity := func(s *pb.EntitySelector) func(context.Context, pb.NewsGraphServiceClient) error {
		return func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.GetEntity(ctx, &pb.GetEntityRequest{Entity: s})
			return err
		}
	}
	search := func(r *pb.SearchEntitiesRequest) func(context.Context, pb.NewsGraphServiceClient) error {
		return func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.SearchEntities(ctx, r)
			return err
		}
	}
	list := func(r *pb.ListRelationsRequest) func(context.Context, pb.NewsGraphServiceClient) error {
		if r.Entity == nil {
			r.Entity = sel
		}
		return func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.ListRelations(ctx, r)
			return err
		}
	}
	between := func(r *pb.GetRelationsBetweenRequest) func(context.Context, pb.NewsGraphServiceClient) error {
		return func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.GetRelationsBetween(ctx, r)
			return err
		}
	}
	paths := func(r *pb.FindPathsRequest) func(context.Context, pb.NewsGraphServiceClient) error {
		if r.From == nil {
			r.From = sel
		}
		if r.To == nil {
			r.To = byName("John Kerry")
		}
		return func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.FindPaths(ctx, r)
			return err
		}
	}
	hood := func(r *pb.GetNeighbourhoodRequest) func(context.Context, pb.NewsGraphServiceClient) error {
		if r.Entity == nil {
			r.Entity = sel
		}
		return func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.GetNeighbourhood(ctx, r)
			return err
		}
	}
	many := make([]string, 33)
	for i := range many {
		many[i] = "warned"
	}
	return []c{
		{"entity", "missing", getEntity(nil)},
		{"entity", "missing", getEntity(&pb.EntitySelector{Type: pb.EntityType_ENTITY_TYPE_STATE})},
		{"entity.id", `""`, getEntity(byID(""))},
		{"entity.id", `"united_states"`, getEntity(byID("united_states"))},
		{"entity.id", "bytes", getEntity(byID("ng:e/state/" + strings.Repeat("x", 600)))},
		{"entity.name", `"  "`, getEntity(byName("  "))},
		{"entity.name", "300 bytes", getEntity(byName(long))},
		{"entity.type", "42", getEntity(&pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "US"}, Type: 42})},
		{"query", `""`, search(&pb.SearchEntitiesRequest{})},
		{"query", "300 bytes", search(&pb.SearchEntitiesRequest{Query: long})},
		{"query", `"?!" has no letters or digits`, search(&pb.SearchEntitiesRequest{Query: "?!"})},
		{"entity.name", `"..." has no letters or digits`, getEntity(byName("..."))},
		{"mode", "7", search(&pb.SearchEntitiesRequest{Query: "US", Mode: 7})},
		{"types[1]", "ENTITY_TYPE_UNSPECIFIED", search(&pb.SearchEntitiesRequest{Query: "US", Types: []pb.EntityType{pb.EntityType_ENTITY_TYPE_CITY, 0}})},
		{"limit", "101", search(&pb.SearchEntitiesRequest{Query: "US", Limit: 101})},
		{"limit", "-1", search(&pb.SearchEntitiesRequest{Query: "US", Limit: -1})},
		{"entity", "missing", func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.ListRelations(ctx, &pb.ListRelationsRequest{})
			return err
		}},
		{"page_size", "2000000, want 0..1000", list(&pb.ListRelationsRequest{PageSize: 2000000})},
		{"page_size", "-1", list(&pb.ListRelationsRequest{PageSize: -1})},
		{"page_token", "2000 bytes", list(&pb.ListRelationsRequest{PageToken: strings.Repeat("t", 2000)})},
		{"predicates[1]", `"Warned!"`, list(&pb.ListRelationsRequest{Predicates: []string{"warned", "Warned!"}})},
		{"predicates[0]", `""`, list(&pb.ListRelationsRequest{Predicates: []string{""}})},
		{"predicates", "33 predicates", list(&pb.ListRelationsRequest{Predicates: many})},
		{"direction", "9", list(&pb.ListRelationsRequest{Direction: 9})},
		{"event_date_from", `"2016-13-01"`, list(&pb.ListRelationsRequest{EventDateFrom: "2016-13-01"})},
		{"event_date_to", `"28/09/2016"`, list(&pb.ListRelationsRequest{EventDateTo: "28/09/2016"})},
		{"event_date_to", "2016-01-01 is before", list(&pb.ListRelationsRequest{EventDateFrom: "2016-02-01", EventDateTo: "2016-01-01"})},
		{"modalities[0]", "MODALITY_UNSPECIFIED", list(&pb.ListRelationsRequest{Modalities: []pb.Modality{0}})},
		{"modalities[1]", "12", list(&pb.ListRelationsRequest{Modalities: []pb.Modality{1, 12}})},
		{"min_sources", "-3", list(&pb.ListRelationsRequest{MinSources: -3})},
		{"max_evidence", "101", list(&pb.ListRelationsRequest{MaxEvidence: 101})},
		{"other", "missing", between(&pb.GetRelationsBetweenRequest{Entity: sel})},
		{"other.name", `""`, between(&pb.GetRelationsBetweenRequest{Entity: sel, Other: byName("")})},
		{"page_size", "5000", between(&pb.GetRelationsBetweenRequest{Entity: sel, Other: sel, PageSize: 5000})},
		{"from", "missing", func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.FindPaths(ctx, &pb.FindPathsRequest{To: sel})
			return err
		}},
		{"to.id", `"ng:e/"`, paths(&pb.FindPathsRequest{To: byID("ng:e/")})},
		{"to.id", `"ng:e/state/united_states" is the same entity as from`, paths(&pb.FindPathsRequest{From: byID("ng:e/state/united_states"), To: byID("ng:e/state/united_states")})},
		{"k", "11", paths(&pb.FindPathsRequest{K: 11})},
		{"k", "-1", paths(&pb.FindPathsRequest{K: -1})},
		{"max_hops", "1000000", paths(&pb.FindPathsRequest{MaxHops: 1000000})},
		{"max_nodes", "100001", paths(&pb.FindPathsRequest{MaxNodes: 100001})},
		{"max_evidence", "-5", paths(&pb.FindPathsRequest{MaxEvidence: -5})},
		{"predicates[0]", `"bombed by"`, paths(&pb.FindPathsRequest{Predicates: []string{"bombed by"}})},
		{"depth", "5, want 0..4", hood(&pb.GetNeighbourhoodRequest{Depth: 5})},
		{"depth", "2147483647", hood(&pb.GetNeighbourhoodRequest{Depth: 2147483647})},
		{"max_nodes", "5001", hood(&pb.GetNeighbourhoodRequest{MaxNodes: 5001})},
		{"article_id", `""`, func(ctx context.Context, cl pb.NewsGraphServiceClient) error {
			_, err := cl.DeleteArticle(ctx, &pb.DeleteArticleRequest{})
			return err
		}},
	}
}

// TestValidation: every bad field is INVALID_ARGUMENT with a message naming the field
// and the value, and a BadRequest detail naming the field; the server keeps serving.
func TestValidation(t *testing.T) {
	ts := startServer(t, newFakeStore(), fakeExtractor{}, DefaultConfig())
	ctx := context.Background()
	for _, tt := range badRequests() {
		t.Run(tt.field, func(t *testing.T) {
			err := tt.call(ctx, ts.client)
			st := status.Convert(err)
			if st.Code() != codes.InvalidArgument {
				t.Fatalf("code %v (%v), want InvalidArgument", st.Code(), err)
			}
			if !strings.HasPrefix(st.Message(), tt.field+": ") || !strings.Contains(st.Message(), tt.value) {
				t.Errorf("message %q, want it to start with %q and show %q", st.Message(), tt.field+": ", tt.value)
			}
			var field string
			for _, d := range st.Details() {
				if br, ok := d.(*errdetails.BadRequest); ok {
					field = br.GetFieldViolations()[0].GetField()
				}
			}
			if field != tt.field {
				t.Errorf("BadRequest field %q, want %q", field, tt.field)
			}
		})
	}
	ts.serving(t)
}

func TestNotFoundAndResolution(t *testing.T) {
	ts := startServer(t, newFakeStore(), fakeExtractor{}, DefaultConfig())
	ctx := context.Background()
	for _, sel := range []*pb.EntitySelector{byName("Atlantis"), byID("ng:e/city/atlantis"),
		{Selector: &pb.EntitySelector_Name{Name: "John Kerry"}, Type: pb.EntityType_ENTITY_TYPE_CITY}} {
		_, err := ts.client.GetEntity(ctx, &pb.GetEntityRequest{Entity: sel})
		if st := status.Convert(err); st.Code() != codes.NotFound || !strings.HasPrefix(st.Message(), "entity.") {
			t.Errorf("GetEntity(%v): %v, want NotFound naming the field", sel, err)
		}
	}
	_, err := ts.client.FindPaths(ctx, &pb.FindPathsRequest{From: byName("John Kerry"), To: byName("Atlantis")})
	if st := status.Convert(err); st.Code() != codes.NotFound || !strings.Contains(st.Message(), `to.name: no entity is named "Atlantis"`) {
		t.Errorf("FindPaths to Atlantis: %v, want NotFound naming to.name", err)
	}
	_, err = ts.client.DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: "nope"})
	if status.Code(err) != codes.NotFound {
		t.Errorf("DeleteArticle(nope): %v, want NotFound", err)
	}

	// Two entities are named "United States": the most mentioned wins, unless a type
	// is given.
	resp, err := ts.client.GetEntity(ctx, &pb.GetEntityRequest{Entity: byName("United States")})
	if err != nil || resp.GetEntity().GetId() != "ng:e/state/united_states" {
		t.Errorf("GetEntity(United States) = %v, %v; want the state", resp, err)
	}
	resp, err = ts.client.GetEntity(ctx, &pb.GetEntityRequest{Entity: &pb.EntitySelector{
		Selector: &pb.EntitySelector_Name{Name: "United States"}, Type: pb.EntityType_ENTITY_TYPE_ORGANISATION}})
	if err != nil || resp.GetEntity().GetId() != "ng:e/organisation/united_states" {
		t.Errorf("GetEntity(United States, organisation) = %v, %v; want the organisation", resp, err)
	}
}

// TestDefaults: fields left at 0 reach the store as the documented defaults.
func TestDefaults(t *testing.T) {
	store := newFakeStore()
	ts := startServer(t, store, fakeExtractor{}, DefaultConfig())
	_, err := ts.client.ListRelations(context.Background(), &pb.ListRelationsRequest{
		Entity: byName("United States"), EventDateFrom: "2016-09-01", EventDateTo: "2016-09-30",
		Modalities: []pb.Modality{pb.Modality_MODALITY_HEDGED}, Direction: pb.Direction_DIRECTION_INCOMING,
	})
	if err != nil {
		t.Fatal(err)
	}
	store.mu.Lock()
	q := store.lastRel
	store.mu.Unlock()
	if q.EntityID != "ng:e/state/united_states" || q.PageSize != 50 || q.MaxEvidence != 3 ||
		q.From.Format(dateLayout) != "2016-09-01" || q.To.Format(dateLayout) != "2016-09-30" ||
		len(q.Modalities) != 1 || q.Modalities[0] != "hedged" || q.Direction != 2 {
		t.Errorf("store got %+v", q)
	}
}

// TestUnknownPredicate: with Config.Predicates set (newsgraph serve gives the
// extractor's), a well-formed predicate not among them is INVALID_ARGUMENT naming the
// field and listing the known ones, in every filter that takes predicates; a known one
// answers. Without Config.Predicates any well-formed name is accepted, as before.
func TestUnknownPredicate(t *testing.T) {
	x := newExtractor(t)
	known := x.Predicates()
	for _, want := range []string{"attacked", "warned", "based_in", "holds_role", "lives_in", "located_in", "member_of"} {
		if !slices.Contains(known, want) {
			t.Fatalf("extractor predicates %v lack %q", known, want)
		}
	}
	cfg := DefaultConfig()
	cfg.Predicates = known
	checked := startServer(t, openStore(t, graph.BackendBolt), x, cfg)
	open := startServer(t, openStore(t, graph.BackendBolt), x, DefaultConfig())
	for _, ts := range []*testServer{checked, open} {
		if _, err := load(t, ts.client, referenceArticle(t)); err != nil {
			t.Fatalf("LoadArticles: %v", err)
		}
	}
	us, russia, kerry := byName("United States"), byName("Russia"), byName("John Kerry")
	list := "want one of " + strings.Join(known, ", ")

	type call func(context.Context, pb.NewsGraphServiceClient, []string) error
	for _, tc := range []struct {
		name  string
		call  call
		field string // the field of the first predicate
	}{
		{"ListRelations", func(ctx context.Context, c pb.NewsGraphServiceClient, ps []string) error {
			_, err := c.ListRelations(ctx, &pb.ListRelationsRequest{Entity: us, Predicates: ps})
			return err
		}, "predicates"},
		{"GetRelationsBetween", func(ctx context.Context, c pb.NewsGraphServiceClient, ps []string) error {
			_, err := c.GetRelationsBetween(ctx, &pb.GetRelationsBetweenRequest{Entity: us, Other: russia, Predicates: ps})
			return err
		}, "predicates"},
		{"GetTimeline", func(ctx context.Context, c pb.NewsGraphServiceClient, ps []string) error {
			_, err := c.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: us, Predicates: ps})
			return err
		}, "predicates"},
		{"FindPaths", func(ctx context.Context, c pb.NewsGraphServiceClient, ps []string) error {
			_, err := c.FindPaths(ctx, &pb.FindPathsRequest{From: kerry, To: russia, Predicates: ps})
			return err
		}, "predicates"},
		{"StreamPaths", func(ctx context.Context, c pb.NewsGraphServiceClient, ps []string) error {
			s, err := c.StreamPaths(ctx, &pb.StreamPathsRequest{Query: &pb.FindPathsRequest{From: kerry, To: russia, Predicates: ps}})
			if err != nil {
				return err
			}
			for {
				if _, err := s.Recv(); err != nil {
					if errors.Is(err, io.EOF) {
						return nil
					}
					return err
				}
			}
		}, "query.predicates"},
		{"GetNeighbourhood", func(ctx context.Context, c pb.NewsGraphServiceClient, ps []string) error {
			_, err := c.GetNeighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: us, Predicates: ps})
			return err
		}, "predicates"},
		{"ExportGraph", func(ctx context.Context, c pb.NewsGraphServiceClient, ps []string) error {
			_, _, err := exportAll(ctx, c, &pb.ExportGraphRequest{Entity: us, Predicates: ps})
			return err
		}, "predicates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			for _, ps := range [][]string{{"warned"}, {"warned", "located_in"}} {
				if err := tc.call(ctx, checked.client, ps); err != nil {
					t.Errorf("known predicates %v: %v, want OK", ps, err)
				}
			}
			for _, bad := range []struct {
				ps    []string
				field string
			}{
				{[]string{"bombd"}, tc.field + "[0]"},
				{[]string{"warned", "bombd"}, tc.field + "[1]"},
			} {
				err := tc.call(ctx, checked.client, bad.ps)
				st := status.Convert(err)
				want := bad.field + `: "bombd" is not a known predicate, ` + list
				if st.Code() != codes.InvalidArgument || st.Message() != want {
					t.Errorf("predicates %v: %v %q, want InvalidArgument %q", bad.ps, st.Code(), st.Message(), want)
				}
				var field string
				for _, d := range st.Details() {
					if br, ok := d.(*errdetails.BadRequest); ok {
						field = br.GetFieldViolations()[0].GetField()
					}
				}
				if field != bad.field {
					t.Errorf("predicates %v: BadRequest field %q, want %q", bad.ps, field, bad.field)
				}
				if err := tc.call(ctx, open.client, bad.ps); err != nil {
					t.Errorf("predicates %v without Config.Predicates: %v, want OK (any well-formed name)", bad.ps, err)
				}
			}
		})
	}
	checked.serving(t)

	t.Run("known predicate finds relations", func(t *testing.T) {
		resp, err := checked.client.ListRelations(context.Background(), &pb.ListRelationsRequest{Entity: us, Predicates: []string{"warned"}})
		if err != nil || len(resp.GetRelations()) == 0 {
			t.Fatalf("ListRelations(United States, warned) = %v, %v; want relations", resp, err)
		}
	})
	t.Run("message lists each predicate once, sorted", func(t *testing.T) {
		l := Limits{MaxPredicates: 4, Predicates: []string{"warned", "met", "warned"}}
		err := l.checkPredicates("predicates", []string{"bombd"})
		if want := `predicates[0]: "bombd" is not a known predicate, want one of met, warned`; err == nil || err.Error() != want {
			t.Errorf("checkPredicates = %v, want %q", err, want)
		}
	})
}
