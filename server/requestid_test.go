package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

var generatedID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestRequestID: a call's sane x-request-id comes back in its response header and is
// on its log line; a call without one, or with one that is not sane, gets a new one;
// failed calls and streams too.
func TestRequestID(t *testing.T) {
	ts := startServer(t, newFakeStore(), fakeExtractor{}, DefaultConfig())
	call := func(t *testing.T, sent []string, ok bool) string {
		t.Helper()
		ctx := context.Background()
		for _, id := range sent {
			ctx = metadata.AppendToOutgoingContext(ctx, RequestIDHeader, id)
		}
		var header metadata.MD
		var err error
		if ok {
			_, err = ts.client.GetStats(ctx, &pb.GetStatsRequest{}, grpc.Header(&header))
		} else {
			_, err = ts.client.GetEntity(ctx, &pb.GetEntityRequest{}, grpc.Header(&header))
		}
		if ok && err != nil || !ok && status.Code(err) != codes.InvalidArgument {
			t.Fatalf("call: %v", err)
		}
		got := header.Get(RequestIDHeader)
		if len(got) != 1 {
			t.Fatalf("response header %s = %q, want one id", RequestIDHeader, got)
		}
		if !strings.Contains(ts.logs.String(), "request_id="+got[0]) {
			t.Errorf("the log has no line with request_id=%s:\n%s", got[0], ts.logs.String())
		}
		return got[0]
	}
	t.Run("sent id kept", func(t *testing.T) {
		if got := call(t, []string{"abc-123.x:y/z+@"}, true); got != "abc-123.x:y/z+@" {
			t.Errorf("id %q, want the one sent", got)
		}
	})
	t.Run("sent id kept on a failed call", func(t *testing.T) {
		if got := call(t, []string{"client-7"}, false); got != "client-7" {
			t.Errorf("id %q, want the one sent", got)
		}
	})
	t.Run("absent id generated", func(t *testing.T) {
		a, b := call(t, nil, true), call(t, nil, false)
		if !generatedID.MatchString(a) || !generatedID.MatchString(b) || a == b {
			t.Errorf("generated ids %q, %q: want two different ones of 32 hex digits", a, b)
		}
	})
	for _, bad := range []string{"has space", "semi;colon", "a=b", strings.Repeat("x", MaxRequestIDBytes+1), `quote"d`} {
		t.Run("insane id replaced", func(t *testing.T) {
			if got := call(t, []string{bad}, true); !generatedID.MatchString(got) {
				t.Errorf("sent %q, got %q: want a generated id", bad, got)
			}
		})
	}
	t.Run("stream", func(t *testing.T) {
		ctx := metadata.AppendToOutgoingContext(context.Background(), RequestIDHeader, "stream-1")
		st, err := ts.client.StreamPaths(ctx, &pb.StreamPathsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = st.Recv()
		h, err := st.Header()
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Get(RequestIDHeader); len(got) != 1 || got[0] != "stream-1" {
			t.Errorf("stream header id %q, want stream-1", got)
		}
		if !strings.Contains(ts.logs.String(), "request_id=stream-1") {
			t.Errorf("no log line with request_id=stream-1")
		}
	})
	t.Run("LoadArticles", func(t *testing.T) {
		ctx := metadata.AppendToOutgoingContext(context.Background(), RequestIDHeader, "load-1")
		st, err := ts.client.LoadArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		h, err := st.Header() // sent before the server reads an article
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Get(RequestIDHeader); len(got) != 1 || got[0] != "load-1" {
			t.Errorf("LoadArticles header id %q, want load-1", got)
		}
		if _, err := st.CloseAndRecv(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestHTTPRequestID: an HTTP request's sane X-Request-Id reaches the handler and the
// response once, even when the handler (a translated call) sets it too; a missing one
// is generated.
func TestHTTPRequestID(t *testing.T) {
	var seen string
	h := HTTPRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Get(RequestIDHeader)
		w.Header().Add("X-Request-Id", seen) // as a translated gRPC call's metadata
		w.WriteHeader(http.StatusTeapot)
	}))
	for _, tt := range []struct {
		sent []string
		keep bool
	}{{[]string{"web-1"}, true}, {nil, false}, {[]string{"bad id"}, false}, {[]string{"a", "b"}, false}} {
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		for _, s := range tt.sent {
			req.Header.Add("X-Request-Id", s)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Result().Header.Values("X-Request-Id")
		if len(got) != 1 || got[0] != seen || rec.Code != http.StatusTeapot {
			t.Errorf("sent %q: response ids %q, handler saw %q, code %d", tt.sent, got, seen, rec.Code)
			continue
		}
		if tt.keep && seen != tt.sent[0] || !tt.keep && !generatedID.MatchString(seen) {
			t.Errorf("sent %q: id %q", tt.sent, seen)
		}
	}
}

// TestRequireTokenHTTP: without tokens the handler answers; with tokens it wants a
// valid bearer token of the scope.
func TestRequireTokenHTTP(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	toks, err := ParseTokens("tokens", strings.NewReader("reader-token-0123456789 prom read\nwriter-token-0123456789 loader write\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		tokens *Tokens
		auth   string
		want   int
	}{
		{nil, "", http.StatusNoContent},
		{toks, "", http.StatusUnauthorized},
		{toks, "Bearer nope-nope-nope-nope", http.StatusUnauthorized},
		{toks, "Basic cmVhZGVy", http.StatusUnauthorized},
		{toks, "Bearer writer-token-0123456789", http.StatusForbidden},
		{toks, "Bearer reader-token-0123456789", http.StatusNoContent},
		{toks, "bearer reader-token-0123456789", http.StatusNoContent},
	} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		rec := httptest.NewRecorder()
		RequireTokenHTTP(tt.tokens, ScopeRead, ok).ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("tokens %v, Authorization %q: %d, want %d", tt.tokens != nil, tt.auth, rec.Code, tt.want)
		}
	}
}
