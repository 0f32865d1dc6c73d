package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// snapshot is what a client can see of the stored data: the counts and the whole
// graph with its provenance.
type snapshot struct {
	stats  *pb.GetStatsResponse
	nquads string
}

func takeSnapshot(t *testing.T, c pb.NewsGraphServiceClient) snapshot {
	t.Helper()
	nq, _, err := exportAll(context.Background(), c, &pb.ExportGraphRequest{Full: true})
	if err != nil {
		t.Fatalf("ExportGraph: %v", err)
	}
	return snapshot{stats: stats(t, c), nquads: nq}
}

// unchanged fails the test when the stored data differs from before.
func (before snapshot) unchanged(t *testing.T, c pb.NewsGraphServiceClient) {
	t.Helper()
	after := takeSnapshot(t, c)
	if !proto.Equal(before.stats, after.stats) {
		t.Errorf("stats changed: %v, then %v", before.stats, after.stats)
	}
	if before.nquads != after.nquads {
		t.Errorf("export changed: %d bytes, then %d bytes", len(before.nquads), len(after.nquads))
	}
}

// TestBadArticles: each bad article sent through a real server onto a bolt store is
// REJECTED with a reason naming it (stream index and id) and the field; the good
// article in the same call goes through; the server keeps serving and the stored data
// is unchanged.
func TestBadArticles(t *testing.T) {
	ts := startServer(t, openStore(t, graph.BackendBolt), newExtractor(t), DefaultConfig())
	c := ts.client
	ref := referenceArticle(t)
	if _, err := load(t, c, ref); err != nil {
		t.Fatalf("LoadArticles: %v", err)
	}
	before := takeSnapshot(t, c)
	mib := 1 << 20
	art := func(id, text string) *pb.LoadArticlesRequest {
		return &pb.LoadArticlesRequest{Id: id, Title: "A title", Text: []byte(text)}
	}
	with := func(r *pb.LoadArticlesRequest, f func(*pb.LoadArticlesRequest)) *pb.LoadArticlesRequest {
		f(r)
		return r
	}
	for _, tc := range []struct {
		name string
		req  *pb.LoadArticlesRequest
		want string // the reason, after "article 0 (id ...): invalid article: "
	}{
		{"empty", art("empty", ""), "text is empty"},
		{"no text", &pb.LoadArticlesRequest{Id: "no-text", Title: "Kerry warned Lavrov"}, "text is empty"},
		{"white space only", art("blank", " \n\t\r\n  "), "text is only white space (7 bytes)"},
		{"binary", art("png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "text is not valid UTF-8 (at offset 0 of the text)"},
		{"invalid UTF-8", art("latin1", "Kerry met Lavrov in Gen\xe8ve."), "text is not valid UTF-8 (at offset 23 of the text)"},
		{"NUL byte", art("nul", "Kerry warned\x00 Lavrov."), "text looks binary (control byte 0x0 at offset 12 of the text)"},
		{"text over the limit", art("big", strings.Repeat("Kerry warned Lavrov. ", doc.DefaultMaxBytes/21+1)), fmt.Sprintf("text is %d bytes, want at most %d", 21*(doc.DefaultMaxBytes/21+1), doc.DefaultMaxBytes)},
		{"no id", art("", "Kerry warned Lavrov."), "id is empty"},
		{"id of 1 MB", art(strings.Repeat("i", mib), "Kerry warned Lavrov."), fmt.Sprintf("id is %d bytes, want at most 512", mib)},
		{"date in the future", with(art("future", "Kerry warned Lavrov."), func(r *pb.LoadArticlesRequest) { r.Published = "2999-01-01" }), "published 2999-01-01 is in the future"},
		{"not a date", with(art("notdate", "Kerry warned Lavrov."), func(r *pb.LoadArticlesRequest) { r.Published = "last Tuesday" }), `published "last Tuesday" is not a date`},
		{"title of 1 MB", with(art("bigtitle", "Kerry warned Lavrov."), func(r *pb.LoadArticlesRequest) { r.Title = strings.Repeat("t", mib) }), fmt.Sprintf("title is %d bytes, want at most %d", mib, doc.MaxTitleBytes)},
		{"control byte in the title", with(art("ctltitle", "Kerry warned Lavrov."), func(r *pb.LoadArticlesRequest) { r.Title = "a\x07b" }), "title holds control byte 0x7 at offset 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := load(t, c, tc.req, ref)
			if err != nil {
				t.Fatalf("LoadArticles: %v", err)
			}
			rs := resp.GetResults()
			if len(rs) != 2 {
				t.Fatalf("results %v, want 2", rs)
			}
			id := strings.TrimSpace(tc.req.GetId())
			who := "article 0"
			if id != "" && len(id) <= DefaultConfig().MaxIDBytes {
				who = fmt.Sprintf("article 0 (id %q)", id)
			}
			want := who + ": invalid article: " + tc.want
			if rs[0].GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_REJECTED || !strings.HasPrefix(rs[0].GetReason(), want) {
				t.Errorf("result 0: %v %.200q, want REJECTED %q", rs[0].GetStatus(), rs[0].GetReason(), want)
			}
			if rs[1].GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_UNCHANGED {
				t.Errorf("result 1 (the reference article again): %v, want UNCHANGED", rs[1])
			}
			if s := resp.GetSummary(); s.GetRejected() != 1 || s.GetUnchanged() != 1 {
				t.Errorf("summary %v", s)
			}
		})
	}
	ts.serving(t)
	before.unchanged(t, c)
}

// TestBadArticlesStoreTheOthers: the good articles of a call with bad ones are stored:
// next to an article over MaxArticleBytes, next to the same id twice (applied in
// stream order: the second replaces the first), and before an article of 100 MB,
// which is over the message limit (MaxRecvMsgBytes) and ends the call with
// RESOURCE_EXHAUSTED.
func TestBadArticlesStoreTheOthers(t *testing.T) {
	ts := startServer(t, openStore(t, graph.BackendBolt), newExtractor(t), DefaultConfig())
	c := ts.client
	art := func(id, title, text string) *pb.LoadArticlesRequest {
		return &pb.LoadArticlesRequest{Id: id, Title: title, Published: "2016-09-28", Text: []byte(text)}
	}
	resp, err := load(t, c,
		art("a", "Title A", "Russia bombed Aleppo on Monday."),
		art("big", "Big", strings.Repeat("x", doc.DefaultMaxBytes+1)),
		art("dup", "First version", "Kerry met Lavrov in Geneva."),
		art("dup", "Second version", "Kerry met Lavrov in Geneva on Friday."),
		art("b", "Title B", "Syria seized Farafira."),
	)
	if err != nil {
		t.Fatalf("LoadArticles: %v", err)
	}
	want := []pb.ArticleStatus{
		pb.ArticleStatus_ARTICLE_STATUS_STORED, pb.ArticleStatus_ARTICLE_STATUS_REJECTED,
		pb.ArticleStatus_ARTICLE_STATUS_STORED, pb.ArticleStatus_ARTICLE_STATUS_REPLACED,
		pb.ArticleStatus_ARTICLE_STATUS_STORED,
	}
	for i, r := range resp.GetResults() {
		if i < len(want) && r.GetStatus() != want[i] {
			t.Errorf("result %d: %v, want %v", i, r, want[i])
		}
	}
	if s := stats(t, c); s.GetArticles() != 3 {
		t.Errorf("%d articles stored, want 3 (a, dup, b)", s.GetArticles())
	}
	nq, _, err := exportAll(context.Background(), c, &pb.ExportGraphRequest{Full: true})
	if err != nil {
		t.Fatalf("ExportGraph: %v", err)
	}
	if !strings.Contains(nq, `"Second version"`) || strings.Contains(nq, `"First version"`) {
		t.Errorf("the stored dup is not the second version")
	}

	// 100 MB: the message limit ends the call; the article before it is stored.
	huge := art("huge", "Huge", "")
	huge.Text = bytes.Repeat([]byte("x"), 100<<20)
	_, err = load(t, c, art("c", "Title C", "Kerry warned Lavrov."), huge, art("d", "Title D", "Never sent."))
	if st := status.Convert(err); st.Code() != codes.ResourceExhausted || !strings.Contains(st.Message(), "larger than max") {
		t.Errorf("LoadArticles with 100 MB: %v, want RESOURCE_EXHAUSTED (message larger than max)", err)
	}
	huge = nil
	if s := stats(t, c); s.GetArticles() != 4 {
		t.Errorf("%d articles stored, want 4 (c, before the 100 MB article, too)", s.GetArticles())
	}
	ts.serving(t)
}

// TestBadQueries: abusive and wrong queries through a real server on a bolt store
// holding the reference article get INVALID_ARGUMENT or NOT_FOUND with a message that
// starts with the field; the server keeps serving and nothing stored changes.
func TestBadQueries(t *testing.T) {
	ts := startServer(t, openStore(t, graph.BackendBolt), newExtractor(t), DefaultConfig())
	c := ts.client
	ctx := context.Background()
	if _, err := load(t, c, referenceArticle(t)); err != nil {
		t.Fatalf("LoadArticles: %v", err)
	}
	before := takeSnapshot(t, c)

	// A genuine token of the first page of the United States' relations.
	us := byName("United States")
	first, err := c.ListRelations(ctx, &pb.ListRelationsRequest{Entity: us, PageSize: 1})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("ListRelations page 1: %v, %v; want a next page", first, err)
	}
	token := first.GetNextPageToken()
	if _, err := c.ListRelations(ctx, &pb.ListRelationsRequest{Entity: us, PageSize: 5, PageToken: token}); err != nil {
		t.Fatalf("ListRelations page 2 with the token: %v", err)
	}
	tl, err := c.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: us, PageSize: 1})
	if err != nil || tl.GetNextPageToken() == "" {
		t.Fatalf("GetTimeline page 1: %v, %v; want a next page", tl, err)
	}
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"a":"warned","f":"0000"}`))
	mib := strings.Repeat("n", 1<<20)
	kerry := byName("John Kerry")

	type call func(context.Context) error
	list := func(r *pb.ListRelationsRequest) call {
		if r.Entity == nil {
			r.Entity = us
		}
		return func(ctx context.Context) error { _, err := c.ListRelations(ctx, r); return err }
	}
	paths := func(r *pb.FindPathsRequest) call {
		if r.From == nil {
			r.From = kerry
		}
		if r.To == nil {
			r.To = byName("Aleppo")
		}
		return func(ctx context.Context) error { _, err := c.FindPaths(ctx, r); return err }
	}
	stream := func(r *pb.FindPathsRequest) call {
		return func(ctx context.Context) error {
			s, err := c.StreamPaths(ctx, &pb.StreamPathsRequest{Query: r})
			if err != nil {
				return err
			}
			for {
				if _, err := s.Recv(); err != nil {
					if err.Error() == "EOF" {
						return nil
					}
					return err
				}
			}
		}
	}
	hood := func(r *pb.GetNeighbourhoodRequest) call {
		if r.Entity == nil {
			r.Entity = us
		}
		return func(ctx context.Context) error { _, err := c.GetNeighbourhood(ctx, r); return err }
	}
	entity := func(sel *pb.EntitySelector) call {
		return func(ctx context.Context) error {
			_, err := c.GetEntity(ctx, &pb.GetEntityRequest{Entity: sel})
			return err
		}
	}
	for _, tc := range []struct {
		name string
		call call
		code codes.Code
		want string // the start of the message
	}{
		{"depth far over the cap", hood(&pb.GetNeighbourhoodRequest{Depth: 1 << 30}), codes.InvalidArgument, "depth: 1073741824, want 0..4"},
		{"negative depth", hood(&pb.GetNeighbourhoodRequest{Depth: -1}), codes.InvalidArgument, "depth: -1, want 0..4"},
		{"neighbourhood size far over the cap", hood(&pb.GetNeighbourhoodRequest{MaxNodes: 1 << 30}), codes.InvalidArgument, "max_nodes: 1073741824, want 0..5000"},
		{"export depth far over the cap", func(ctx context.Context) error {
			_, _, err := exportAll(ctx, c, &pb.ExportGraphRequest{Entity: us, Depth: 1 << 30})
			return err
		}, codes.InvalidArgument, "depth: 1073741824, want 0..4"},
		{"page size far over the cap", list(&pb.ListRelationsRequest{PageSize: 1 << 30}), codes.InvalidArgument, "page_size: 1073741824, want 0..1000"},
		{"k far over the cap", paths(&pb.FindPathsRequest{K: 1 << 30}), codes.InvalidArgument, "k: 1073741824, want 0..10"},
		{"hops far over the cap", paths(&pb.FindPathsRequest{MaxHops: 1 << 30}), codes.InvalidArgument, "max_hops: 1073741824, want 0..6"},
		{"streamed hops far over the cap", stream(&pb.FindPathsRequest{From: kerry, To: us, MaxHops: 1 << 30}), codes.InvalidArgument, "query.max_hops: 1073741824, want 0..6"},
		{"path budget far over the cap", paths(&pb.FindPathsRequest{MaxNodes: 1 << 30}), codes.InvalidArgument, "max_nodes: 1073741824, want 0..100000"},
		{"search limit far over the cap", func(ctx context.Context) error {
			_, err := c.SearchEntities(ctx, &pb.SearchEntitiesRequest{Query: "Kerry", Limit: 1 << 30})
			return err
		}, codes.InvalidArgument, "limit: 1073741824, want 0..100"},
		{"path from an entity to itself by name", paths(&pb.FindPathsRequest{From: kerry, To: kerry}), codes.InvalidArgument, `to.name: "John Kerry" names ng:e/person/john_kerry, the same entity as from`},
		{"path from an entity to itself by two names", paths(&pb.FindPathsRequest{From: us, To: byName("US")}), codes.InvalidArgument, `to.name: "US" names ng:e/state/united_states, the same entity as from`},
		{"path from an entity to itself by IRI", paths(&pb.FindPathsRequest{From: byID("ng:e/state/united_states"), To: byID("ng:e/state/united_states")}), codes.InvalidArgument, `to.id: "ng:e/state/united_states" is the same entity as from`},
		{"streamed path from an entity to itself", stream(&pb.FindPathsRequest{From: kerry, To: kerry}), codes.InvalidArgument, `query.to.name: "John Kerry" names ng:e/person/john_kerry, the same entity as from`},
		{"unknown name", entity(byName("Atlantis")), codes.NotFound, `entity.name: no entity is named "Atlantis"`},
		{"unknown name of a type", entity(&pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "John Kerry"}, Type: pb.EntityType_ENTITY_TYPE_CITY}), codes.NotFound, `entity.name: no entity of type ENTITY_TYPE_CITY is named "John Kerry"`},
		{"unknown IRI", entity(byID("ng:e/city/atlantis")), codes.NotFound, `entity.id: entity "ng:e/city/atlantis"`},
		{"unknown path end", paths(&pb.FindPathsRequest{To: byName("Atlantis")}), codes.NotFound, `to.name: no entity is named "Atlantis"`},
		{"empty name", entity(byName("")), codes.InvalidArgument, `entity.name: "", want a non-empty name`},
		{"blank name", entity(byName(" \t")), codes.InvalidArgument, `entity.name: " \t", want a non-empty name`},
		{"name of 1 MB", entity(byName(mib)), codes.InvalidArgument, "entity.name: 1048576 bytes, want at most 256"},
		{"IRI of 1 MB", entity(byID("ng:e/" + mib)), codes.InvalidArgument, "entity.id: 1048581 bytes, want at most 512"},
		{"search of 1 MB", func(ctx context.Context) error {
			_, err := c.SearchEntities(ctx, &pb.SearchEntitiesRequest{Query: mib})
			return err
		}, codes.InvalidArgument, "query: 1048576 bytes, want at most 256"},
		{"search without letters", func(ctx context.Context) error {
			_, err := c.SearchEntities(ctx, &pb.SearchEntitiesRequest{Query: "!!!"})
			return err
		}, codes.InvalidArgument, `query: "!!!" has no letters or digits, want a name`},
		{"name without letters", entity(byName("--")), codes.InvalidArgument, `entity.name: "--" has no letters or digits, want a name`},
		{"malformed predicate", list(&pb.ListRelationsRequest{Predicates: []string{"warned", "Warned!"}}), codes.InvalidArgument, `predicates[1]: "Warned!", want a relation name`},
		{"predicate of 1 MB", paths(&pb.FindPathsRequest{Predicates: []string{mib}}), codes.InvalidArgument, `predicates[0]: "nnnn`},
		{"unknown modality", list(&pb.ListRelationsRequest{Modalities: []pb.Modality{42}}), codes.InvalidArgument, "modalities[0]: 42, want one of"},
		{"unknown path modality", paths(&pb.FindPathsRequest{Modalities: []pb.Modality{pb.Modality_MODALITY_HEDGED, 42}}), codes.InvalidArgument, "modalities[1]: 42, want one of"},
		{"unknown direction", list(&pb.ListRelationsRequest{Direction: 7}), codes.InvalidArgument, "direction: 7, want one of"},
		{"unknown entity type", entity(&pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "Kerry"}, Type: 99}), codes.InvalidArgument, "entity.type: 99, want one of"},
		{"not a date", list(&pb.ListRelationsRequest{EventDateFrom: "yesterday"}), codes.InvalidArgument, `event_date_from: "yesterday", want a date YYYY-MM-DD`},
		{"forged page token", list(&pb.ListRelationsRequest{PageToken: "not-a-token"}), codes.InvalidArgument, `page_token: "not-a-token" was not issued for this query`},
		{"forged well-formed page token", list(&pb.ListRelationsRequest{PageToken: forged}), codes.InvalidArgument, "page_token: " + quote(forged) + " was not issued for this query"},
		{"stale page token of another filter", list(&pb.ListRelationsRequest{Predicates: []string{"warned"}, PageToken: token}), codes.InvalidArgument, "page_token: " + quote(token) + " was not issued for this query"},
		{"stale page token of another entity", list(&pb.ListRelationsRequest{Entity: byName("Russia"), PageToken: token}), codes.InvalidArgument, "page_token: " + quote(token) + " was not issued for this query"},
		{"page token between others", func(ctx context.Context) error {
			_, err := c.GetRelationsBetween(ctx, &pb.GetRelationsBetweenRequest{Entity: us, Other: byName("Russia"), PageToken: token})
			return err
		}, codes.InvalidArgument, "page_token: " + quote(token) + " was not issued for this query"},
		{"page token of 2 KB", list(&pb.ListRelationsRequest{PageToken: strings.Repeat("t", 2048)}), codes.InvalidArgument, "page_token: 2048 bytes, want at most 1024"},
		{"forged timeline token", func(ctx context.Context) error {
			_, err := c.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: us, PageToken: "not-a-token"})
			return err
		}, codes.InvalidArgument, `page_token: "not-a-token" was not issued for this query`},
		{"timeline token of ListRelations", func(ctx context.Context) error {
			_, err := c.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: us, PageToken: token})
			return err
		}, codes.InvalidArgument, "page_token: " + quote(token) + " was not issued for this query"},
		{"delete of an unknown article", func(ctx context.Context) error {
			_, err := c.DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: "no-such-article"})
			return err
		}, codes.NotFound, "article_id: "},
		{"delete of an empty id", func(ctx context.Context) error {
			_, err := c.DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: " "})
			return err
		}, codes.InvalidArgument, `article_id: " ", want the id of a stored article`},
		{"delete of a 1 MB id", func(ctx context.Context) error {
			_, err := c.DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: mib})
			return err
		}, codes.InvalidArgument, "article_id: 1048576 bytes, want at most 512"},
		// A well-formed relation name that no article used is a filter that keeps
		// nothing: OK with no relations (the server does not know the vocabulary).
		{"unknown predicate", list(&pb.ListRelationsRequest{Predicates: []string{"teleported"}}), codes.OK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(ctx)
			st := status.Convert(err)
			if st.Code() != tc.code {
				t.Fatalf("code %v (%.300v), want %v", st.Code(), err, tc.code)
			}
			if !strings.HasPrefix(st.Message(), tc.want) {
				t.Errorf("message %.300q, want it to start with %q", st.Message(), tc.want)
			}
			if tc.code == codes.InvalidArgument && tc.want == "" && !strings.Contains(st.Message(), "PageToken") && !strings.HasPrefix(st.Message(), "page_token: ") {
				t.Errorf("message %.300q, want it to name the page token", st.Message())
			}
		})
	}
	ts.serving(t)
	before.unchanged(t, c)
}
