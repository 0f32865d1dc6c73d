package client_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/client"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
)

// TestDialOptionErrors: Dial refuses the options it cannot apply, naming the option,
// and dials nothing.
func TestDialOptionErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := dir + "/not.pem"
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		addr   string
		opts   []client.Option
		option string // the *OptionError's Option, "" for no error
		want   string // in the error
	}{
		{"nothing", "127.0.0.1:7474", nil, "", ""},
		{"token to loopback", "127.0.0.1:7474", []client.Option{client.WithToken("t")}, "", ""},
		{"token to localhost", "localhost:7474", []client.Option{client.WithToken("t")}, "", ""},
		{"token to ::1", "[::1]:7474", []client.Option{client.WithToken("t")}, "", ""},
		{"empty token beyond loopback", "10.1.2.3:7474", []client.Option{client.WithToken("")}, "", ""},
		{"token in plaintext beyond loopback", "10.1.2.3:7474", []client.Option{client.WithToken("t")}, "WithToken", "10.1.2.3:7474 is not a loopback address"},
		{"token with TLS beyond loopback", "10.1.2.3:7474", []client.Option{client.WithToken("t"), client.WithTLS(nil)}, "", ""},
		{"token with WithInsecure beyond loopback", "10.1.2.3:7474", []client.Option{client.WithToken("t"), client.WithInsecure()}, "", ""},
		{"WithInsecure and TLS", "127.0.0.1:7474", []client.Option{client.WithInsecure(), client.WithCAFile(notPEM)}, "WithInsecure", "TLS options"},
		{"missing CA file", "127.0.0.1:7474", []client.Option{client.WithCAFile(dir + "/none.pem")}, "WithCAFile", "none.pem"},
		{"CA file without a certificate", "127.0.0.1:7474", []client.Option{client.WithCAFile(notPEM)}, "WithCAFile", "no PEM certificate"},
		{"certificate without key", "127.0.0.1:7474", []client.Option{client.WithClientCert(notPEM, "")}, "WithClientCert", "give both"},
		{"certificate that does not load", "127.0.0.1:7474", []client.Option{client.WithClientCert(notPEM, notPEM)}, "WithClientCert", "PEM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := client.Dial(tt.addr, tt.opts...)
			if c != nil {
				c.Close()
			}
			var oe *client.OptionError
			switch {
			case tt.option == "" && err != nil:
				t.Fatalf("Dial: %v, want no error", err)
			case tt.option == "":
			case !errors.As(err, &oe) || oe.Option != tt.option || !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Dial: %v, want an *OptionError of %s with %q", err, tt.option, tt.want)
			}
			if tt.option == "WithToken" && !errors.Is(err, client.ErrPlaintextToken) {
				t.Errorf("Dial: %v, want ErrPlaintextToken", err)
			}
		})
	}
}

// TestSecurity: tokens and TLS options against servers with --auth-tokens, TLS and
// mTLS: the right options get answers, missing or wrong ones the server's refusal.
func TestSecurity(t *testing.T) {
	const reader, writer = "reader-token-0123456789abcdef", "writer-token-0123456789abcdef"
	tokens, err := server.ParseTokens("tokens", strings.NewReader(reader+" analyst read\n"+writer+" pipeline read,write\n"))
	if err != nil {
		t.Fatal(err)
	}
	serverPKI, clientPKI, otherPKI := newPKI(t, "server"), newPKI(t, "clients"), newPKI(t, "other")
	srvCert, srvKey := serverPKI.issue(t, "server", false)
	cliCert, cliKey := clientPKI.issue(t, "loader", true)
	strangerCert, strangerKey := otherPKI.issue(t, "stranger", true)

	cfg := server.DefaultConfig()
	cfg.Tokens = tokens
	tokenAddr := startServer(t, cfg)
	cfg = server.DefaultConfig()
	if cfg.TLS, err = server.LoadTLS(srvCert, srvKey, ""); err != nil {
		t.Fatal(err)
	}
	tlsAddr := startServer(t, cfg)
	cfg.Tokens = tokens
	if cfg.TLS, err = server.LoadTLS(srvCert, srvKey, clientPKI.CA); err != nil {
		t.Fatal(err)
	}
	mtlsAddr := startServer(t, cfg)

	pool := x509.NewCertPool()
	pem, err := os.ReadFile(serverPKI.CA)
	if err != nil || !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("CA: %v", err)
	}
	article := &pb.LoadArticlesRequest{Id: "a1", Title: "Talks", Text: []byte("John Kerry met Sergey Lavrov in Geneva on Monday.")}

	tests := []struct {
		name string
		addr string
		opts []client.Option
		load bool       // call LoadArticles, else GetStats
		want codes.Code // of the call
	}{
		{"no token", tokenAddr, nil, false, codes.Unauthenticated},
		{"wrong token", tokenAddr, []client.Option{client.WithToken("wrong-token-0123456789abcdef")}, false, codes.Unauthenticated},
		{"read token reads", tokenAddr, []client.Option{client.WithToken(reader)}, false, codes.OK},
		{"read token loads", tokenAddr, []client.Option{client.WithToken(reader)}, true, codes.PermissionDenied},
		{"write token loads", tokenAddr, []client.Option{client.WithToken(writer)}, true, codes.OK},
		{"plaintext to TLS", tlsAddr, nil, false, codes.Unavailable},
		{"CA file", tlsAddr, []client.Option{client.WithCAFile(serverPKI.CA)}, false, codes.OK},
		{"CA file of another CA", tlsAddr, []client.Option{client.WithCAFile(otherPKI.CA)}, false, codes.Unavailable},
		{"system CAs", tlsAddr, []client.Option{client.WithTLS(nil)}, false, codes.Unavailable},
		{"TLS config", tlsAddr, []client.Option{client.WithTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13})}, false, codes.OK},
		{"server name in the certificate", tlsAddr, []client.Option{client.WithCAFile(serverPKI.CA), client.WithServerName("newsgraph.test")}, false, codes.OK},
		{"server name not in the certificate", tlsAddr, []client.Option{client.WithCAFile(serverPKI.CA), client.WithServerName("other.test")}, false, codes.Unavailable},
		{"mTLS with certificate and token", mtlsAddr, []client.Option{client.WithCAFile(serverPKI.CA), client.WithClientCert(cliCert, cliKey), client.WithToken(writer)}, true, codes.OK},
		{"mTLS with certificate, no token", mtlsAddr, []client.Option{client.WithCAFile(serverPKI.CA), client.WithClientCert(cliCert, cliKey)}, false, codes.Unauthenticated},
		{"mTLS without certificate", mtlsAddr, []client.Option{client.WithCAFile(serverPKI.CA), client.WithToken(reader)}, false, codes.Unavailable},
		{"mTLS with a certificate of another CA", mtlsAddr, []client.Option{client.WithCAFile(serverPKI.CA), client.WithClientCert(strangerCert, strangerKey), client.WithToken(reader)}, false, codes.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, tt.addr, tt.opts...)
			ctx := testCtx(t)
			var err error
			if tt.load {
				for _, e := range c.Load(ctx, slices.Values([]*pb.LoadArticlesRequest{article})) {
					err = e
				}
				var le *client.LoadError
				if err != nil && !errors.As(err, &le) {
					t.Errorf("Load: %v, want a *LoadError", err)
				}
			} else {
				_, err = c.Stats(ctx)
			}
			if got := status.Code(err); got != tt.want {
				t.Fatalf("call: %v (%v), want %v", err, got, tt.want)
			}
		})
	}
}

// counter counts the calls of each method a client makes.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) options() []client.Option {
	c.n = map[string]int{}
	count := func(method string) {
		c.mu.Lock()
		c.n[method[strings.LastIndex(method, "/")+1:]]++
		c.mu.Unlock()
	}
	return []client.Option{client.WithDialOptions(
		grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			count(method)
			return invoker(ctx, method, req, reply, cc, opts...)
		}),
		grpc.WithChainStreamInterceptor(func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
			count(method)
			return streamer(ctx, desc, cc, method, opts...)
		}),
	)}
}

func (c *counter) calls(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[method]
}

// relationKey names a relation for comparisons.
func relationKey(r *pb.Relation) string {
	return r.GetSubject().GetId() + " " + r.GetPredicate() + " " + r.GetObject().GetId()
}

func timelineKey(e *pb.TimelineEvent) string {
	return e.GetEventDate() + " " + e.GetSubject().GetId() + " " + e.GetPredicate() + " " + e.GetObject().GetId()
}

// collect returns the keys of the items of seq, or the error that ended it.
func collect[T any](seq func(func(T, error) bool), key func(T) string) ([]string, error) {
	var keys []string
	for it, err := range seq {
		if err != nil {
			return keys, err
		}
		keys = append(keys, key(it))
	}
	return keys, nil
}

// TestPaging: the iterators yield every item of a list across pages, in the order of
// one large page, with a call per page; a page token in the request is where they
// start; the request is not changed.
func TestPaging(t *testing.T) {
	var cnt counter
	c := dial(t, serverAddr, cnt.options()...)
	ctx := testCtx(t)
	russia := client.ByName("Russia")

	allRel, err := c.RelationsPage(ctx, &pb.ListRelationsRequest{Entity: russia, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var wantRel []string
	for _, r := range allRel.GetRelations() {
		wantRel = append(wantRel, relationKey(r))
	}
	if len(wantRel) < 4 {
		t.Fatalf("Russia has %d relations, want at least 4 for paging", len(wantRel))
	}
	allTL, err := c.TimelinePage(ctx, &pb.GetTimelineRequest{Entity: russia, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var wantTL []string
	for _, e := range allTL.GetEvents() {
		wantTL = append(wantTL, timelineKey(e))
	}
	allBetween, err := c.BetweenPage(ctx, &pb.GetRelationsBetweenRequest{Entity: client.ByName("John Kerry"), Other: client.ByName("Sergey Lavrov"), PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var wantBetween []string
	for _, r := range allBetween.GetRelations() {
		wantBetween = append(wantBetween, relationKey(r))
	}
	if len(wantBetween) < 2 {
		t.Fatalf("%d relations between Kerry and Lavrov, want at least 2", len(wantBetween))
	}

	for _, size := range []int32{1, 2, 3} {
		t.Run(fmt.Sprint("page size ", size), func(t *testing.T) {
			tests := []struct {
				method string
				want   []string
				seq    func() ([]string, error)
			}{
				{"ListRelations", wantRel, func() ([]string, error) {
					req := &pb.ListRelationsRequest{Entity: russia, PageSize: size}
					before := proto.Clone(req)
					keys, err := collect(c.Relations(ctx, req), relationKey)
					if !proto.Equal(req, before) {
						t.Errorf("Relations changed its request: %v, was %v", req, before)
					}
					return keys, err
				}},
				{"GetTimeline", wantTL, func() ([]string, error) {
					return collect(c.Timeline(ctx, &pb.GetTimelineRequest{Entity: russia, PageSize: size}), timelineKey)
				}},
				{"GetRelationsBetween", wantBetween, func() ([]string, error) {
					return collect(c.Between(ctx, &pb.GetRelationsBetweenRequest{Entity: client.ByName("John Kerry"), Other: client.ByName("Sergey Lavrov"), PageSize: size}), relationKey)
				}},
			}
			for _, tt := range tests {
				before := cnt.calls(tt.method)
				got, err := tt.seq()
				if err != nil {
					t.Fatalf("%s: %v", tt.method, err)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("%s pages of %d: %q, want %q", tt.method, size, got, tt.want)
				}
				pages := (len(tt.want) + int(size) - 1) / int(size)
				if calls := cnt.calls(tt.method) - before; calls < pages || calls > pages+1 {
					t.Errorf("%s: %d calls for %d items in pages of %d, want %d (or one more for an empty last page)", tt.method, calls, len(tt.want), size, pages)
				}
			}
		})
	}

	t.Run("from a page token", func(t *testing.T) {
		first, err := c.RelationsPage(ctx, &pb.ListRelationsRequest{Entity: russia, PageSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		got, err := collect(c.Relations(ctx, &pb.ListRelationsRequest{Entity: russia, PageSize: 2, PageToken: first.GetNextPageToken()}), relationKey)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, wantRel[2:]) {
			t.Errorf("from the second page: %q, want %q", got, wantRel[2:])
		}
	})
}

// TestErrors: errors keep the server's status and say what was asked; an iterator
// yields a failure once and stops.
func TestErrors(t *testing.T) {
	c := dial(t, serverAddr)
	ctx := testCtx(t)
	atlantis := client.ByTypedName("Atlantis", pb.EntityType_ENTITY_TYPE_CITY)
	one := func(seq func(func(*pb.Relation, error) bool)) error {
		var errs []error
		for r, err := range seq {
			if err == nil {
				t.Errorf("got relation %v before the error", r)
				continue
			}
			errs = append(errs, err)
		}
		if len(errs) != 1 {
			t.Errorf("the iterator yielded %d errors %v, want 1", len(errs), errs)
			return nil
		}
		return errs[0]
	}
	tests := []struct {
		name string
		call func() error
		code codes.Code
		want string // the error starts with it
	}{
		{"entity", func() error { _, err := c.Entity(ctx, atlantis); return err }, codes.NotFound, `client: entity "Atlantis" (city): `},
		{"entity by id", func() error { _, err := c.Entity(ctx, client.ByID("ng:e/city/atlantis")); return err }, codes.NotFound, `client: entity ng:e/city/atlantis: `},
		{"no entity", func() error { _, err := c.Entity(ctx, nil); return err }, codes.InvalidArgument, `client: entity (no entity): `},
		{"search", func() error { _, err := c.Search(ctx, &pb.SearchEntitiesRequest{}); return err }, codes.InvalidArgument, `client: search "": `},
		{"relations", func() error { return one(c.Relations(ctx, &pb.ListRelationsRequest{Entity: atlantis})) }, codes.NotFound, `client: relations of "Atlantis" (city): `},
		{"relations page size", func() error {
			return one(c.Relations(ctx, &pb.ListRelationsRequest{Entity: client.ByName("Russia"), PageSize: 5000}))
		}, codes.InvalidArgument, `client: relations of "Russia": `},
		{"between", func() error {
			return one(c.Between(ctx, &pb.GetRelationsBetweenRequest{Entity: client.ByName("Russia"), Other: atlantis}))
		}, codes.NotFound, `client: relations between "Russia" and "Atlantis" (city): `},
		{"paths", func() error {
			_, err := c.Paths(ctx, &pb.FindPathsRequest{From: client.ByName("Russia"), To: atlantis})
			return err
		}, codes.NotFound, `client: paths from "Russia" to "Atlantis" (city): `},
		{"stream paths", func() error {
			var last error
			for _, err := range c.StreamPaths(ctx, &pb.FindPathsRequest{From: client.ByName("Russia"), To: atlantis}) {
				last = err
			}
			return last
		}, codes.NotFound, `client: paths from "Russia" to "Atlantis" (city): `},
		{"neighbourhood", func() error {
			_, err := c.Neighbourhood(ctx, &pb.GetNeighbourhoodRequest{Entity: atlantis})
			return err
		}, codes.NotFound, `client: neighbourhood of "Atlantis" (city): `},
		{"export", func() error {
			_, err := c.ExportTo(ctx, &strings.Builder{}, &pb.ExportGraphRequest{Entity: atlantis})
			return err
		}, codes.NotFound, `client: export of the neighbourhood of "Atlantis" (city): `},
		{"delete", func() error { _, err := c.Delete(ctx, "no-such-article"); return err }, codes.NotFound, `client: delete article "no-such-article": `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if status.Code(err) != tt.code || err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error %v (%v), want %v starting with %q", err, status.Code(err), tt.code, tt.want)
			}
			// The server's own status, unwrapped, is inside.
			var se interface{ GRPCStatus() *status.Status }
			if !errors.As(err, &se) || strings.HasPrefix(se.GRPCStatus().Message(), "client:") {
				t.Errorf("no server status inside %v", err)
			}
		})
	}
}

// endless is a server whose streams never end by themselves: StreamPaths and
// ExportGraph send until the client goes away, ListRelations always has a next page,
// GetStats waits for its deadline. It records how its streams ended.
type endless struct {
	pb.UnimplementedNewsGraphServiceServer
	ended chan error // the context error of each stream as it ends
	pages atomic.Int32
}

func (e *endless) StreamPaths(_ *pb.StreamPathsRequest, s grpc.ServerStreamingServer[pb.StreamPathsResponse]) error {
	hop := &pb.Hop{From: &pb.EntityBrief{Name: "A"}, Predicate: "met", To: &pb.EntityBrief{Name: "B"}, Forward: true}
	for {
		if err := s.Send(&pb.StreamPathsResponse{Path: &pb.Path{Hops: []*pb.Hop{hop}}}); err != nil {
			<-s.Context().Done()
			e.ended <- s.Context().Err()
			return err
		}
		select {
		case <-s.Context().Done():
			e.ended <- s.Context().Err()
			return s.Context().Err()
		case <-time.After(time.Millisecond):
		}
	}
}

func (e *endless) ExportGraph(_ *pb.ExportGraphRequest, s grpc.ServerStreamingServer[pb.ExportGraphResponse]) error {
	for {
		if err := s.Send(&pb.ExportGraphResponse{Chunk: []byte("<a> <b> <c> .\n")}); err != nil {
			<-s.Context().Done()
			e.ended <- s.Context().Err()
			return err
		}
		select {
		case <-s.Context().Done():
			e.ended <- s.Context().Err()
			return s.Context().Err()
		case <-time.After(time.Millisecond):
		}
	}
}

func (e *endless) ListRelations(_ context.Context, req *pb.ListRelationsRequest) (*pb.ListRelationsResponse, error) {
	n := e.pages.Add(1)
	return &pb.ListRelationsResponse{
		Relations:     []*pb.Relation{{Predicate: "met"}, {Predicate: "warned"}},
		NextPageToken: fmt.Sprint("page-", n),
	}, nil
}

func (e *endless) GetStats(ctx context.Context, _ *pb.GetStatsRequest) (*pb.GetStatsResponse, error) {
	<-ctx.Done()
	return nil, status.FromContextError(ctx.Err()).Err()
}

// startEndless serves an endless server on 127.0.0.1:0 until the test ends.
func startEndless(t *testing.T) (*endless, string) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &endless{ended: make(chan error, 16)}
	srv := grpc.NewServer()
	pb.RegisterNewsGraphServiceServer(srv, e)
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	return e, lis.Addr().String()
}

// TestBreakCancels: breaking out of a stream's loop cancels the stream on the server;
// breaking out of a paged loop fetches no more pages; nothing of the client is left
// running.
func TestBreakCancels(t *testing.T) {
	e, addr := startEndless(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	c, err := client.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background() // no deadline: only the break can end the streams

	tests := []struct {
		name string
		loop func(n int) int // breaks after n items and returns the items seen
	}{
		{"StreamPaths", func(n int) int {
			i := 0
			for _, err := range c.StreamPaths(ctx, &pb.FindPathsRequest{}) {
				if err != nil {
					t.Fatal(err)
				}
				if i++; i == n {
					break
				}
			}
			return i
		}},
		{"Export", func(n int) int {
			i := 0
			for _, err := range c.Export(ctx, &pb.ExportGraphRequest{}) {
				if err != nil {
					t.Fatal(err)
				}
				if i++; i == n {
					break
				}
			}
			return i
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.loop(3); got != 3 {
				t.Fatalf("%d items, want 3", got)
			}
			select {
			case err := <-e.ended:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("the server's stream ended with %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the server's stream still runs 10 s after the loop broke")
			}
		})
	}

	t.Run("Relations", func(t *testing.T) {
		i := 0
		for _, err := range c.Relations(ctx, &pb.ListRelationsRequest{}) {
			if err != nil {
				t.Fatal(err)
			}
			if i++; i == 3 { // the first item of the second page
				break
			}
		}
		if n := e.pages.Load(); n != 2 {
			t.Errorf("%d pages fetched for 3 items of pages of 2, want 2", n)
		}
	})
}

// TestCallTimeout: WithCallTimeout bounds a unary call without a deadline, and leaves
// a deadline of the caller's alone.
func TestCallTimeout(t *testing.T) {
	_, addr := startEndless(t)
	c := dial(t, addr, client.WithCallTimeout(200*time.Millisecond))
	start := time.Now()
	_, err := c.Stats(context.Background())
	if status.Code(err) != codes.DeadlineExceeded || time.Since(start) > 5*time.Second {
		t.Errorf("Stats: %v after %v, want DeadlineExceeded after 200ms", err, time.Since(start))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start = time.Now()
	_, err = c.Stats(ctx)
	if status.Code(err) != codes.DeadlineExceeded || time.Since(start) < 900*time.Millisecond {
		t.Errorf("Stats with a 1s deadline: %v after %v, want DeadlineExceeded after 1s", err, time.Since(start))
	}
}

// synthArticles makes n small articles a0, a1... of which the server extracts a
// relation each.
func synthArticles(n int) []*pb.LoadArticlesRequest {
	var reqs []*pb.LoadArticlesRequest
	for i := range n {
		reqs = append(reqs, &pb.LoadArticlesRequest{
			Id: fmt.Sprint("a", i), Title: fmt.Sprint("Talks ", i), Source: "wire",
			Text: []byte(fmt.Sprintf("John Kerry met Sergey Lavrov in Geneva on Monday, the %dth meeting.", i+1)),
		})
	}
	return reqs
}

// TestLoader: a Loader sends a call per batch, answers each with results indexed
// across calls, reports its steps, and sums the calls' summaries; Load yields the same.
func TestLoader(t *testing.T) {
	addr := startServer(t, server.DefaultConfig())
	var cnt counter
	c := dial(t, addr, cnt.options()...)
	ctx := testCtx(t)

	var events []client.LoadEvent
	l := c.NewLoader(ctx, client.WithBatch(2), client.WithLoadEvents(func(e client.LoadEvent) { events = append(events, e) }))
	defer l.Close()
	var answers [][]int32 // the indexes of each answer
	articles := append(synthArticles(4), &pb.LoadArticlesRequest{Id: "empty"})
	for _, a := range articles {
		resp, err := l.Add(a)
		if err != nil {
			t.Fatal(err)
		}
		if resp != nil {
			var idx []int32
			for _, r := range resp.GetResults() {
				idx = append(idx, r.GetIndex())
			}
			answers = append(answers, idx)
		}
	}
	resp, err := l.Flush()
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.GetResults(); len(r) != 1 || r[0].GetIndex() != 4 || r[0].GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_REJECTED || r[0].GetReason() == "" {
		t.Errorf("last answer %v, want article 4 rejected with a reason", r)
	}
	if want := [][]int32{{0, 1}, {2, 3}}; fmt.Sprint(answers) != fmt.Sprint(want) {
		t.Errorf("answers of Add: %v, want %v", answers, want)
	}
	if again, err := l.Flush(); again != nil || err != nil {
		t.Errorf("Flush without an open call: %v, %v; want nil, nil", again, err)
	}
	if l.Calls() != 3 || cnt.calls("LoadArticles") != 3 {
		t.Errorf("%d calls (%d made), want 3", l.Calls(), cnt.calls("LoadArticles"))
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, fmt.Sprintf("%d:%d:%d", e.Kind, e.Call, e.Articles))
	}
	if want := "[1:0:0 2:0:2 1:1:0 2:1:2 1:2:0 2:2:1]"; fmt.Sprint(kinds) != want {
		t.Errorf("events (kind:call:articles) %v, want %s", kinds, want)
	}
	s := l.Summary()
	if s.GetArticles() != 5 || s.GetStored() != 4 || s.GetRejected() != 1 || s.GetStatements() < 4 || s.GetQuadsAdded() == 0 {
		t.Errorf("summary %v, want 5 articles, 4 stored, 1 rejected, statements", s)
	}

	// Load again in one call: all unchanged, in order.
	var got []string
	for r, err := range c.Load(ctx, slices.Values(articles[:4])) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d %s %v", r.GetIndex(), r.GetArticleId(), r.GetStatus()))
	}
	want := []string{"0 a0 ARTICLE_STATUS_UNCHANGED", "1 a1 ARTICLE_STATUS_UNCHANGED", "2 a2 ARTICLE_STATUS_UNCHANGED", "3 a3 ARTICLE_STATUS_UNCHANGED"}
	if !slices.Equal(got, want) {
		t.Errorf("Load again: %q, want %q", got, want)
	}

	// Breaking out of Load stops reading articles: no call after the batch whose result
	// broke the loop.
	before := cnt.calls("LoadArticles")
	read := 0
	seq := func(yield func(*pb.LoadArticlesRequest) bool) {
		for _, a := range articles[:4] {
			read++
			if !yield(a) {
				return
			}
		}
	}
	for range c.Load(ctx, seq, client.WithBatch(1)) {
		break
	}
	if calls := cnt.calls("LoadArticles") - before; calls != 1 || read != 1 {
		t.Errorf("a loop broken at the first result made %d calls and read %d articles, want 1 and 1", calls, read)
	}
}

// TestLoaderQueued: a call the server queues because its load slots are busy is
// reported queued, and goes through once a slot frees.
func TestLoaderQueued(t *testing.T) {
	if client.LoadQueuedHeader != server.LoadQueuedHeader {
		t.Fatalf("client.LoadQueuedHeader %q, server's %q", client.LoadQueuedHeader, server.LoadQueuedHeader)
	}
	cfg := server.DefaultConfig()
	cfg.MaxConcurrentLoads = 1
	addr := startServer(t, cfg)
	c := dial(t, addr)
	ctx := testCtx(t)
	arts := synthArticles(2)

	var first []client.LoadEvent
	holder := c.NewLoader(ctx, client.WithLoadEvents(func(e client.LoadEvent) { first = append(first, e) }))
	if _, err := holder.Add(arts[0]); err != nil { // the call holds the only slot
		t.Fatal(err)
	}
	var events []client.LoadEvent
	queued := c.NewLoader(ctx, client.WithLoadEvents(func(e client.LoadEvent) { events = append(events, e) }))
	if _, err := queued.Add(arts[1]); err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || first[0].QueuedSlots != 0 {
		t.Errorf("first call's events %+v, want one, not queued", first)
	}
	if len(events) != 1 || events[0].Kind != client.CallOpened || events[0].QueuedSlots != 1 {
		t.Errorf("second call's events %+v, want CallOpened with QueuedSlots 1", events)
	}
	if _, err := holder.Flush(); err != nil {
		t.Fatal(err)
	}
	resp, err := queued.Flush()
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.GetResults(); len(r) != 1 || r[0].GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_STORED {
		t.Errorf("queued call's results %v, want a1 stored", r)
	}
	if len(events) != 2 || events[1].Kind != client.CallClosing || events[1].QueuedSlots != 1 {
		t.Errorf("second call's events %+v, want CallClosing with QueuedSlots 1 last", events)
	}
}

// TestLoaderFailures: a failed call is a *LoadError saying which call, which article
// and how many went unanswered, with the server's status; the calls before keep their
// answers, and the next Add opens a new call.
func TestLoaderFailures(t *testing.T) {
	// A server that refuses the LoadArticles calls from the second on, before reading
	// any article, as the token check does.
	var calls atomic.Int32
	refuse := grpc.StreamInterceptor(func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
		if calls.Add(1) == 2 {
			return status.Error(codes.PermissionDenied, "token analyst has scope read")
		}
		return next(srv, ss)
	})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.Predicates = extractor.Predicates()
	srv, err := server.New(memStore(t), extractor, cfg)
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer(append(srv.ServerOptions(), refuse)...)
	pb.RegisterNewsGraphServiceServer(gs, srv)
	go gs.Serve(lis)
	t.Cleanup(gs.Stop)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := closed.Addr().String()
	closed.Close()

	ctx := testCtx(t)
	arts := synthArticles(5)
	t.Run("refused call", func(t *testing.T) {
		l := dial(t, lis.Addr().String()).NewLoader(ctx, client.WithBatch(2))
		defer l.Close()
		// The refusal reaches the client as it sends article 2, or 3, or as the call
		// ends after 3 (a message may go out before the refusal comes back).
		var answered, failedAt int
		var le *client.LoadError
		for i, a := range arts[:4] {
			resp, err := l.Add(a)
			answered += len(resp.GetResults())
			if err != nil {
				if !errors.As(err, &le) {
					t.Fatalf("Add %d: %v, want a *LoadError", i, err)
				}
				failedAt = i
				break
			}
		}
		if le == nil {
			t.Fatal("no call failed")
		}
		wantArticle := failedAt
		if le.Article == -1 && failedAt == 3 {
			wantArticle = -1
		}
		if answered != 2 || failedAt < 2 || le.Call != 1 || le.Opening || le.Article != wantArticle || le.Unanswered != failedAt-1 ||
			status.Code(le) != codes.PermissionDenied || !strings.Contains(le.Error(), "call 1") {
			t.Errorf("%d answered, failed at Add %d: %+v (%v), want 2 answered, call 1 refused with the articles sent in it unanswered, PermissionDenied", answered, failedAt, le, le)
		}
		// The next Add opens call 2, which the server takes.
		if _, err := l.Add(arts[4]); err != nil {
			t.Fatalf("Add after the failure: %v", err)
		}
		sent := int32(failedAt + 1)
		resp, err := l.Flush()
		if err != nil || len(resp.GetResults()) != 1 || resp.GetResults()[0].GetIndex() != sent {
			t.Errorf("Flush after the failure: %v, %v; want the result of the article of index %d", resp, err, sent)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		l := dial(t, unreachable).NewLoader(ctx)
		defer l.Close()
		_, err := l.Add(arts[0])
		var le *client.LoadError
		if !errors.As(err, &le) || !le.Opening || le.Call != 0 || le.Unanswered != 0 || status.Code(err) != codes.Unavailable {
			t.Fatalf("Add: %v, want a *LoadError opening call 0, Unavailable", err)
		}
		if l.Calls() != 0 {
			t.Errorf("Calls() = %d, want 0", l.Calls())
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		l := dial(t, lis.Addr().String()).NewLoader(ctx)
		defer l.Close()
		if _, err := l.Add(arts[0]); err != nil {
			t.Fatal(err)
		}
		cancel()
		_, err := l.Flush()
		var le *client.LoadError
		if !errors.As(err, &le) || le.Article != -1 || le.Unanswered != 1 || status.Code(err) != codes.Canceled {
			t.Fatalf("Flush after cancel: %v, want a *LoadError, Canceled, 1 unanswered", err)
		}
	})
}
