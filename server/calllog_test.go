package server

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

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
