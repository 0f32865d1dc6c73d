package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

func TestToStatus(t *testing.T) {
	raw := errors.New("bolt: page 42 of /var/lib/secret.db is corrupt")
	tests := []struct {
		name     string
		err      error
		code     codes.Code
		msg      string // the whole message, or "" to skip
		internal bool
		field    string // BadRequest field, if any
		reason   string // ErrorInfo reason, if any
	}{
		{"nil", nil, codes.OK, "", false, "", ""},
		{"field", invalid("page_size", "%d, want 0..%d", 2000000, 1000), codes.InvalidArgument, "page_size: 2000000, want 0..1000", false, "page_size", ""},
		{"wrapped field", fmt.Errorf("list: %w", invalid("entity.name", `"", want a name`)), codes.InvalidArgument, `entity.name: "", want a name`, false, "entity.name", ""},
		{"status", status.Error(codes.ResourceExhausted, "too many"), codes.ResourceExhausted, "too many", false, "", ""},
		{"unknown status", status.Error(codes.Unknown, "raw driver text"), codes.Internal, internalMessage, true, "", ""},
		{"not found", fmt.Errorf("entity.id: entity %q: %w", "ng:e/city/x", graph.ErrNotFound), codes.NotFound, `entity.id: entity "ng:e/city/x": not found`, false, "", ""},
		{"store invalid", fmt.Errorf("%w: page_token %q is not ours", graph.ErrInvalidArgument, "zz"), codes.InvalidArgument, `invalid argument: page_token "zz" is not ours`, false, "", ""},
		{"doc invalid", fmt.Errorf("article 1: %w: text is empty", doc.ErrInvalid), codes.InvalidArgument, "article 1: invalid article: text is empty", false, "", ""},
		{"limit", fmt.Errorf("paths: %w: node budget 10000 spent", graph.ErrLimit), codes.ResourceExhausted, "paths: limit exceeded: node budget 10000 spent", false, "", "QUERY_LIMIT_EXCEEDED"},
		{"deadline", fmt.Errorf("relations: %w", context.DeadlineExceeded), codes.DeadlineExceeded, "", false, "", ""},
		{"cancelled", fmt.Errorf("relations: %w", context.Canceled), codes.Canceled, "", false, "", ""},
		{"raw", raw, codes.Internal, internalMessage, true, "", ""},
		{"wrapped raw", fmt.Errorf("put articles: %w", raw), codes.Internal, internalMessage, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, internal := toStatus(tt.err)
			if st.Code() != tt.code || internal != tt.internal {
				t.Fatalf("toStatus = %v (internal %v), want %v (internal %v)", st.Code(), internal, tt.code, tt.internal)
			}
			if tt.msg != "" && st.Message() != tt.msg {
				t.Errorf("message %q, want %q", st.Message(), tt.msg)
			}
			if strings.Contains(st.Message(), "secret") || strings.Contains(st.Message(), "raw driver") {
				t.Errorf("message %q carries the raw error", st.Message())
			}
			var field, reason string
			for _, d := range st.Details() {
				switch d := d.(type) {
				case *errdetails.BadRequest:
					field = d.GetFieldViolations()[0].GetField()
				case *errdetails.ErrorInfo:
					reason = d.GetReason()
				}
			}
			if field != tt.field || reason != tt.reason {
				t.Errorf("details: field %q reason %q, want %q %q", field, reason, tt.field, tt.reason)
			}
		})
	}
}

func TestRejectionReason(t *testing.T) {
	tests := []struct {
		name     string
		r        loader.Result
		want     string
		internal bool
	}{
		{"invalid", loader.Result{Origin: "article 2", Err: fmt.Errorf("article 2: %w: text is empty", doc.ErrInvalid)},
			"article 2: invalid article: text is empty", false},
		{"store invalid", loader.Result{Origin: "article 3", Err: fmt.Errorf("article 3: store: %w: statement 4 has no subject", graph.ErrInvalidArgument)},
			"article 3: store: invalid argument: statement 4 has no subject", false},
		{"store failure", loader.Result{Origin: "article 4", Err: errors.New("article 4: store: bolt: disk I/O error")},
			"article 4: not stored: internal error (the article can be sent again)", true},
		{"panic", loader.Result{ID: "x", Err: errors.New("x: extraction failed: index out of range")},
			"x: not stored: internal error (the article can be sent again)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, internal := rejectionReason(tt.r)
			if got != tt.want || internal != tt.internal {
				t.Errorf("rejectionReason = %q, %v; want %q, %v", got, internal, tt.want, tt.internal)
			}
		})
	}
}

// TestInternalErrorsStayOnServer: a store failure reaches the client as "internal error"
// while its text is logged once; a panicking handler does not stop the server.
func TestInternalErrorsStayOnServer(t *testing.T) {
	store := newFakeStore()
	ts := startServer(t, store, fakeExtractor{}, DefaultConfig())
	ctx := context.Background()

	store.mu.Lock()
	store.err = errors.New("bolt: disk I/O error on /srv/newsgraph-data/secret")
	store.mu.Unlock()
	_, err := ts.client.GetStats(ctx, &pb.GetStatsRequest{})
	if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != internalMessage {
		t.Fatalf("GetStats with a failing store: %v, want Internal %q", err, internalMessage)
	}
	if n := strings.Count(ts.logs.String(), "disk I/O error"); n != 1 {
		t.Errorf("the store error is logged %d times, want once:\n%s", n, ts.logs.String())
	}

	// A failing batch of a load: the articles are rejected without the store's text.
	resp, err := load(t, ts.client, &pb.LoadArticlesRequest{Id: "a", Text: []byte("Some text.")})
	if err != nil {
		t.Fatalf("LoadArticles: %v", err)
	}
	r := resp.GetResults()[0]
	if r.GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_REJECTED || strings.Contains(r.GetReason(), "secret") || !strings.Contains(r.GetReason(), "article 0") {
		t.Errorf("result %v, want REJECTED naming the article without the store's text", r)
	}

	store.mu.Lock()
	store.err, store.panics = nil, true
	store.mu.Unlock()
	_, err = ts.client.GetStats(ctx, &pb.GetStatsRequest{})
	if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != internalMessage {
		t.Fatalf("GetStats with a panicking store: %v, want Internal %q", err, internalMessage)
	}
	ts.serving(t)
	if _, err := ts.client.GetEntity(ctx, &pb.GetEntityRequest{Entity: byName("John Kerry")}); err != nil {
		t.Errorf("GetEntity after a panic: %v", err)
	}
}
