package server

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"google.golang.org/grpc"

	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
)

// Limits bounds what one request may ask for. Each Default… value is used when the
// request leaves the field at 0; a request above a Max… value fails with
// INVALID_ARGUMENT. The defaults in DefaultConfig are the ones the .proto documents.
type Limits struct {
	DefaultPageSize int // relations per page when page_size is 0
	MaxPageSize     int // largest page_size

	DefaultEvidence int // evidence items per relation or hop when max_evidence is 0
	MaxEvidence     int // largest max_evidence

	DefaultSearchLimit int // entities per search when limit is 0
	MaxSearchLimit     int // largest limit of a search

	MaxK            int // largest k of FindPaths
	DefaultMaxHops  int // max_hops of FindPaths when 0
	MaxHops         int // largest max_hops
	DefaultMaxNodes int // node budget of FindPaths when max_nodes is 0
	MaxPathNodes    int // largest node budget of FindPaths

	MaxDepth                 int // largest depth of GetNeighbourhood
	DefaultNeighbourhoodSize int // max_nodes of GetNeighbourhood when 0
	MaxNeighbourhoodSize     int // largest max_nodes of GetNeighbourhood

	MaxPredicates  int // predicates in one filter
	MaxNameBytes   int // entity name or search text
	MaxIDBytes     int // entity IRI or article id
	MaxTokenBytes  int // page token
	MaxMinSources  int // largest min_sources
	MaxFilterItems int // modalities or types in one filter

	MaxArticleBytes int // article text; larger articles are rejected
	// MaxArticlesPerLoad bounds the articles of one LoadArticles call: the call keeps
	// one small result per article (about 150 bytes) until the stream ends, everything
	// else it holds is bounded by the pipeline. 100,000 articles: about 15 MB of
	// results and a response of about 5 MB.
	MaxArticlesPerLoad int

	// Predicates are the relation names a filter may ask for (predicates of
	// ListRelations, GetRelationsBetween, GetTimeline, FindPaths, StreamPaths,
	// GetNeighbourhood and ExportGraph): a well-formed name not among them is
	// INVALID_ARGUMENT listing them, since it matches nothing. newsgraph serve gives the
	// extractor's (extract.Extractor.Predicates). Empty accepts every well-formed name.
	Predicates []string
}

// Config configures a Server. Use DefaultConfig and change what you need.
type Config struct {
	Limits

	// MaxRecvMsgBytes is the largest message the server accepts. It must leave room for
	// an article of MaxArticleBytes plus its other fields: a larger message fails the
	// whole LoadArticles stream instead of rejecting one article.
	MaxRecvMsgBytes int
	// MaxSendMsgBytes is the largest message the server sends (the LoadArticles
	// response of MaxArticlesPerLoad results is about 5 MB); the clients of cmd/newsgraph
	// accept 64 MiB.
	MaxSendMsgBytes int
	// MaxHeaderBytes is the largest header list (metadata, the token among it) the
	// server accepts with a call.
	MaxHeaderBytes uint32
	// MaxConcurrentStreams is the number of calls one connection may have open at once
	// (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS); a client's further calls wait for one to
	// end.
	MaxConcurrentStreams uint32
	// DefaultTimeout is the deadline given to unary calls that arrive without one.
	DefaultTimeout time.Duration
	// MaxCallTimeout is the longest a unary call may run: a client's later deadline is
	// shortened to it.
	MaxCallTimeout time.Duration
	// MaxStreamTimeout is the longest a server-streaming call of newsgraph.v1
	// (StreamPaths, ExportGraph) may run; 0 means no bound beyond the client's. The
	// health service's Watch is not bounded.
	MaxStreamTimeout time.Duration
	// LoadTimeout bounds one LoadArticles call from the moment it has a load slot; 0
	// means no bound beyond the client's. A call past it ends with DEADLINE_EXCEEDED; the
	// articles committed before stay stored.
	LoadTimeout time.Duration
	// LoadIdleTimeout ends a LoadArticles call whose client sent no message for this
	// long while the server waited for one (time the server itself spends extracting
	// and committing does not count), so that an idle client does not hold a load slot;
	// the call ends with DEADLINE_EXCEEDED and the articles committed before stay
	// stored. 0 means no idle bound.
	LoadIdleTimeout time.Duration
	// ShutdownTimeout is how long Serve waits for calls in flight after its context is
	// done before it cuts them.
	ShutdownTimeout time.Duration
	// MaxConcurrentLoads is the number of LoadArticles calls that run at once; more
	// wait for a turn (extraction already uses every core).
	MaxConcurrentLoads int
	// LoadWorkers is the number of extraction goroutines per LoadArticles call.
	LoadWorkers int
	// LoadBatch is the number of articles committed per store transaction at most (the
	// pipeline commits what was extracted while the previous transaction ran, up to
	// this; see loader.Config).
	LoadBatch int

	// Security: see auth.go.

	// TLS, when not nil, makes the server speak TLS only (LoadTLS builds it from PEM
	// files, with client certificates required for mTLS); nil serves plaintext.
	TLS *tls.Config
	// Tokens, when not nil, are the bearer tokens a call must carry (LoadTokens reads
	// them from a file): write scope for LoadArticles and DeleteArticle, read scope for
	// the queries, any valid token for health and reflection unless PublicHealth or
	// PublicReflection; admin scope allows everything. nil: no authentication.
	Tokens *Tokens
	// PublicHealth lets the health service answer without a token when Tokens is set.
	PublicHealth bool
	// PublicReflection lets server reflection answer without a token when Tokens is
	// set.
	PublicReflection bool
	// Reflection registers the server reflection service (grpcurl list and describe).
	Reflection bool
	// PrivatePaths are file-system paths of the server (its data folder, its
	// configuration files) that never appear in a message a client sees: they are
	// replaced by "<server path>". Internal errors reach clients as "internal error"
	// anyway; this guards the messages of the client's own faults.
	PrivatePaths []string

	// Logger receives the call log and internal errors; nil means no logging. Lines
	// logged for a call carry its request id (RequestIDHeader) as request_id.
	Logger *slog.Logger

	// Observability (server/metrics, server/tracing): nothing is set by default, and
	// what is not set costs nothing.

	// UnaryInterceptors and StreamInterceptors run first around every call, before the
	// call log and the token check, so that they see refused calls too (metrics).
	UnaryInterceptors  []grpc.UnaryServerInterceptor
	StreamInterceptors []grpc.StreamServerInterceptor
	// GRPCOptions are added to ServerOptions' options (a stats handler for tracing).
	GRPCOptions []grpc.ServerOption
	// LoadObserver is told of every batch LoadArticles calls commit (metrics).
	LoadObserver loader.Observer
}

// DefaultConfig returns the configuration newsgraph serve uses.
func DefaultConfig() Config {
	return Config{
		Limits: Limits{
			DefaultPageSize: 50, MaxPageSize: 1000,
			DefaultEvidence: 3, MaxEvidence: 100,
			DefaultSearchLimit: 20, MaxSearchLimit: 100,
			MaxK: 10, DefaultMaxHops: 4, MaxHops: 6,
			DefaultMaxNodes: 10000, MaxPathNodes: 100000,
			MaxDepth: 4, DefaultNeighbourhoodSize: 200, MaxNeighbourhoodSize: 5000,
			MaxPredicates: 32, MaxNameBytes: 256, MaxIDBytes: 512, MaxTokenBytes: 1024,
			MaxMinSources: 1 << 20, MaxFilterItems: 16,
			MaxArticleBytes: doc.DefaultMaxBytes, MaxArticlesPerLoad: 100_000,
		},
		MaxRecvMsgBytes:      doc.DefaultMaxBytes + 1<<20,
		MaxSendMsgBytes:      64 << 20,
		MaxConcurrentStreams: 256,
		MaxHeaderBytes:       64 << 10,
		DefaultTimeout:       30 * time.Second,
		MaxCallTimeout:       5 * time.Minute,
		MaxStreamTimeout:     time.Hour,
		// A call of 100,000 articles (MaxArticlesPerLoad) takes about 2 minutes at the
		// ~800 articles/s of the shared machine.
		LoadTimeout:        30 * time.Minute,
		LoadIdleTimeout:    time.Minute,
		ShutdownTimeout:    10 * time.Second,
		MaxConcurrentLoads: 2,
		LoadWorkers:        runtime.GOMAXPROCS(0),
		LoadBatch:          loader.DefaultConfig().BatchArticles,
		Reflection:         true,
	}
}

// Validate reports the first configuration error, naming the field.
func (c Config) Validate() error {
	pos := []struct {
		name string
		v    int
	}{
		{"DefaultPageSize", c.DefaultPageSize}, {"MaxPageSize", c.MaxPageSize},
		{"DefaultEvidence", c.DefaultEvidence}, {"MaxEvidence", c.MaxEvidence},
		{"DefaultSearchLimit", c.DefaultSearchLimit}, {"MaxSearchLimit", c.MaxSearchLimit},
		{"MaxK", c.MaxK}, {"DefaultMaxHops", c.DefaultMaxHops}, {"MaxHops", c.MaxHops},
		{"DefaultMaxNodes", c.DefaultMaxNodes}, {"MaxPathNodes", c.MaxPathNodes},
		{"MaxDepth", c.MaxDepth}, {"DefaultNeighbourhoodSize", c.DefaultNeighbourhoodSize},
		{"MaxNeighbourhoodSize", c.MaxNeighbourhoodSize}, {"MaxPredicates", c.MaxPredicates},
		{"MaxNameBytes", c.MaxNameBytes}, {"MaxIDBytes", c.MaxIDBytes},
		{"MaxTokenBytes", c.MaxTokenBytes}, {"MaxMinSources", c.MaxMinSources},
		{"MaxFilterItems", c.MaxFilterItems}, {"MaxArticleBytes", c.MaxArticleBytes},
		{"MaxArticlesPerLoad", c.MaxArticlesPerLoad}, {"MaxRecvMsgBytes", c.MaxRecvMsgBytes},
		{"MaxSendMsgBytes", c.MaxSendMsgBytes}, {"MaxConcurrentStreams", int(min(c.MaxConcurrentStreams, 1<<30))},
		{"MaxHeaderBytes", int(min(c.MaxHeaderBytes, 1<<30))},
		{"MaxConcurrentLoads", c.MaxConcurrentLoads}, {"LoadWorkers", c.LoadWorkers},
		{"LoadBatch", c.LoadBatch},
	}
	for _, p := range pos {
		if p.v <= 0 {
			return fmt.Errorf("server config: %s is %d, want > 0", p.name, p.v)
		}
	}
	within := []struct {
		def, max string
		d, m     int
	}{
		{"DefaultPageSize", "MaxPageSize", c.DefaultPageSize, c.MaxPageSize},
		{"DefaultEvidence", "MaxEvidence", c.DefaultEvidence, c.MaxEvidence},
		{"DefaultSearchLimit", "MaxSearchLimit", c.DefaultSearchLimit, c.MaxSearchLimit},
		{"DefaultMaxHops", "MaxHops", c.DefaultMaxHops, c.MaxHops},
		{"DefaultMaxNodes", "MaxPathNodes", c.DefaultMaxNodes, c.MaxPathNodes},
		{"DefaultNeighbourhoodSize", "MaxNeighbourhoodSize", c.DefaultNeighbourhoodSize, c.MaxNeighbourhoodSize},
	}
	for _, w := range within {
		if w.d > w.m {
			return fmt.Errorf("server config: %s is %d, want at most %s (%d)", w.def, w.d, w.max, w.m)
		}
	}
	if c.MaxRecvMsgBytes <= c.MaxArticleBytes {
		return fmt.Errorf("server config: MaxRecvMsgBytes is %d, want more than MaxArticleBytes (%d)", c.MaxRecvMsgBytes, c.MaxArticleBytes)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"DefaultTimeout", c.DefaultTimeout}, {"MaxCallTimeout", c.MaxCallTimeout}, {"ShutdownTimeout", c.ShutdownTimeout}} {
		if d.v <= 0 {
			return fmt.Errorf("server config: %s is %v, want > 0", d.name, d.v)
		}
	}
	if c.DefaultTimeout > c.MaxCallTimeout {
		return fmt.Errorf("server config: DefaultTimeout is %v, want at most MaxCallTimeout (%v)", c.DefaultTimeout, c.MaxCallTimeout)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"LoadTimeout", c.LoadTimeout}, {"LoadIdleTimeout", c.LoadIdleTimeout}, {"MaxStreamTimeout", c.MaxStreamTimeout}} {
		if d.v < 0 {
			return fmt.Errorf("server config: %s is %v, want >= 0 (0: no bound)", d.name, d.v)
		}
	}
	return nil
}

// DefaultGCPercent is the garbage collector setting (GOGC) newsgraph serve runs the
// server with. Its heap is mostly long-lived (name index, adjacency and statement
// caches: about 70 MB live on a 20,000-article store) while
// every call allocates its answer, so with Go's default of 100 the collector ran about
// as often as the handlers did work: under ghz with 50 callers of ListRelations on the
// 20,000-article store the server spent 40% of its CPU in the collector. At 400 it
// spends 97 µs of CPU per call instead of 136 µs, for about 400 MB more resident
// memory (980 MB instead of 570 MB, the bolt file's mapped pages included; server CPU
// per call as bench/ghz.sh prints it, GOGC=100 against 400 on the shared machine).
const DefaultGCPercent = 400
