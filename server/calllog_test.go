package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// TestCallLog: one line per finished call, at the level of its status code, with the
// method, code and duration; an internal error's text rides on that line; nothing is
// written for a level that is off.
func TestCallLog(t *testing.T) {
	store := newFakeStore()
	ts := startServer(t, store, fakeExtractor{}, DefaultConfig())
	ctx := context.Background()
	lines := func() []string { return strings.Fields(strings.ReplaceAll(ts.logs.String(), " ", "_")) }
	last := func() string {
		l := strings.Split(strings.TrimSpace(ts.logs.String()), "\n")
		return l[len(l)-1]
	}

	tests := []struct {
		name string
		call func() error
		want []string
	}{
		{"ok at debug", func() error {
			_, err := ts.client.GetStats(ctx, &pb.GetStatsRequest{})
			return err
		}, []string{"level=DEBUG", `msg="finished call"`, "grpc.service=newsgraph.v1.NewsGraphService", "grpc.method=GetStats",
			"grpc.method_type=unary", "grpc.code=OK", "grpc.time_ms=", "peer.address=127.0.0.1:"}},
		{"client mistake at info", func() error {
			_, _ = ts.client.GetEntity(ctx, &pb.GetEntityRequest{}) // no entity: InvalidArgument
			return nil
		}, []string{"level=INFO", "grpc.method=GetEntity", "grpc.code=InvalidArgument", "grpc.error="}},
		{"stream", func() error {
			st, err := ts.client.StreamPaths(ctx, &pb.StreamPathsRequest{})
			if err != nil {
				return err
			}
			_, _ = st.Recv()
			return nil
		}, []string{"grpc.method=StreamPaths", "grpc.method_type=server_stream", "grpc.code=InvalidArgument"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(lines())
			if err := tt.call(); err != nil {
				t.Fatal(err)
			}
			if n := len(lines()) - before; n != 1 {
				t.Fatalf("%d new log lines, want 1:\n%s", n, ts.logs.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(last(), w) {
					t.Errorf("log line %q lacks %q", last(), w)
				}
			}
		})
	}

	t.Run("internal error with its cause on the line", func(t *testing.T) {
		store.mu.Lock()
		store.err = errors.New("bolt: disk I/O error")
		store.mu.Unlock()
		defer func() { store.mu.Lock(); store.err = nil; store.mu.Unlock() }()
		before := len(lines())
		_, _ = ts.client.GetStats(ctx, &pb.GetStatsRequest{})
		if n := len(lines()) - before; n != 1 {
			t.Fatalf("%d new log lines, want 1:\n%s", n, ts.logs.String())
		}
		for _, w := range []string{"level=ERROR", "grpc.code=Internal", `error.cause="bolt: disk I/O error"`} {
			if !strings.Contains(last(), w) {
				t.Errorf("log line %q lacks %q", last(), w)
			}
		}
	})

	t.Run("nothing below the level", func(t *testing.T) {
		s := &Server{log: slog.New(slog.NewTextHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))}
		before := ts.logs.String()
		s.logCall(ctx, "/newsgraph.v1.NewsGraphService/GetStats", "unary", time.Now(), nil, &callNote{})
		if ts.logs.String() != before {
			t.Errorf("an OK call was logged at level warn: %s", strings.TrimPrefix(ts.logs.String(), before))
		}
	})
}

// captureHandler is a slog.Handler that keeps the records' messages and attributes.
type captureHandler struct {
	mu    *sync.Mutex
	lines *[]map[string]string // one per record: "msg" and the attributes
}

func newCaptureHandler() captureHandler {
	return captureHandler{mu: &sync.Mutex{}, lines: &[]map[string]string{}}
}

func (h captureHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h captureHandler) Handle(_ context.Context, r slog.Record) error {
	line := map[string]string{"msg": r.Message, "level": r.Level.String()}
	r.Attrs(func(a slog.Attr) bool {
		line[a.Key] = a.Value.String()
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	*h.lines = append(*h.lines, line)
	return nil
}

func (h captureHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h captureHandler) WithGroup(string) slog.Handler      { return h }

// calls returns the "finished call" lines logged so far.
func (h captureHandler) calls() []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]string
	for _, l := range *h.lines {
		if l["msg"] == "finished call" {
			out = append(out, l)
		}
	}
	return out
}

// TestCallLogPrincipal: with tokens, a call's log line names the token's holder as
// principal, also when the token's scope falls short; a call without a valid token and
// a server without tokens log no principal. Through a real server on a bolt store,
// logging into a captured handler.
func TestCallLogPrincipal(t *testing.T) {
	toks, err := ParseTokens("tokens.txt", strings.NewReader(testTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	serve := func(tokens *Tokens) (captureHandler, *grpc.ClientConn) {
		h := newCaptureHandler()
		cfg := DefaultConfig()
		cfg.Tokens = tokens
		cfg.Logger = slog.New(h)
		s, err := New(openStore(t, graph.BackendBolt), fakeExtractor{}, cfg)
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
		t.Cleanup(func() {
			cancel()
			if err := <-served; err != nil {
				t.Errorf("Serve: %v", err)
			}
		})
		return h, dialTest(t, lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	}
	secured, securedConn := serve(toks)
	open, openConn := serve(nil)

	stats := func(ctx context.Context, conn *grpc.ClientConn) error {
		_, err := pb.NewNewsGraphServiceClient(conn).GetStats(ctx, &pb.GetStatsRequest{})
		return err
	}
	export := func(ctx context.Context, conn *grpc.ClientConn) error {
		s, err := pb.NewNewsGraphServiceClient(conn).ExportGraph(ctx, &pb.ExportGraphRequest{})
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
	}
	deleteArticle := func(ctx context.Context, conn *grpc.ClientConn) error {
		_, err := pb.NewNewsGraphServiceClient(conn).DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: "none"})
		return err
	}
	health := func(ctx context.Context, conn *grpc.ClientConn) error {
		_, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		return err
	}

	for _, tt := range []struct {
		name      string
		log       captureHandler
		conn      *grpc.ClientConn
		token     string
		call      func(context.Context, *grpc.ClientConn) error
		code      codes.Code
		principal string // "" for no principal attribute
	}{
		{"read token, query", secured, securedConn, readToken, stats, codes.OK, "analyst"},
		{"admin token, streamed export", secured, securedConn, adminToken, export, codes.OK, "ops"},
		{"write token, delete", secured, securedConn, writeToken, deleteArticle, codes.NotFound, "pipeline"},
		{"read token, delete refused for its scope", secured, securedConn, readToken, deleteArticle, codes.PermissionDenied, "analyst"},
		{"any token, health", secured, securedConn, rwToken, health, codes.OK, "loader"},
		{"no token", secured, securedConn, "", stats, codes.Unauthenticated, ""},
		{"unknown token", secured, securedConn, "not-a-token-0123456789", stats, codes.Unauthenticated, ""},
		{"server without tokens", open, openConn, readToken, stats, codes.OK, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(tt.log.calls())
			err := tt.call(withToken(context.Background(), tt.token), tt.conn)
			if c := status.Code(err); c != tt.code {
				t.Fatalf("code %v (%v), want %v", c, err, tt.code)
			}
			lines := tt.log.calls()
			if n := len(lines) - before; n != 1 {
				t.Fatalf("%d new call log lines, want 1: %v", n, lines[before:])
			}
			line := lines[len(lines)-1]
			if line["grpc.code"] != tt.code.String() {
				t.Errorf("line %v: grpc.code %q, want %q", line, line["grpc.code"], tt.code)
			}
			p, ok := line["principal"]
			switch {
			case tt.principal == "" && ok:
				t.Errorf("line %v has principal %q, want none", line, p)
			case tt.principal != "" && p != tt.principal:
				t.Errorf("line %v: principal %q, want %q", line, p, tt.principal)
			}
		})
	}
}
