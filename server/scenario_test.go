package server

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

const referencePath = "testdata/2016-09-28-us-threatens-to-end-syria-talks.txt"

// openStore opens a real store of the backend for the test, with the caps the server
// documents.
func openStore(t testing.TB, backend string) graph.Store {
	t.Helper()
	cfg := DefaultConfig().StoreConfig(graph.DefaultConfig())
	cfg.Backend = backend
	if backend == graph.BackendBolt {
		cfg.Path = t.TempDir()
		cfg.NoSync = true
	}
	s, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("graph.Open(%s): %v", backend, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func newExtractor(t testing.TB) *extract.Extractor {
	t.Helper()
	x, err := extract.New(extract.Config{})
	if err != nil {
		t.Fatalf("extract.New: %v", err)
	}
	return x
}

// referenceArticle is the reference article as newsgraph load sends it.
func referenceArticle(t testing.TB) *pb.LoadArticlesRequest {
	t.Helper()
	data, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.ParseText(referencePath, data)
	return &pb.LoadArticlesRequest{
		Id: d.ID, Url: d.URL, Title: d.Title, Source: "example",
		Published: d.Published.Format(time.RFC3339), Text: []byte(d.Text),
	}
}

// TestScenario runs the reference case through a real server, store and extractor on
// every embedded backend: load, relations with evidence, paths, idempotent re-load,
// abusive queries, delete.
func TestScenario(t *testing.T) {
	for _, backend := range []string{graph.BackendMemstore, graph.BackendBolt} {
		t.Run(backend, func(t *testing.T) {
			ts := startServer(t, openStore(t, backend), newExtractor(t), DefaultConfig())
			testScenario(t, ts)
		})
	}
}

func testScenario(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.client
	art := referenceArticle(t)

	resp, err := load(t, c, art)
	if err != nil {
		t.Fatalf("LoadArticles: %v", err)
	}
	if r := resp.GetResults(); len(r) != 1 || r[0].GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_STORED || r[0].GetStatements() == 0 {
		t.Fatalf("LoadArticles results %v, want one STORED article with statements", r)
	}
	before := stats(t, c)
	if before.GetQuads() == 0 || before.GetArticles() != 1 {
		t.Fatalf("stats after load: %v", before)
	}

	t.Run("relations US warned", func(t *testing.T) {
		rel, err := c.ListRelations(ctx, &pb.ListRelationsRequest{
			Entity: byName("United States"), Predicates: []string{"warned"}, Direction: pb.Direction_DIRECTION_OUTGOING,
		})
		if err != nil {
			t.Fatalf("ListRelations: %v", err)
		}
		var found *pb.Relation
		for _, r := range rel.GetRelations() {
			if r.GetPredicate() != "warned" {
				t.Errorf("relation %v does not match the predicate filter", r)
			}
			if r.GetObject().GetName() == "Russia" {
				found = r
			}
		}
		if found == nil {
			t.Fatalf("no United States --warned--> Russia in %v", rel.GetRelations())
		}
		if found.GetSubject().GetId() != "ng:e/state/united_states" || found.GetArticleCount() != 1 || len(found.GetEvidence()) == 0 {
			t.Errorf("relation %v", found)
		}
		ev := found.GetEvidence()[0]
		if !strings.Contains(ev.GetSentence(), "warned") || ev.GetArticleId() != art.GetId() ||
			ev.GetArticleTitle() != art.GetTitle() || ev.GetPublished() != "2016-09-28" || ev.GetEndOffset() <= ev.GetStartOffset() {
			t.Errorf("evidence %v", ev)
		}
		if got := art.GetText()[ev.GetStartOffset():ev.GetEndOffset()]; string(got) != ev.GetSentence() {
			t.Errorf("offsets [%d:%d] give %q, want the sentence %q", ev.GetStartOffset(), ev.GetEndOffset(), got, ev.GetSentence())
		}

		between, err := c.GetRelationsBetween(ctx, &pb.GetRelationsBetweenRequest{
			Entity: byName("US"), Other: byName("Moscow"), Predicates: []string{"warned"},
		})
		if err != nil || len(between.GetRelations()) == 0 {
			t.Errorf("GetRelationsBetween(US, Moscow, warned) = %v, %v; want the warning", between, err)
		}
	})

	t.Run("paths Kerry to Aleppo", func(t *testing.T) {
		resp, err := c.FindPaths(ctx, &pb.FindPathsRequest{From: byName("John Kerry"), To: byName("Aleppo"), K: 3})
		if err != nil {
			t.Fatalf("FindPaths: %v", err)
		}
		if len(resp.GetPaths()) == 0 {
			t.Fatal("no path from John Kerry to Aleppo")
		}
		for i, p := range resp.GetPaths() {
			hops := p.GetHops()
			if len(hops) == 0 || hops[0].GetFrom().GetName() != "John Kerry" || hops[len(hops)-1].GetTo().GetName() != "Aleppo" {
				t.Errorf("path %d does not go from John Kerry to Aleppo: %v", i, p)
			}
			for j, h := range hops {
				if len(h.GetEvidence()) == 0 || h.GetEvidence()[0].GetSentence() == "" {
					t.Errorf("path %d hop %d has no evidence: %v", i, j, h)
				}
				if j > 0 && hops[j-1].GetTo().GetId() != h.GetFrom().GetId() {
					t.Errorf("path %d is broken at hop %d", i, j)
				}
			}
		}
	})

	t.Run("entity, search, neighbourhood", func(t *testing.T) {
		e, err := c.GetEntity(ctx, &pb.GetEntityRequest{Entity: byName("Kerry")})
		if err != nil || e.GetEntity().GetName() != "John Kerry" || e.GetEntity().GetType() != pb.EntityType_ENTITY_TYPE_PERSON {
			t.Errorf("GetEntity(Kerry) = %v, %v", e, err)
		}
		s, err := c.SearchEntities(ctx, &pb.SearchEntitiesRequest{Query: "Ale", Mode: pb.SearchMode_SEARCH_MODE_PREFIX})
		if err != nil || len(s.GetEntities()) == 0 {
			t.Errorf("SearchEntities(Ale, prefix) = %v, %v", s, err)
		}
		n, err := c.GetNeighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: byName("Aleppo"), Depth: 2})
		if err != nil || len(n.GetNodes()) < 2 || len(n.GetEdges()) == 0 {
			t.Errorf("GetNeighbourhood(Aleppo) = %v, %v", n, err)
		}
	})

	t.Run("abusive queries", func(t *testing.T) {
		_, err := c.ListRelations(ctx, &pb.ListRelationsRequest{Entity: byName("United States"), PageSize: 2000000})
		if st := status.Convert(err); st.Code() != codes.InvalidArgument || st.Message() != "page_size: 2000000, want 0..1000" {
			t.Errorf("huge page_size: %v", err)
		}
		_, err = c.GetNeighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: byName("Aleppo"), Depth: 1 << 30})
		if status.Code(err) != codes.InvalidArgument {
			t.Errorf("huge depth: %v", err)
		}
		// The largest allowed values answer.
		l := DefaultConfig().Limits
		if _, err := c.GetNeighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: byName("Aleppo"), Depth: int32(l.MaxDepth), MaxNodes: int32(l.MaxNeighbourhoodSize)}); err != nil {
			t.Errorf("GetNeighbourhood at the limits: %v", err)
		}
		if _, err := c.FindPaths(ctx, &pb.FindPathsRequest{From: byName("John Kerry"), To: byName("Aleppo"), K: int32(l.MaxK), MaxHops: int32(l.MaxHops), MaxNodes: int32(l.MaxPathNodes)}); err != nil && status.Code(err) != codes.ResourceExhausted {
			t.Errorf("FindPaths at the limits: %v", err)
		}
		if _, err := c.ListRelations(ctx, &pb.ListRelationsRequest{Entity: byName("United States"), PageSize: int32(l.MaxPageSize), MaxEvidence: int32(l.MaxEvidence)}); err != nil {
			t.Errorf("ListRelations at the limits: %v", err)
		}
		_, err = c.GetEntity(ctx, &pb.GetEntityRequest{Entity: byName("Atlantis")})
		if status.Code(err) != codes.NotFound {
			t.Errorf("unknown entity: %v, want NotFound", err)
		}
		ts.serving(t)
	})

	t.Run("reload is unchanged", func(t *testing.T) {
		resp, err := load(t, c, art)
		if err != nil {
			t.Fatalf("LoadArticles again: %v", err)
		}
		if r := resp.GetResults(); len(r) != 1 || r[0].GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_UNCHANGED {
			t.Fatalf("second load: %v, want UNCHANGED", r)
		}
		if after := stats(t, c); !proto.Equal(after, before) {
			t.Errorf("stats after reload %v, want %v", after, before)
		}
	})

	t.Run("bad articles are rejected, the stream goes on", func(t *testing.T) {
		good := proto.Clone(art).(*pb.LoadArticlesRequest)
		good.Id = "copy"
		resp, err := load(t, c,
			&pb.LoadArticlesRequest{Id: "empty"},
			&pb.LoadArticlesRequest{Id: "latin1", Text: []byte("caf\xe9 au lait")},
			&pb.LoadArticlesRequest{Text: []byte("No id.")},
			&pb.LoadArticlesRequest{Id: "huge", Text: make([]byte, doc.DefaultMaxBytes+1)},
			&pb.LoadArticlesRequest{Id: "binary", Text: []byte("a\x00b")},
			&pb.LoadArticlesRequest{Id: "baddate", Published: "yesterday", Text: []byte("The US warned Russia.")},
			good,
		)
		if err != nil {
			t.Fatalf("LoadArticles: %v", err)
		}
		want := []string{"text is empty", "not valid UTF-8", "id is empty", "text is 4194305 bytes", "binary", "published", ""}
		if len(resp.GetResults()) != len(want) {
			t.Fatalf("%d results, want %d: %v", len(resp.GetResults()), len(want), resp.GetResults())
		}
		for i, r := range resp.GetResults() {
			if int(r.GetIndex()) != i {
				t.Errorf("result %d has index %d", i, r.GetIndex())
			}
			if want[i] == "" {
				if r.GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_STORED {
					t.Errorf("result %d: %v, want STORED", i, r)
				}
				continue
			}
			if r.GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_REJECTED || !strings.Contains(r.GetReason(), want[i]) ||
				!strings.HasPrefix(r.GetReason(), "article ") {
				t.Errorf("result %d: %v, want REJECTED naming the article and %q", i, r, want[i])
			}
		}
		if s := resp.GetSummary(); s.GetArticles() != 7 || s.GetRejected() != 6 || s.GetStored() != 1 {
			t.Errorf("summary %v", s)
		}
		if _, err := c.DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: "copy"}); err != nil {
			t.Fatalf("DeleteArticle(copy): %v", err)
		}
		if after := stats(t, c); !proto.Equal(after, before) {
			t.Errorf("stats after loading and deleting a copy %v, want %v", after, before)
		}
	})

	t.Run("delete empties the graph", func(t *testing.T) {
		d, err := c.DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: art.GetId()})
		if err != nil || d.GetQuadsRemoved() == 0 {
			t.Fatalf("DeleteArticle = %v, %v", d, err)
		}
		if s := stats(t, c); s.GetQuads() != 0 || s.GetEntities() != 0 || s.GetArticles() != 0 || s.GetRelations() != 0 {
			t.Errorf("stats after delete: %v, want an empty graph", s)
		}
		_, err = c.ListRelations(ctx, &pb.ListRelationsRequest{Entity: byName("United States")})
		if status.Code(err) != codes.NotFound {
			t.Errorf("ListRelations after delete: %v, want NotFound", err)
		}
		_, err = c.DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: art.GetId()})
		if status.Code(err) != codes.NotFound {
			t.Errorf("second DeleteArticle: %v, want NotFound", err)
		}
	})
}
