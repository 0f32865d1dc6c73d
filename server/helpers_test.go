package server

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines to log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a Server serving on 127.0.0.1 with a client connected to it.
type testServer struct {
	client pb.NewsGraphServiceClient
	health healthpb.HealthClient
	logs   *syncBuffer // everything the server logged
	// shutdown starts the graceful shutdown; served receives Serve's result.
	shutdown context.CancelFunc
	served   chan error
	once     sync.Once
	err      error
}

// startServer serves store and x with cfg (its Logger replaced) on 127.0.0.1:0 until
// the test ends; the cleanup waits for Serve to return.
func startServer(t testing.TB, store graph.Store, x loader.Extractor, cfg Config) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(store, x, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, lis) }()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	ts := &testServer{
		client: pb.NewNewsGraphServiceClient(conn), health: healthpb.NewHealthClient(conn),
		logs: logs, shutdown: cancel, served: served,
	}
	t.Cleanup(func() {
		conn.Close()
		cancel()
		if err := ts.wait(); err != nil {
			t.Errorf("Serve: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return ts
}

// serving checks that the health service still answers SERVING.
func (ts *testServer) serving(t testing.TB) {
	t.Helper()
	resp, err := ts.health.Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v, %v; want SERVING", resp.GetStatus(), err)
	}
}

func byName(name string) *pb.EntitySelector {
	return &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: name}}
}

func byID(id string) *pb.EntitySelector {
	return &pb.EntitySelector{Selector: &pb.EntitySelector_Id{Id: id}}
}

// load sends articles in one LoadArticles call.
func load(t testing.TB, c pb.NewsGraphServiceClient, reqs ...*pb.LoadArticlesRequest) (*pb.LoadArticlesResponse, error) {
	t.Helper()
	stream, err := c.LoadArticles(context.Background())
	if err != nil {
		return nil, err
	}
	for _, r := range reqs {
		if err := stream.Send(r); err != nil {
			break // the status comes with CloseAndRecv
		}
	}
	return stream.CloseAndRecv()
}

// wait returns Serve's result once it returned (any number of times).
func (ts *testServer) wait() error {
	ts.once.Do(func() { ts.err = <-ts.served })
	return ts.err
}
