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
	// Health is watched on a stream opened before the shutdown: once GracefulStop
	// sends GOAWAY the connection takes no new calls, so a Check made after the
	// shutdown began would race it.
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watch, err := ts.health.Watch(watchCtx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := watch.Recv(); err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health before the shutdown: %v, %v; want SERVING", resp, err)
	}
	ts.shutdown()
	if resp, err := watch.Recv(); err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("health after the shutdown began: %v, %v; want NOT_SERVING", resp, err)
	}
	stopWatch()
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

// TestLoadIdleTimeout: two idle LoadArticles calls hold both load slots; a third is
// told it is queued and proceeds once the server ended the idle ones after
// LoadIdleTimeout (DeadlineExceeded, naming the timeout); the articles the idle calls
// sent before stay stored.
func TestLoadIdleTimeout(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxConcurrentLoads = 2
	cfg.LoadIdleTimeout = 300 * time.Millisecond
	ts := startServer(t, newFakeStore(), fakeExtractor{}, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var idle []pb.NewsGraphService_LoadArticlesClient
	for _, id := range []string{"idle1", "idle2"} {
		s, err := ts.client.LoadArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(&pb.LoadArticlesRequest{Id: id, Text: []byte("Text of " + id + ".")}); err != nil {
			t.Fatal(err)
		}
		md, err := s.Header()
		if err != nil || len(md.Get(LoadQueuedHeader)) != 0 {
			t.Fatalf("header of %s: %v, %v; want one without %s", id, md, err, LoadQueuedHeader)
		}
		idle = append(idle, s)
	}
	start := time.Now()
	third, err := ts.client.LoadArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	md, err := third.Header()
	if err != nil || strings.Join(md.Get(LoadQueuedHeader), ",") != "2" {
		t.Fatalf("header of the queued call: %v, %v; want %s: 2", md, err, LoadQueuedHeader)
	}
	if err := third.Send(&pb.LoadArticlesRequest{Id: "third", Text: []byte("Text of the third.")}); err != nil {
		t.Fatal(err)
	}
	resp, err := third.CloseAndRecv()
	if err != nil || resp.GetSummary().GetStored() != 1 {
		t.Fatalf("queued load: %v, %v; want it stored", resp, err)
	}
	// The idle calls' timers started a little before start.
	if el := time.Since(start); el < cfg.LoadIdleTimeout/2 || el > 10*time.Second {
		t.Errorf("the queued load took %v, want the idle timeout (%v) and little more", el, cfg.LoadIdleTimeout)
	}
	for i, s := range idle {
		// RecvMsg without CloseSend: the answer is whatever the server ends the call with.
		err := s.RecvMsg(new(pb.LoadArticlesResponse))
		st := status.Convert(err)
		if st.Code() != codes.DeadlineExceeded || !strings.Contains(st.Message(), "no message from the client for 300ms") ||
			!strings.Contains(st.Message(), "1 stored") {
			t.Errorf("idle call %d: %v, want DeadlineExceeded naming the idle timeout and the article stored", i+1, err)
		}
		if info := errorInfo(err); info.GetReason() != "LOAD_IDLE_TIMEOUT" || info.GetMetadata()["timeout"] != "300ms" {
			t.Errorf("idle call %d: details %v, want reason LOAD_IDLE_TIMEOUT, timeout 300ms", i+1, info)
		}
	}
	if s := stats(t, ts.client); s.GetArticles() != 3 {
		t.Errorf("%d articles stored, want 3 (the idle calls' articles stay)", s.GetArticles())
	}
	if !strings.Contains(ts.logs.String(), "LoadArticles queued: all load slots are busy") {
		t.Errorf("the server did not log the queued call:\n%s", ts.logs.String())
	}
	ts.serving(t)
}

// TestLoadTimeout: a call that keeps sending past LoadTimeout ends with
// DeadlineExceeded naming the timeout; its slot comes free.
func TestLoadTimeout(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxConcurrentLoads = 1
	cfg.LoadTimeout = 300 * time.Millisecond
	ts := startServer(t, newFakeStore(), fakeExtractor{}, cfg)
	s, err := ts.client.LoadArticles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		if err := s.Send(&pb.LoadArticlesRequest{Id: fmt.Sprintf("a%d", i), Text: []byte("Some text.")}); err != nil {
			break // the call ended: its status comes with CloseAndRecv
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, err = s.CloseAndRecv()
	if st := status.Convert(err); st.Code() != codes.DeadlineExceeded || !strings.Contains(st.Message(), "longer than the server's load timeout (300ms)") {
		t.Fatalf("long call: %v, want DeadlineExceeded naming the load timeout", err)
	}
	if info := errorInfo(err); info.GetReason() != "LOAD_TIMEOUT" {
		t.Errorf("long call: details %v, want reason LOAD_TIMEOUT", info)
	}
	if _, err := load(t, ts.client, &pb.LoadArticlesRequest{Id: "next", Text: []byte("Next.")}); err != nil {
		t.Fatalf("the next load: %v", err)
	}
}

// TestLoadQueuedDeadline: a call queued behind a busy slot until its own deadline ends
// with DeadlineExceeded saying it was queued.
func TestLoadQueuedDeadline(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxConcurrentLoads, cfg.LoadIdleTimeout = 1, 0
	ts := startServer(t, newFakeStore(), fakeExtractor{}, cfg)
	hold, err := ts.client.LoadArticles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hold.Header(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	s, err := ts.client.LoadArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CloseAndRecv()
	if st := status.Convert(err); st.Code() != codes.DeadlineExceeded {
		t.Fatalf("queued call past its deadline: %v, want DeadlineExceeded", err)
	}
	if _, err := hold.CloseAndRecv(); err != nil {
		t.Errorf("the call holding the slot: %v", err)
	}
}
