package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

func stats(t testing.TB, c pb.NewsGraphServiceClient) *pb.GetStatsResponse {
	t.Helper()
	s, err := c.GetStats(context.Background(), &pb.GetStatsRequest{})
	if err != nil {
		t.Fatalf("GetStats: %v", err)
	}
	return s
}

// TestLoadLimit: a stream longer than MaxArticlesPerLoad fails with RESOURCE_EXHAUSTED,
// the articles before it stay stored.
func TestLoadLimit(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxArticlesPerLoad = 3
	store := newFakeStore()
	ts := startServer(t, store, fakeExtractor{}, cfg)
	var reqs []*pb.LoadArticlesRequest
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		reqs = append(reqs, &pb.LoadArticlesRequest{Id: id, Text: []byte("Text of " + id + ".")})
	}
	_, err := load(t, ts.client, reqs...)
	if st := status.Convert(err); st.Code() != codes.ResourceExhausted || !strings.Contains(st.Message(), "more than 3 articles") {
		t.Fatalf("LoadArticles of 5 with a limit of 3: %v, want ResourceExhausted", err)
	}
	if s := stats(t, ts.client); s.GetArticles() != 3 {
		t.Errorf("%d articles stored, want the 3 before the limit", s.GetArticles())
	}
	ts.serving(t)
}

// TestLoadStatuses: results come back in stream order with the store's status, also
// when one stream holds the same id twice.
func TestLoadStatuses(t *testing.T) {
	ts := startServer(t, newFakeStore(), fakeExtractor{}, DefaultConfig())
	art := func(id, text string) *pb.LoadArticlesRequest {
		return &pb.LoadArticlesRequest{Id: id, Text: []byte(text), Published: "2016-09-28"}
	}
	if _, err := load(t, ts.client, art("a", "A."), art("b", "B.")); err != nil {
		t.Fatal(err)
	}
	resp, err := load(t, ts.client, art("a", "A."), art("b", "B, changed."), art("c", "C."), art("c", "C, twice."), art("", "no id"))
	if err != nil {
		t.Fatal(err)
	}
	want := []pb.ArticleStatus{
		pb.ArticleStatus_ARTICLE_STATUS_UNCHANGED, pb.ArticleStatus_ARTICLE_STATUS_REPLACED,
		pb.ArticleStatus_ARTICLE_STATUS_STORED, pb.ArticleStatus_ARTICLE_STATUS_REPLACED,
		pb.ArticleStatus_ARTICLE_STATUS_REJECTED,
	}
	for i, r := range resp.GetResults() {
		if int(r.GetIndex()) != i || r.GetStatus() != want[i] {
			t.Errorf("result %d: %v, want index %d status %v", i, r, i, want[i])
		}
	}
	if len(resp.GetResults()) != len(want) {
		t.Fatalf("%d results, want %d", len(resp.GetResults()), len(want))
	}
	s := resp.GetSummary()
	if s.GetArticles() != 5 || s.GetUnchanged() != 1 || s.GetReplaced() != 2 || s.GetStored() != 1 || s.GetRejected() != 1 || s.GetElapsed() == nil {
		t.Errorf("summary %v", s)
	}
}

// TestGracefulShutdown: a load in flight when shutdown starts is finished and
// answered; health turns NOT_SERVING; Serve returns only after that.
func TestGracefulShutdown(t *testing.T) {
	ts := startServer(t, newFakeStore(), fakeExtractor{}, DefaultConfig())
	ctx := context.Background()
	stream, err := ts.client.LoadArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&pb.LoadArticlesRequest{Id: "a", Text: []byte("A.")}); err != nil {
		t.Fatal(err)
	}
	ts.shutdown()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := ts.health.Check(ctx, &healthpb.HealthCheckRequest{})
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_NOT_SERVING {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("health did not turn NOT_SERVING: %v, %v", resp, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-ts.served:
		t.Fatalf("Serve returned (%v) with a call in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	if err := stream.Send(&pb.LoadArticlesRequest{Id: "b", Text: []byte("B.")}); err != nil {
		t.Fatal(err)
	}
	resp, err := stream.CloseAndRecv()
	if err != nil || len(resp.GetResults()) != 2 || resp.GetSummary().GetStored() != 2 {
		t.Fatalf("load in flight during shutdown: %v, %v", resp, err)
	}
	if err := ts.wait(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

// TestLoadLargeStream: one LoadArticles call takes the whole shared corpus (20,181
// articles, twice the old per-call limit) and answers every article in stream order.
func TestLoadLargeStream(t *testing.T) {
	const n = 20_200
	store := newFakeStore()
	ts := startServer(t, store, fakeExtractor{}, DefaultConfig())
	reqs := make([]*pb.LoadArticlesRequest, n)
	for i := range reqs {
		reqs[i] = &pb.LoadArticlesRequest{Id: fmt.Sprintf("a%d", i), Text: []byte(fmt.Sprintf("Text of article %d.", i))}
	}
	resp, err := load(t, ts.client, reqs...)
	if err != nil {
		t.Fatalf("LoadArticles of %d articles: %v", n, err)
	}
	if got := len(resp.GetResults()); got != n {
		t.Fatalf("%d results, want %d", got, n)
	}
	for i, r := range resp.GetResults() {
		if int(r.GetIndex()) != i || r.GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_STORED {
			t.Fatalf("result %d: %v, want index %d stored", i, r, i)
		}
	}
	if s := resp.GetSummary(); s.GetStored() != n {
		t.Errorf("summary %v, want %d stored", s, n)
	}
	if s := stats(t, ts.client); s.GetArticles() != n {
		t.Errorf("%d articles stored, want %d", s.GetArticles(), n)
	}
}
