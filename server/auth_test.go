package server

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// Tokens of testTokenFile.
const (
	readToken  = "read-token-0123456789"
	writeToken = "write-token-0123456789"
	rwToken    = "rw-token-0123456789ab"
	adminToken = "admin-token-0123456789"
)

const testTokenFile = `# newsgraph tokens: TOKEN NAME SCOPES
` + readToken + `  analyst  read

` + writeToken + "\tpipeline\twrite\n" +
	"   " + rwToken + " loader read,write   \n" +
	"  # an indented comment\n" +
	adminToken + " ops admin\n"

func TestParseTokens(t *testing.T) {
	toks, err := ParseTokens("tokens.txt", strings.NewReader(testTokenFile))
	if err != nil {
		t.Fatalf("ParseTokens: %v", err)
	}
	if toks.Len() != 4 {
		t.Fatalf("%d tokens, want 4", toks.Len())
	}
	for _, tt := range []struct {
		token  string
		name   string
		scopes Scope
		ok     bool
	}{
		{readToken, "analyst", ScopeRead, true},
		{writeToken, "pipeline", ScopeWrite, true},
		{rwToken, "loader", ScopeRead | ScopeWrite, true},
		{adminToken, "ops", ScopeAdmin, true},
		{"read-token-012345678", "", 0, false}, // a prefix
		{readToken + "x", "", 0, false},
		{"", "", 0, false},
	} {
		name, scopes, ok := toks.lookup(tt.token)
		if name != tt.name || scopes != tt.scopes || ok != tt.ok {
			t.Errorf("lookup(%q) = %q, %v, %v; want %q, %v, %v", tt.token, name, scopes, ok, tt.name, tt.scopes, tt.ok)
		}
	}

	tests := []struct {
		name, file, want string
	}{
		{"two fields", "# c\n\n" + readToken + " analyst\n", "tokens.txt:3: 2 fields, want 3"},
		{"four fields", readToken + " a read write\n", "tokens.txt:1: 4 fields, want 3"},
		{"short token", "short a read\n", "tokens.txt:1: token of a is 5 characters, want at least 16"},
		{"unknown scope", readToken + " a read,delete\n", `tokens.txt:1: scope "delete" of a, want read, write or admin`},
		{"empty scope", readToken + " a read,\n", `tokens.txt:1: scope "" of a`},
		{"duplicate name", readToken + " a read\n" + writeToken + " a write\n", "tokens.txt:2: name a is used on line 1 already"},
		{"duplicate token", readToken + " a read\n\n" + readToken + " b write\n", "tokens.txt:3: the token of b is the token of line 1"},
		{"only comments", "# nothing\n\n", "tokens.txt: no tokens"},
		{"line too long", readToken + " a read\n" + strings.Repeat("x", 70<<10) + "\n", "tokens.txt:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTokens("tokens.txt", strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseTokens: %v, want an error with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "0123456789") {
				t.Errorf("the error %q shows a token", err)
			}
		})
	}
	if _, err := LoadTokens(filepath.Join(t.TempDir(), "none.txt")); err == nil || !strings.Contains(err.Error(), "none.txt") {
		t.Errorf("LoadTokens of a missing file: %v, want an error naming it", err)
	}
	if toks, err := LoadTokens(writeFile(t, "tokens.txt", testTokenFile)); err != nil || toks.Len() != 4 {
		t.Errorf("LoadTokens: %v, %v", toks, err)
	}
}

func TestScopeAllows(t *testing.T) {
	tests := []struct {
		have, need Scope
		want       bool
	}{
		{ScopeRead, ScopeRead, true},
		{ScopeRead, ScopeWrite, false},
		{ScopeWrite, ScopeRead, false},
		{ScopeRead | ScopeWrite, ScopeWrite, true},
		{ScopeAdmin, ScopeWrite, true},
		{ScopeAdmin, ScopeRead, true},
		{ScopeAdmin, ScopeAdmin, true},
		{ScopeRead | ScopeWrite, ScopeAdmin, false},
		{0, ScopeRead, false},
	}
	for _, tt := range tests {
		if got := tt.have.allows(tt.need); got != tt.want {
			t.Errorf("%v.allows(%v) = %v, want %v", tt.have, tt.need, got, tt.want)
		}
	}
}

// withToken returns ctx carrying token as a bearer token ("" for none).
func withToken(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

// TestAuth: through a real server with a token file, every method needs a token of
// its scope; health and reflection need any token unless configured public.
func TestAuth(t *testing.T) {
	toks, err := ParseTokens("tokens.txt", strings.NewReader(testTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Tokens = toks
	logs := &syncBuffer{}
	private := serveAt(t, cfg, logs)
	cfg.PublicHealth, cfg.PublicReflection = true, true
	public := serveAt(t, cfg, nil)
	cfg.Reflection = false
	noReflection := serveAt(t, cfg, nil)
	insecureOpt := grpc.WithTransportCredentials(insecure.NewCredentials())

	calls := map[string]func(ctx context.Context, conn *grpc.ClientConn) error{
		"GetStats": func(ctx context.Context, conn *grpc.ClientConn) error {
			_, err := pb.NewNewsGraphServiceClient(conn).GetStats(ctx, &pb.GetStatsRequest{})
			return err
		},
		"SearchEntities": func(ctx context.Context, conn *grpc.ClientConn) error {
			_, err := pb.NewNewsGraphServiceClient(conn).SearchEntities(ctx, &pb.SearchEntitiesRequest{Query: "United"})
			return err
		},
		"ExportGraph": func(ctx context.Context, conn *grpc.ClientConn) error {
			s, err := pb.NewNewsGraphServiceClient(conn).ExportGraph(ctx, &pb.ExportGraphRequest{})
			if err != nil {
				return err
			}
			for {
				if _, err := s.Recv(); err != nil {
					if err == io.EOF {
						return nil
					}
					return err
				}
			}
		},
		"LoadArticles": func(ctx context.Context, conn *grpc.ClientConn) error {
			s, err := pb.NewNewsGraphServiceClient(conn).LoadArticles(ctx)
			if err != nil {
				return err
			}
			_ = s.Send(&pb.LoadArticlesRequest{Id: "a", Text: []byte("A text.")})
			resp, err := s.CloseAndRecv()
			if err == nil && resp.GetSummary().GetRejected() != 0 {
				return fmt.Errorf("load rejected: %v", resp)
			}
			return err
		},
		"DeleteArticle": func(ctx context.Context, conn *grpc.ClientConn) error {
			_, err := pb.NewNewsGraphServiceClient(conn).DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: "nope"})
			if status.Code(err) == codes.NotFound {
				return nil // authorized: the store answered
			}
			return err
		},
		"Health": func(ctx context.Context, conn *grpc.ClientConn) error {
			_, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
			return err
		},
		"Reflection": func(ctx context.Context, conn *grpc.ClientConn) error {
			s, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
			if err != nil {
				return err
			}
			// A Send to a stream the server ended says io.EOF: the status comes with Recv.
			if err := s.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil && err != io.EOF {
				return err
			}
			resp, err := s.Recv()
			if err != nil {
				return err
			}
			if len(resp.GetListServicesResponse().GetService()) == 0 {
				return fmt.Errorf("reflection lists no service: %v", resp)
			}
			return s.CloseSend()
		},
	}
	tests := []struct {
		addr   string
		method string
		token  string
		want   codes.Code
		msg    string // part of the message, if any
	}{
		{private, "GetStats", "", codes.Unauthenticated, "missing bearer token"},
		{private, "GetStats", "wrong-token-0123456789", codes.Unauthenticated, "invalid bearer token"},
		{private, "GetStats", readToken, codes.OK, ""},
		{private, "GetStats", writeToken, codes.PermissionDenied, "token pipeline has scope write, newsgraph.v1.NewsGraphService/GetStats needs read"},
		{private, "GetStats", adminToken, codes.OK, ""},
		{private, "SearchEntities", readToken, codes.OK, ""},
		{private, "SearchEntities", "", codes.Unauthenticated, ""},
		{private, "ExportGraph", readToken, codes.OK, ""},
		{private, "ExportGraph", "", codes.Unauthenticated, ""},
		{private, "ExportGraph", writeToken, codes.PermissionDenied, ""},
		{private, "LoadArticles", "", codes.Unauthenticated, ""},
		{private, "LoadArticles", readToken, codes.PermissionDenied, "token analyst has scope read, newsgraph.v1.NewsGraphService/LoadArticles needs write"},
		{private, "LoadArticles", writeToken, codes.OK, ""},
		{private, "LoadArticles", rwToken, codes.OK, ""},
		{private, "LoadArticles", adminToken, codes.OK, ""},
		{private, "DeleteArticle", "", codes.Unauthenticated, ""},
		{private, "DeleteArticle", readToken, codes.PermissionDenied, "needs write"},
		{private, "DeleteArticle", writeToken, codes.OK, ""},
		{private, "DeleteArticle", adminToken, codes.OK, ""},
		{private, "Health", "", codes.Unauthenticated, ""},
		{private, "Health", "wrong-token-0123456789", codes.Unauthenticated, ""},
		{private, "Health", writeToken, codes.OK, ""},
		{private, "Reflection", "", codes.Unauthenticated, ""},
		{private, "Reflection", readToken, codes.OK, ""},
		{public, "Health", "", codes.OK, ""},
		{public, "Reflection", "", codes.OK, ""},
		{public, "GetStats", "", codes.Unauthenticated, ""},
		{noReflection, "Reflection", adminToken, codes.Unimplemented, ""},
	}
	for _, tt := range tests {
		name := map[string]string{private: "private", public: "public", noReflection: "noreflection"}[tt.addr]
		tok := tt.token
		if len(tok) > 5 {
			tok = tok[:5]
		}
		t.Run(fmt.Sprintf("%s/%s/%s", name, tt.method, tok), func(t *testing.T) {
			conn := dialTest(t, tt.addr, insecureOpt)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := calls[tt.method](withToken(ctx, tt.token), conn)
			if status.Code(err) != tt.want || !strings.Contains(status.Convert(err).Message(), tt.msg) {
				t.Fatalf("%s with token %q: %v, want %v %q", tt.method, tt.token, err, tt.want, tt.msg)
			}
		})
	}
	// Refusals carry an ErrorInfo with the reason.
	for _, tt := range []struct {
		token, method, reason, scope string
	}{
		{"", "GetStats", "MISSING_TOKEN", ""},
		{"wrong-token-0123456789", "GetStats", "INVALID_TOKEN", ""},
		{readToken, "DeleteArticle", "INSUFFICIENT_SCOPE", "write"},
		{writeToken, "GetStats", "INSUFFICIENT_SCOPE", "read"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := calls[tt.method](withToken(ctx, tt.token), dialTest(t, private, insecureOpt))
		cancel()
		info := errorInfo(err)
		if info.GetReason() != tt.reason || info.GetDomain() != errorDomain || info.GetMetadata()["required_scope"] != tt.scope {
			t.Errorf("%s with token %q: details %v, want reason %s, required_scope %q", tt.method, tt.token, info, tt.reason, tt.scope)
		}
	}
	// Refused calls are in the call log, with their code and no token.
	log := logs.String()
	if !strings.Contains(log, "grpc.code=Unauthenticated") || !strings.Contains(log, "grpc.code=PermissionDenied") {
		t.Errorf("the call log has no refused call:\n%s", log)
	}
	for _, tok := range []string{readToken, writeToken, rwToken, adminToken} {
		if strings.Contains(log, tok) {
			t.Errorf("the server log shows token %q", tok)
		}
	}
}

// TestCallDeadline: unary calls without a deadline get DefaultTimeout, later
// deadlines are shortened to MaxCallTimeout, earlier ones are kept.
func TestCallDeadline(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DefaultTimeout, cfg.MaxCallTimeout = 2*time.Second, 5*time.Second
	s, err := New(newFakeStore(), fakeExtractor{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		deadline time.Duration // 0: none
		want     time.Duration
	}{
		{"none", 0, 2 * time.Second},
		{"longer than the max", time.Hour, 5 * time.Second},
		{"within", time.Second, time.Second},
		{"above the default, below the max", 4 * time.Second, 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			var got time.Duration
			_, _ = s.callDeadline(ctx, nil, &grpc.UnaryServerInfo{}, func(ctx context.Context, _ any) (any, error) {
				d, ok := ctx.Deadline()
				if !ok {
					t.Fatal("no deadline")
				}
				got = time.Until(d)
				return nil, nil
			})
			if got > tt.want || got < tt.want-time.Second {
				t.Errorf("deadline in %v, want about %v", got, tt.want)
			}
		})
	}
}

// TestNoServerPaths: the server's paths never reach a client, also in messages of the
// client's own faults.
func TestNoServerPaths(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PrivatePaths = []string{"/srv/newsgraph", "/srv/newsgraph/data", "/", ""}
	s, err := New(newFakeStore(), fakeExtractor{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"invalid", fmt.Errorf("%w: bad page token for /srv/newsgraph/data/indexes.bolt", graph.ErrInvalidArgument), "invalid argument: bad page token for <server path>/indexes.bolt"},
		{"not found", fmt.Errorf("entity in /srv/newsgraph: %w", graph.ErrNotFound), "entity in <server path>: not found"},
		{"status", status.Error(codes.FailedPrecondition, "store /srv/newsgraph/data is read-only"), "store <server path> is read-only"},
		{"field", invalid("entity.name", "%q, want a name", "a/b"), `entity.name: "a/b", want a name`},
		{"internal", fmt.Errorf("open /srv/newsgraph/data/indexes.bolt: permission denied"), internalMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err
			s.edge(context.Background(), "Test", &err)
			st := status.Convert(err)
			if st.Message() != tt.want {
				t.Errorf("message %q, want %q", st.Message(), tt.want)
			}
		})
	}
	if got := redactPaths("load /srv/newsgraph/x", privatePaths([]string{"/srv/newsgraph", "/srv/newsgraph"})); got != "load <server path>/x" {
		t.Errorf("redactPaths with a path twice: %q", got)
	}
}

// methodStream is a grpc.ServerTransportStream that only knows its method, for
// grpc.Method in benchmarks.
type methodStream struct{ method string }

func (m methodStream) Method() string                  { return m.method }
func (m methodStream) SetHeader(metadata.MD) error     { return nil }
func (m methodStream) SendHeader(metadata.MD) error    { return nil }
func (m methodStream) SetTrailer(md metadata.MD) error { return nil }

// BenchmarkAuthenticate is the token check of one call (metadata parse, SHA-256, a
// constant-time compare with each of the file's tokens), tokens=N the size of the file.
//
//	go test ./server -run '^$' -bench BenchmarkAuthenticate -benchmem
func BenchmarkAuthenticate(b *testing.B) {
	for _, n := range []int{4, 100} {
		b.Run(fmt.Sprintf("tokens=%d", n), func(b *testing.B) {
			var file strings.Builder
			for i := range n {
				fmt.Fprintf(&file, "token-%016d user%d read\n", i, i)
			}
			toks, err := ParseTokens("tokens.txt", strings.NewReader(file.String()))
			if err != nil {
				b.Fatal(err)
			}
			cfg := DefaultConfig()
			cfg.Tokens = toks
			s, err := New(newFakeStore(), fakeExtractor{}, cfg)
			if err != nil {
				b.Fatal(err)
			}
			ctx := grpc.NewContextWithServerTransportStream(context.Background(), methodStream{servicePrefix + "GetStats"})
			ctx = metadata.NewIncomingContext(ctx, metadata.Pairs("authorization", fmt.Sprintf("Bearer token-%016d", n-1)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.authenticate(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSecureCall is one GetStats call through a real server on 127.0.0.1 with one
// connection: plaintext, with a token, with TLS and a token.
//
//	go test ./server -run '^$' -bench BenchmarkSecureCall -benchmem -cpu 2
func BenchmarkSecureCall(b *testing.B) {
	p := newPKI(b, "server")
	nb, na := valid()
	cert, key := p.issue(b, "127.0.0.1", false, nb, na)
	tlsCfg, err := LoadTLS(cert, key, "")
	if err != nil {
		b.Fatal(err)
	}
	toks, err := ParseTokens("tokens.txt", strings.NewReader(testTokenFile))
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		tls    bool
		tokens bool
	}{{"plain", false, false}, {"token", false, true}, {"tls+token", true, true}} {
		b.Run("security="+tt.name, func(b *testing.B) {
			cfg := DefaultConfig()
			opt := grpc.WithTransportCredentials(insecure.NewCredentials())
			if tt.tls {
				cfg.TLS = tlsCfg
				opt = tlsCreds(b, p.CA, "", "")
			}
			ctx := context.Background()
			if tt.tokens {
				cfg.Tokens = toks
				ctx = withToken(ctx, readToken)
			}
			c := pb.NewNewsGraphServiceClient(dialTest(b, serveAt(b, cfg, nil), opt))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetStats(ctx, &pb.GetStatsRequest{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestStreamDeadline: newsgraph.v1's server-streaming calls get at most
// MaxStreamTimeout; LoadArticles and the health service's Watch are left alone.
func TestStreamDeadline(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxStreamTimeout = 3 * time.Second
	s, err := New(newFakeStore(), fakeExtractor{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		info     grpc.StreamServerInfo
		deadline time.Duration // of the client; 0: none
		want     time.Duration // 0: none
	}{
		{"export", grpc.StreamServerInfo{FullMethod: servicePrefix + "ExportGraph", IsServerStream: true}, 0, 3 * time.Second},
		{"export, later deadline", grpc.StreamServerInfo{FullMethod: servicePrefix + "ExportGraph", IsServerStream: true}, time.Hour, 3 * time.Second},
		{"export, earlier deadline", grpc.StreamServerInfo{FullMethod: servicePrefix + "ExportGraph", IsServerStream: true}, time.Second, time.Second},
		{"load", grpc.StreamServerInfo{FullMethod: servicePrefix + "LoadArticles", IsClientStream: true}, 0, 0},
		{"health watch", grpc.StreamServerInfo{FullMethod: healthPrefix + "Watch", IsServerStream: true}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			var got time.Duration
			err := s.streamDeadline(nil, &notedStream{ctx: ctx}, &tt.info, func(_ any, ss grpc.ServerStream) error {
				if d, ok := ss.Context().Deadline(); ok {
					got = time.Until(d)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if (tt.want == 0) != (got == 0) || got > tt.want || (tt.want > 0 && got < tt.want-time.Second) {
				t.Errorf("deadline in %v, want about %v (0: none)", got, tt.want)
			}
		})
	}
}

// TestMaxHeaderBytes: a call whose metadata is over MaxHeaderBytes is refused, the
// server keeps serving.
func TestMaxHeaderBytes(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHeaderBytes = 4 << 10
	ts := startServer(t, newFakeStore(), fakeExtractor{}, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	big := metadata.AppendToOutgoingContext(ctx, "x-padding", strings.Repeat("x", 8<<10))
	if _, err := ts.client.GetStats(big, &pb.GetStatsRequest{}); err == nil {
		t.Fatal("GetStats with 8 KiB of metadata answered, want a refusal")
	}
	if _, err := ts.client.GetStats(ctx, &pb.GetStatsRequest{}); err != nil {
		t.Fatalf("GetStats after: %v", err)
	}
	ts.serving(t)
}

// errorInfo returns the google.rpc.ErrorInfo of err's status, or nil.
func errorInfo(err error) *errdetails.ErrorInfo {
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}
